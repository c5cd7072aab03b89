/* raksha-board: the terminal board over a district agent's database, for
 * the officer at the control room's PC. Its own program, so that the
 * unattended service never loads the terminal's and the photos' libraries;
 * `raksha-agent board` runs it. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <raksha/raksha.h>

#include "agent/config.h"
#include "board/board.h"
#include "common/cli.h"
#include "common/log.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-board [--config FILE]\n"
		"       raksha-board -n [--config FILE]\n"
		"       raksha-agent board [--config FILE]   (the same)\n"
		"\n"
		"Shows the open cases of the agent's database (FILE is the agent's\n"
		"configuration) on this terminal, live, most urgent first, each in full\n"
		"with its photo and timeline; keys acknowledge a case or record it found\n"
		"or closed (? shows them all).\n"
		"\n"
		"  -c, --config FILE   the agent's configuration, raksha.conf(5); default\n"
		"                      %s/agent.conf, else ~/.config/raksha/agent.conf\n"
		"  -n, --check         check the configuration, print \"configuration OK\", exit\n"
		"  -h, --help, -V, --version\n"
		"exit: 0 quit, 64 usage or no terminal, 66 no config file, 78 bad config,\n"
		"      69 unknown terminal, 73 no outbox\n",
		cli_config_dir());
}

static const struct cli_program program = {"raksha-board", usage, "agent"};

int main(int argc, char **argv)
{
	struct cli_config_args args = {0};
	char path[4096];
	cli_init(&program);
	int r = cli_config_options(argc, argv, 0, &args);
	if (r >= 0)
		return r;
	r = cli_config_require(args.given, path, sizeof(path));
	if (r != 0)
		return r;
	log_init(LOG_STYLE_PLAIN);
	struct agent_config cfg;
	int problems = agent_config_load(path, &cfg);
	r = EX_CONFIG;
	if (problems < 0) {
		log_line(LOG_ERR, "raksha-board: %s: %s", path, strerror(errno));
		r = EX_NOINPUT;
	} else if (problems == 0 && args.check) {
		printf("configuration OK\n");
		r = EX_OK;
	} else if (problems == 0) {
		r = board_run(&cfg);
	}
	agent_config_free(&cfg);
	return r;
}
