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

#include "common/log.h"
#include "desk/desk.h"
#include "desk/desk_config.h"
#include "desk/desk_user_cmd.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-desk --config FILE [-n]\n"
		"       raksha-desk --config FILE user add NAME [--full-name TEXT] [--badge TEXT]\n"
		"                                     [--role officer|supervisor]\n"
		"       raksha-desk --config FILE user del|passwd NAME\n"
		"       raksha-desk --config FILE user list\n"
		"\n"
		"Serves the agent's open cases to officers' browsers, as [desk] in FILE (the\n"
		"agent's configuration, raksha.conf(5)) says; `user` keeps its accounts file\n"
		"(a password from the terminal, or the first line of standard input).\n"
		"\n"
		"  -c, --config FILE   the agent's configuration file\n"
		"  -n, --check         check the configuration, print \"configuration OK\", exit\n"
		"  -h, --help, -V, --version\n"
		"exit: 0, 64 usage, 65 bad account data, 66 no config file, 69 cannot listen,\n"
		"      73 cannot write the accounts file, 78 bad config\n");
}

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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'}, {"check", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {0},
	};
	const char *path = NULL;
	bool check = false;
	int ch;
	while ((ch = getopt_long(argc, argv, "+c:nhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'n': check = true; break;
		case 'h': usage(stdout); return EX_OK;
		case 'V': printf("raksha-desk %s\n", raksha_version()); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	bool user = optind < argc && strcmp(argv[optind], "user") == 0;
	if (path == NULL || (optind < argc && !user) || (user && check)) {
		usage(stderr);
		return EX_USAGE;
	}
	log_init(user || check ? LOG_STYLE_PLAIN : LOG_STYLE_SERVICE);
	if (access(path, R_OK) != 0) {
		log_line(LOG_ERR, "raksha-desk: cannot read %s", path);
		return EX_NOINPUT;
	}
	struct desk_config c;
	int problems = desk_config_load(path, &c);
	int r = problems != 0 ? EX_CONFIG : EX_OK;
	if (r == EX_OK && user) {
		r = desk_user_cmd(c.users, c.sessions, argc - optind - 1, argv + optind + 1);
		if (r == EX_USAGE)
			usage(stderr);
	} else if (r == EX_OK && check) {
		printf("configuration OK\n");
	} else if (r == EX_OK) {
		r = serve(&c);
	}
	desk_config_free(&c);
	return r;
}
