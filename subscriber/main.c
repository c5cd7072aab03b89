/* raksha-agent: the district and railway-division service. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "agent.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-agent --config FILE [--foreground]\n"
		"       raksha-agent -n --config FILE\n"
		"\n"
		"Subscribes to the bus, logs every report, sighting, update, ack and\n"
		"escalation to its SQLite database before the broker hears it was\n"
		"delivered, and announces its presence.\n"
		"\n"
		"  -c, --config FILE   the configuration (see docs/agent.md)\n"
		"  -f, --foreground    print one line per event on stdout\n"
		"  -n                  check the configuration and exit: 'configuration OK'\n"
		"                      or every error with its line number (exit 78)\n"
		"  -h, --help, -V, --version\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'}, {"foreground", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {0},
	};
	const char *path = NULL;
	bool check_only = false, foreground = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:fnhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'f': foreground = true; break;
		case 'n': check_only = true; break;
		case 'h': usage(stdout); return EX_OK;
		case 'V': printf("raksha-agent %s\n", raksha_version()); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (path == NULL || optind < argc) {
		usage(stderr);
		return EX_USAGE;
	}
	struct agent_config cfg;
	int problems = agent_config_load(path, &cfg);
	if (problems < 0) {
		fprintf(stderr, "raksha-agent: %s: %s\n", path, strerror(errno));
		return EX_NOINPUT;
	}
	int r = problems > 0 ? EX_CONFIG : EX_OK;
	if (check_only && r == EX_OK)
		printf("configuration OK\n");
	else if (!check_only && r == EX_OK)
		r = agent_run(&cfg, foreground);
	agent_config_free(&cfg);
	return r;
}
