/* raksha-board: the terminal board over a district agent's database, for
 * the officer at the control room's PC. Its own program, so that the
 * unattended service never loads the terminal's and the photos' libraries;
 * `raksha-agent board` runs it. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <raksha/raksha.h>

#include "agent/config.h"
#include "board/board.h"
#include "common/log.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-board --config FILE\n"
		"       raksha-agent board --config FILE   (the same)\n"
		"\n"
		"Shows the open cases of the agent's database (FILE is the agent's\n"
		"configuration) on this terminal, live, most urgent first, each in full\n"
		"with its photo and timeline; keys acknowledge a case or record it found\n"
		"or closed (? shows them all).\n"
		"\n"
		"  -c, --config FILE   the agent's configuration (see raksha.conf(5))\n"
		"  -h, --help, -V, --version\n"
		"exit: 0 quit, 64 usage or no terminal, 66 no config file, 78 bad config,\n"
		"      69 unknown terminal, 73 no outbox\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'}, {0},
	};
	const char *path = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'h': usage(stdout); return EX_OK;
		case 'V': printf("raksha-board %s\n", raksha_version()); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (path == NULL || optind < argc) {
		usage(stderr);
		return EX_USAGE;
	}
	log_init(LOG_STYLE_PLAIN);
	struct agent_config cfg;
	int problems = agent_config_load(path, &cfg);
	int r = EX_CONFIG;
	if (problems < 0) {
		log_line(LOG_ERR, "raksha-board: %s: %s", path, strerror(errno));
		r = EX_NOINPUT;
	} else if (problems == 0) {
		r = board_run(&cfg);
	}
	agent_config_free(&cfg);
	return r;
}
