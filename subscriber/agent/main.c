/* raksha-agent: the district and railway-division service. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <unistd.h>

#include "agent/config.h"
#include "agent/service.h"
#include "common/cli.h"
#include "common/log.h"

/* Where raksha-board is installed (meson.build); $RAKSHA_BOARD overrides
 * it, for a build tree. */
#ifndef RAKSHA_BOARD_PATH
#define RAKSHA_BOARD_PATH "raksha-board"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-agent [--config FILE] [--foreground]\n"
		"       raksha-agent -n [--config FILE]\n"
		"       raksha-agent board [--config FILE]\n"
		"\n"
		"Subscribes to the bus, logs every report, sighting, update, ack and\n"
		"escalation to its SQLite database before the broker hears it was\n"
		"delivered, and announces its presence.\n"
		"\n"
		"'board' runs raksha-board: the open cases of that database on this\n"
		"terminal, live, most urgent first, each in full with its photo and\n"
		"timeline; keys acknowledge a case or record it found or closed.\n"
		"\n"
		"  -c, --config FILE   the configuration, raksha.conf(5); default %s/agent.conf,\n"
		"                      else ~/.config/raksha/agent.conf\n"
		"  -f, --foreground    print one line per event on stdout\n"
		"  -n, --check         check the configuration and exit: 'configuration OK'\n"
		"                      or every error with its line number (exit 78)\n"
		"  -h, --help, -V, --version\n"
		"exit: 0, 64 usage, 66 no config file, 78 bad config\n",
		cli_config_dir());
}

static const struct cli_program program = {"raksha-agent", usage, "agent"};

enum mode { MODE_SERVICE, MODE_CHECK };

/* raksha-agent board ARGS: raksha-board ARGS, in this process. The board
 * is a program of its own, so that the service never loads what a
 * terminal and photos need. Returns only if it could not be run. */
static int run_board(char **argv)
{
	const char *board = getenv("RAKSHA_BOARD");
	if (board == NULL || *board == '\0')
		board = RAKSHA_BOARD_PATH;
	argv[0] = "raksha-board";
	execv(board, argv);
	if (errno == ENOENT)
		execvp("raksha-board", argv);  /* not installed there: on the PATH? */
	log_line(LOG_ERR, "raksha-agent: cannot run %s: %s (install raksha-board, or name it in "
		 "$RAKSHA_BOARD)", board, strerror(errno));
	return EX_UNAVAILABLE;
}


/* An agent's session is its own only if its client id (its id) is its
 * username: a broker with raksha-clientid (broker-config/production)
 * refuses any other (docs/security.md "Client ids"). Not an error: a
 * broker without it (NATS, a test's) takes it. */
static void warn_identity(const char *path, const struct agent_config *c)
{
	if (c->username == NULL || strcmp(c->username, c->id) == 0)
		return;
	log_line(LOG_WARNING, "raksha-agent: %s: [broker] username '%s' is not [agent] id '%s': a broker "
		 "that binds client ids to usernames (raksha-clientid) refuses this agent", path,
		 c->username, c->id);
}

int main(int argc, char **argv)
{
	/* One malloc arena, not one per thread: each of the agent's threads
	 * (paho's, the committer, the escalator, the senders) would otherwise
	 * keep its own freed memory resident. A second arena cost 2.5 MiB once
	 * every message went through the committer, which frees what paho's
	 * thread allocates (docs/benchmarks.md, footprint). */
	mallopt(M_ARENA_MAX, 1);
	/* A message's buffers (paho's copy, the decoded envelope, the journal
	 * record, SQLite's row) are as large as the envelope, up to 2 MiB, and
	 * short-lived. glibc would give the first few their own mappings, then
	 * raise its threshold to their size and put the rest in the heap, which
	 * a small allocation made meanwhile keeps from shrinking: 2 MB reports
	 * left 8 MiB resident for good. A fixed threshold keeps every buffer
	 * over 256 KiB a mapping of its own, returned when it is freed. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	char path[4096];
	cli_init(&program);
	if (argc > 1 && strcmp(argv[1], "board") == 0)
		return run_board(argv + 1);
	struct cli_config_args args = {0};
	int r = cli_config_options(argc, argv, CLI_FOREGROUND, &args);
	if (r >= 0)
		return r;
	enum mode mode = args.check ? MODE_CHECK : MODE_SERVICE;
	bool foreground = args.foreground;
	r = cli_config_require(args.given, path, sizeof(path));
	if (r != 0)
		return r;
	/* The service's lines go to journald, the configuration's problems at
	 * start and on SIGHUP among them; -n prints them for a person. */
	log_init(mode == MODE_SERVICE ? LOG_STYLE_SERVICE : LOG_STYLE_PLAIN);
	struct agent_config cfg;
	int problems = agent_config_load(path, &cfg);
	if (problems < 0) {
		log_line(LOG_ERR, "raksha-agent: %s: %s", path, strerror(errno));
		agent_config_free(&cfg);
		return EX_NOINPUT;
	}
	r = problems > 0 ? EX_CONFIG : EX_OK;
	if (r == EX_OK)
		warn_identity(path, &cfg);
	if (mode == MODE_CHECK && r == EX_OK)
		printf("configuration OK\n");
	else if (mode == MODE_SERVICE && r == EX_OK)
		r = service_run(&cfg, foreground);
	agent_config_free(&cfg);
	return r;
}
