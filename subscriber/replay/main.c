/* raksha-replay: history and replay for supervisors (docs/replay.md). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/log.h"
#include "replay/replay.h"

static void on_signal(int sig)
{
	(void)sig;
	replay_stop = 1;
}

static const struct cli_program program = {"raksha-replay", args_usage, "replay"};

int main(int argc, char **argv)
{
	struct args a;
	cli_init(&program);
	int r = args_parse(argc, argv, &a);
	if (r != 0) {
		args_free(&a);
		return r < 0 ? EX_OK : r;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);  /* a closed pipe is a write error, said once */
	if (a.stats)
		r = replay_stats(&a);
	else if (a.presence)
		r = replay_presence(&a);
	else if (a.remote)
		r = replay_remote(&a);
	else if (a.republish != NULL)
		r = replay_republish(&a);
	else
		r = replay_local(&a);
	args_free(&a);
	/* What is still in stdout's buffer is written here: a full disk or a
	 * closed pipe must not end as a short file and exit 0. EX_IOERR was
	 * said already. */
	if (r != EX_IOERR && (fflush(stdout) != 0 || ferror(stdout))) {
		log_line(LOG_ERR, "raksha-replay: cannot write the output");
		r = EX_IOERR;
	}
	return r;
}
