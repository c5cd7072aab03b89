/* raksha-replay's command line. */
#ifndef RAKSHA_REPLAY_ARGS_H
#define RAKSHA_REPLAY_ARGS_H

#include <stdbool.h>

#include "common/ini_file.h"
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
	const char *username, *password_file, *ca_file, *cert_file, *key_file;
	int timeout_s;
	const char *config;            /* --config, or NULL: the default one (cli.h) */
	bool check_config;             /* -n: check the configuration, nothing else */
	bool urls_from_flags;          /* --url given: the file's url lines are not used */
	struct ini_strings owned;      /* the strings read from the configuration */
};

/* Parses argv into @a, then reads the configuration (replay_config_load())
 * for what no flag gave. Prints what is wrong (and the usage, for the
 * command line) on stderr. Returns 0, or a sysexits code (EX_USAGE,
 * EX_CONFIG, ...), or -1 after --help, --version or -n. Free @a with
 * args_free() whatever it returns. */
int args_parse(int argc, char **argv, struct args *a);

/* Reads the configuration file --config names, else the default one
 * (replay.conf, cli.h) if there is one: [broker] url, username,
 * password_file, ca_file, cert_file, key_file, and [replay] database,
 * archive, timeout, each where no flag set it. Prints every bad line as
 * "raksha-replay: FILE:LINE: ...". Returns 0, EX_NOINPUT (unreadable; or
 * none at all for -n), EX_CONFIG (a bad line) or EX_OSERR. */
int replay_config_load(struct args *a);

/* Frees what @a holds. */
void args_free(struct args *a);

void args_usage(FILE *out);

#endif
