/* The programs' shared command line (cli.h). */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/log.h"

/* meson.build: the project's version and its sysconfdir under its prefix. */
#ifndef RAKSHA_VERSION
#define RAKSHA_VERSION "unknown"
#endif
#ifndef RAKSHA_SYSCONFDIR
#define RAKSHA_SYSCONFDIR "/etc"
#endif

static const struct cli_program *program;

void cli_init(const struct cli_program *p)
{
	program = p;
	log_program(p->name);
	opterr = 0;  /* getopt's own messages name argv[0]: cli_getopt() says them */
}

int cli_help(void)
{
	program->usage(stdout);
	return EX_OK;
}

int cli_version(void)
{
	printf("%s %s\n", program->name, RAKSHA_VERSION);
	return EX_OK;
}

int cli_bad_usage(void)
{
	program->usage(stderr);
	return EX_USAGE;
}

__attribute__((format(printf, 1, 0)))
static void vsay(const char *fmt, va_list ap)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "%s: ", program->name);
	log_vprefixed(LOG_ERR, prefix, fmt, ap);
}

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return cli_bad_usage();
}

/* Says what getopt_long() refused, as it was written: a long option as
 * given ("--frobnicate"), a short one by its letter (it may be in "-fx"). */
static void bad_option(int c, int argc, char **argv, const char *shortopts)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	bool is_short = optopt > 0 && optopt < 256 && strncmp(arg, "--", 2) != 0;
	if (c == ':' && is_short)
		say("option '-%c' needs a value", optopt);
	else if (c == ':')
		say("option '%s' needs a value", arg);
	else if (optopt == 0)
		say("unknown option '%s'", arg);
	else if (optopt < 256 && strchr(shortopts, optopt) == NULL)
		say("unknown option '-%c'", optopt);
	else
		say("option '%s' takes no value", arg);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	/* A leading ':' tells a missing value (':') from an unknown option ('?'). */
	char spec[128];
	bool stop = shortopts[0] == '+';
	snprintf(spec, sizeof(spec), "%s:%s", stop ? "+" : "", shortopts + stop);
	int c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	bad_option(c, argc, argv, shortopts + stop);
	return '?';
}

const char *cli_config_dir(void)
{
	return RAKSHA_SYSCONFDIR "/raksha";
}

/* $XDG_CONFIG_HOME, or $HOME/.config (the XDG base directory spec). */
static int user_config_dir(char *out, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, size, "%s", xdg);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(out, size, "%s/.config", home);
	else
		return -ENOENT;
	return n >= 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/* @path into @out. Returns 0, or -ENAMETOOLONG. */
static int copy_path(const char *path, char *out, size_t size)
{
	return (size_t)snprintf(out, size, "%s", path) < size ? 0 : -ENAMETOOLONG;
}

int cli_config_path(const char *given, char *out, size_t size)
{
	if (given != NULL)
		return copy_path(given, out, size);
	char sys_path[4096], user[4096], dir[3900];
	snprintf(sys_path, sizeof(sys_path), "%s/%s.conf", cli_config_dir(), program->config);
	if (access(sys_path, F_OK) == 0)
		return copy_path(sys_path, out, size);
	int r = user_config_dir(dir, sizeof(dir));
	snprintf(user, sizeof(user), "%s/raksha/%s.conf", r == 0 ? dir : "~/.config", program->config);
	if (r == 0 && access(user, F_OK) == 0)
		return copy_path(user, out, size);
	snprintf(out, size, "%s or %s", sys_path, user);
	return -ENOENT;
}

int cli_config_require(const char *given, char *out, size_t size)
{
	int r = cli_config_path(given, out, size);
	if (r == -ENOENT)
		log_line(LOG_ERR, "%s: no configuration: give --config FILE, or write %s", program->name,
			 out);
	else if (r < 0)
		log_line(LOG_ERR, "%s: --config: the path is too long", program->name);
	return r < 0 ? EX_NOINPUT : 0;
}

int cli_config_options(int argc, char **argv, unsigned flags, struct cli_config_args *a)
{
	struct option longopts[] = {
		{"config", required_argument, NULL, 'c'}, {"check", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
		{"foreground", no_argument, NULL, 'f'}, {0},
	};
	char shortopts[16];
	bool foreground = flags & CLI_FOREGROUND, commands = flags & CLI_COMMANDS;
	if (!foreground)
		longopts[4] = (struct option){0};
	snprintf(shortopts, sizeof(shortopts), "%sc:%snhV", commands ? "+" : "", foreground ? "f" : "");
	int c;
	while ((c = cli_getopt(argc, argv, shortopts, longopts)) != -1) {
		switch (c) {
		case 'c': a->given = optarg; break;
		case 'n': a->check = true; break;
		case 'f': a->foreground = true; break;
		case 'h': return cli_help();
		case 'V': return cli_version();
		default: return cli_bad_usage();
		}
	}
	if (optind < argc && !commands)
		return cli_usage_error("unexpected argument '%s'", argv[optind]);
	return -1;
}
