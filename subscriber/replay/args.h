/* raksha-replay's command line. */
#ifndef RAKSHA_REPLAY_ARGS_H
#define RAKSHA_REPLAY_ARGS_H

#include <stdbool.h>

#include "history/history.h"
#include "replay/output.h"

#define REPLAY_MAX_URLS 8

struct args {
	bool stats;                    /* the "stats" command */
	bool presence;                 /* the "presence" command */
	const char *db;
	struct history_filter filter;
	enum format format;
	bool follow;
	const char *republish;         /* prefix, or NULL */
	double speed;                  /* 0: as fast as the broker takes it */
	const char *urls[REPLAY_MAX_URLS];
	int n_urls;
	bool remote;
	const char *archive;           /* the archive agent's id */
	const char *username, *password_file, *ca_file;
	int timeout_s;
};

/* Parses argv into @a. Prints what is wrong and the usage on stderr.
 * Returns 0, or a sysexits code (EX_USAGE), or -1 after --help/--version. */
int args_parse(int argc, char **argv, struct args *a);

void args_usage(FILE *out);

#endif
