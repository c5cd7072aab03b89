/* What every program's command line does alike: its fixed name in every
 * message (never argv[0], which may be a path), -h/--help, -V/--version,
 * a bad option (its name, the usage on stderr, EX_USAGE) and where its
 * configuration is when no --config names it. */
#ifndef RAKSHA_COMMON_CLI_H
#define RAKSHA_COMMON_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli_program {
	const char *name;             /* "raksha-agent" */
	void (*usage)(FILE *out);     /* prints the usage */
	const char *config;           /* "agent": NAME of its NAME.conf; NULL: none (no cli_config_*) */
};

/* Makes @p the running program, for every cli_* call and for the name in
 * front of log_file_error()'s lines. @p must outlive the program. */
void cli_init(const struct cli_program *p);

/* getopt_long(), but a bad option (unknown, or without its value) is said
 * on stderr as "NAME: unknown option '--x'" or "NAME: option '-c' needs a
 * value" (not getopt's own message, which names argv[0]) and returned as
 * '?'; the caller then prints its usage (cli_bad_usage()). @shortopts may
 * start with '+' (stop at the first operand). */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* The usage on stdout. Returns EX_OK. */
int cli_help(void);

/* "NAME VERSION" (meson's project version) on stdout. Returns EX_OK. */
int cli_version(void);

/* The usage on stderr. Returns EX_USAGE. */
int cli_bad_usage(void);

/* "NAME: MESSAGE" and the usage on stderr. Returns EX_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What a program over the agent's configuration was asked
 * (cli_config_options()). */
struct cli_config_args {
	const char *given;  /* -c, --config FILE; NULL: the default (cli_config_path()) */
	bool check;         /* -n, --check */
	bool foreground;    /* -f, --foreground, with CLI_FOREGROUND */
};

enum {
	CLI_FOREGROUND = 1,  /* -f, --foreground taken */
	CLI_COMMANDS = 2,    /* an operand is a command: the options end there */
};

/* Reads the options every program over the agent's configuration takes
 * alike: -c/--config FILE, -n/--check, -h/--help, -V/--version, and with
 * CLI_FOREGROUND in @flags -f/--foreground, into @a. With CLI_COMMANDS the
 * options end at the first operand (argv[optind], the command); without,
 * an operand is a usage error. Returns -1 to go on, else an exit code:
 * EX_OK after -h or -V, EX_USAGE. */
int cli_config_options(int argc, char **argv, unsigned flags, struct cli_config_args *a);

/* Where the system's configuration files are: SYSCONFDIR/raksha ("/etc/raksha"
 * with the prefix /usr). */
const char *cli_config_dir(void);

/* The configuration file to read: @given (--config) if not NULL; else the
 * first that exists of SYSCONFDIR/raksha/NAME.conf (/etc/raksha/ when
 * installed with the prefix /usr) and $XDG_CONFIG_HOME/raksha/NAME.conf
 * ($HOME/.config when XDG_CONFIG_HOME is unset or empty). Writes it to
 * @out. Returns 0; -ENOENT if no --config and neither file exists, the
 * places searched then in @out ("A or B"); -ENAMETOOLONG if @out is too
 * small. */
int cli_config_path(const char *given, char *out, size_t size);

/* cli_config_path() for a program that cannot run without its
 * configuration: says on stderr what is missing and where it was looked
 * for. Returns 0, or EX_NOINPUT. */
int cli_config_require(const char *given, char *out, size_t size);

#endif
