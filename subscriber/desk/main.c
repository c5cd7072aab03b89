/* raksha-desk: the web desk beside a district agent, for officers' phones
 * and PCs: the open cases and each case with its photos, behind a login.
 * Its own process, so that a fault in the web side never stops the
 * agent's ingestion; it only reads the agent's database. */
#define _GNU_SOURCE /* getopt_long */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <raksha/raksha.h>
#include <systemd/sd-daemon.h>

#include "common/cli.h"
#include "common/log.h"
#include "desk/desk.h"
#include "desk/desk_config.h"
#include "desk/desk_user_cmd.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-desk [--config FILE] [-n]\n"
		"       raksha-desk [--config FILE] user add NAME [--full-name TEXT] [--badge TEXT]\n"
		"                                     [--role officer|supervisor]\n"
		"       raksha-desk [--config FILE] user del|passwd NAME\n"
		"       raksha-desk [--config FILE] user list\n"
		"\n"
		"Serves the agent's open cases to officers' browsers, as [desk] in FILE (the\n"
		"agent's configuration, raksha.conf(5)) says; `user` keeps its accounts file\n"
		"(a password from the terminal, or the first line of standard input).\n"
		"\n"
		"  -c, --config FILE   the agent's configuration file; default %s/agent.conf,\n"
		"                      else ~/.config/raksha/agent.conf\n"
		"  -n, --check         check the configuration, print \"configuration OK\", exit\n"
		"  -h, --help, -V, --version\n"
		"exit: 0, 64 usage, 65 bad account data, 66 no config file, 69 cannot listen,\n"
		"      73 cannot write the accounts file, 78 bad config\n",
		cli_config_dir());
}

static const struct cli_program program = {"raksha-desk", usage, "agent"};

/* Serves until SIGTERM or SIGINT. */
static int serve(const struct desk_config *c)
{
	struct desk d;
	char err[512];
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);  /* before libmicrohttpd's thread starts */
	signal(SIGPIPE, SIG_IGN);
	if (!c->loopback && c->tls_cert == NULL)
		log_line(LOG_WARNING, "raksha-desk: WARNING: insecure_http = yes: serving passwords, "
			 "sessions and children's data WITHOUT TLS on %s; anyone on the network can read "
			 "them. Only for a lab.", c->listen);
	if (desk_start(&d, c, err, sizeof(err)) < 0) {
		log_line(LOG_ERR, "raksha-desk: %s", err);
		return EX_UNAVAILABLE;
	}
	log_line(LOG_NOTICE, "raksha-desk: listening on %s://%s (accounts: %s, database: %s)",
		 d.https ? "https" : "http", c->listen, c->users, c->agent.database);
	sd_notifyf(0, "READY=1\nSTATUS=listening on %s://%s", d.https ? "https" : "http", c->listen);
	int sig = 0;
	sigwait(&stop, &sig);
	log_line(LOG_NOTICE, "raksha-desk: stopping (signal %d)", sig);
	sd_notify(0, "STOPPING=1");
	desk_stop(&d);
	return EX_OK;
}

/* Reads the options before the command into @a (cli_config_options()).
 * Returns -1 to go on, else an exit code. */
static int options(int argc, char **argv, struct cli_config_args *a)
{
	int r = cli_config_options(argc, argv, CLI_COMMANDS, a);
	if (r >= 0)
		return r;
	bool user = optind < argc && strcmp(argv[optind], "user") == 0;
	if (optind < argc && !user)
		return cli_usage_error("'%s' is not a command", argv[optind]);
	if (user && a->check)
		return cli_usage_error("-n checks the configuration: no command with it");
	return -1;
}

int main(int argc, char **argv)
{
	struct cli_config_args args = {0};
	char path[4096];
	cli_init(&program);
	int r = options(argc, argv, &args);
	if (r >= 0)
		return r;
	bool user = optind < argc;
	r = cli_config_require(args.given, path, sizeof(path));
	if (r != 0)
		return r;
	log_init(user || args.check ? LOG_STYLE_PLAIN : LOG_STYLE_SERVICE);
	if (access(path, R_OK) != 0) {
		log_line(LOG_ERR, "raksha-desk: cannot read %s", path);
		return EX_NOINPUT;
	}
	struct desk_config c;
	int problems = desk_config_load(path, &c);
	r = problems != 0 ? EX_CONFIG : EX_OK;
	if (r == EX_OK && user) {
		r = desk_user_cmd(c.users, c.sessions, argc - optind - 1, argv + optind + 1);
		if (r == EX_USAGE)
			cli_usage_error("user: add NAME, del NAME, passwd NAME or list");
	} else if (r == EX_OK && args.check) {
		printf("configuration OK\n");
	} else if (r == EX_OK) {
		r = serve(&c);
	}
	desk_config_free(&c);
	return r;
}
