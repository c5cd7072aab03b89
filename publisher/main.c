/* raksha-publish: put a report, sighting, status update or ack on the bus,
 * never losing it: every envelope goes to the durable outbox first and
 * leaves it only when the broker has acknowledged it. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "publisher/commands.h"
#include "publisher/config.h"
#include "publisher/keygen.h"
#include "publisher/send.h"

#define DEFAULT_URL "mqtt://127.0.0.1:1883"
#define DEFAULT_TIMEOUT_S 10

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-publish [global options] COMMAND [options]\n"
		"\n"
		"commands:\n"
		"  report      a missing child (prints the report id)\n"
		"  sighting    a child seen, of a report or not yet reported\n"
		"  update      found, rescued, reunited, closed, cancelled or reopened\n"
		"  ack         received, acting or done, for a report\n"
		"  link        found child F is report R (both then show as one case)\n"
		"  flush       send what the outbox holds\n"
		"  outbox      list what the outbox holds\n"
		"  keygen      make this unit's signing key\n"
		"\n"
		"global options:\n"
		"  -c, --config FILE    INI file: [origin], [broker], [publisher] (see raksha-publish(1));\n"
		"                       default %s/publish.conf, else ~/.config/raksha/publish.conf\n"
		"  -n, --check          check the configuration, print \"configuration OK\", exit\n"
		"  --url URL            broker, mqtt://HOST:PORT or mqtts://HOST:PORT (repeatable; default "
		DEFAULT_URL ")\n"
		"  --username NAME, --password-file FILE   the broker's login ([broker] username,\n"
		"                       password_file)\n"
		"  --ca-file FILE, --cert-file FILE, --key-file FILE   TLS: the CA, this unit's\n"
		"                       certificate and key ([broker] ca_file, cert_file, key_file)\n"
		"  --state, --region, --agency CODE   the sending unit (the topic's levels)\n"
		"  --unit NAME          the unit's display name\n"
		"  --sender-id ID, --officer-name, --officer-badge, --officer-phone\n"
		"  --outbox DIR         default $XDG_STATE_HOME/raksha/outbox\n"
		"  --signing-key FILE   sign every envelope with this unit's key (raksha-publish keygen)\n"
		"  --timeout SECONDS    wait for the broker at most this long (default 10)\n"
		"  --mqtt-version 3|5   MQTT 3.1.1 (default) or MQTT 5, which says when the broker refuses\n"
		"                       a publication (its ACL)\n"
		"  --dry-run            print the envelope as JSON, send nothing (flush: list what it would send)\n"
		"  -h, --help, -V, --version\n"
		"\n"
		"'raksha-publish COMMAND --help' lists a command's options.\n"
		"exit: 0 acknowledged by the broker, 75 kept in the outbox, 77 refused by the broker\n"
		"      (MQTT 5; moved to the outbox's refused/), 64 usage, 65 invalid data,\n"
		"      66 unreadable input file, 78 bad config, 1 anything else\n",
		cli_config_dir());
}

static const struct cli_program program = {"raksha-publish", usage, "publish"};

enum { G_STATE = 1000, G_REGION, G_AGENCY, G_UNIT, G_SENDER, G_ONAME, G_OBADGE,
       G_OPHONE, G_OUTBOX, G_TIMEOUT, G_DRY, G_URL, G_SIGNING_KEY,
       G_MQTT_VERSION, G_USERNAME, G_PASSWORD_FILE, G_CA_FILE, G_CERT_FILE, G_KEY_FILE };

/* The [broker] credentials, as flags of the same names. */
static int credential_option(struct pub *p, int c, const char *arg)
{
	const char **dst[] = {&p->username, &p->password_file, &p->ca_file, &p->cert_file, &p->key_file};
	if (c < G_USERNAME || c > G_KEY_FILE)
		return EX_USAGE;
	*dst[c - G_USERNAME] = arg;
	return 0;
}

static int global_option(struct pub *p, int c, const char *arg)
{
	const char **dst[] = {[G_STATE - G_STATE] = &p->state, &p->region, &p->agency, &p->unit,
			      &p->sender_id, &p->officer_name, &p->officer_badge, &p->officer_phone};
	char *end;
	if (c >= G_STATE && c <= G_OPHONE) {
		*dst[c - G_STATE] = arg;
	} else if (c == G_URL) {
		if (p->n_urls == MAX_URLS)
			return fail(EX_USAGE, "--url: at most %d", MAX_URLS);
		p->urls[p->n_urls++] = arg;
		p->urls_from_flags = true;
	} else if (c == 'c') {
		p->config = arg;
	} else if (c == G_OUTBOX) {
		snprintf(p->outbox_dir, sizeof(p->outbox_dir), "%s", arg);
	} else if (c == G_TIMEOUT) {
		long v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 3600)
			return fail(EX_USAGE, "--timeout: '%s' is not a number of seconds (1..3600)", arg);
		p->timeout_s = (int)v;
	} else if (c == G_MQTT_VERSION) {
		p->mqtt_version = mqtt_version_parse(arg);
		if (p->mqtt_version == 0)
			return fail(EX_USAGE, "--mqtt-version: '%s' is not 3 (MQTT 3.1.1) or 5 (MQTT 5)", arg);
	} else if (c == G_SIGNING_KEY) {
		p->signing_key_path = arg;
	} else if (c == G_DRY) {
		p->dry_run = true;
	} else if (c == 'n') {
		p->check = true;
	} else {
		return credential_option(p, c, arg);
	}
	return 0;
}

static int parse_globals(struct pub *p, int argc, char **argv)
{
	static const struct option o[] = {
		{"url", required_argument, NULL, G_URL}, {"config", required_argument, NULL, 'c'},
		{"check", no_argument, NULL, 'n'},
		{"state", required_argument, NULL, G_STATE}, {"region", required_argument, NULL, G_REGION},
		{"agency", required_argument, NULL, G_AGENCY}, {"unit", required_argument, NULL, G_UNIT},
		{"sender-id", required_argument, NULL, G_SENDER},
		{"officer-name", required_argument, NULL, G_ONAME},
		{"officer-badge", required_argument, NULL, G_OBADGE},
		{"officer-phone", required_argument, NULL, G_OPHONE},
		{"outbox", required_argument, NULL, G_OUTBOX}, {"timeout", required_argument, NULL, G_TIMEOUT},
		{"signing-key", required_argument, NULL, G_SIGNING_KEY},
		{"mqtt-version", required_argument, NULL, G_MQTT_VERSION},
		{"username", required_argument, NULL, G_USERNAME},
		{"password-file", required_argument, NULL, G_PASSWORD_FILE},
		{"ca-file", required_argument, NULL, G_CA_FILE},
		{"cert-file", required_argument, NULL, G_CERT_FILE},
		{"key-file", required_argument, NULL, G_KEY_FILE},
		{"dry-run", no_argument, NULL, G_DRY}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'}, {0},
	};
	int c;
	while ((c = cli_getopt(argc, argv, "+c:nhV", o)) != -1) {
		if (c == 'h')
			return cli_help() - 1;  /* -1: done */
		if (c == 'V')
			return cli_version() - 1;
		int r = c == '?' ? EX_USAGE : global_option(p, c, optarg);
		if (r == EX_USAGE)
			return cli_bad_usage();
		if (r != 0)
			return r;
	}
	return 0;
}

/* Fills in what neither flags nor the config gave. */
static int defaults(struct pub *p)
{
	if (p->n_urls == 0)
		p->urls[p->n_urls++] = DEFAULT_URL;
	if (p->timeout_s == 0)
		p->timeout_s = DEFAULT_TIMEOUT_S;
	if (p->outbox_dir[0] == '\0' && raksha_outbox_default_dir(p->outbox_dir, sizeof(p->outbox_dir)) < 0)
		return fail(EX_USAGE, "no outbox folder: set HOME or XDG_STATE_HOME, or give --outbox DIR");
	return 0;
}

static int dispatch(struct pub *p, int argc, char **argv)
{
	const char *name = argv[0];
	if (strcmp(name, "flush") == 0 && argc == 1)
		return p->dry_run ? send_list(p) : send_flush(p);  /* what would be sent */
	if (strcmp(name, "outbox") == 0 && argc == 1)
		return send_list(p);
	if (strcmp(name, "keygen") == 0)
		return keygen_run(p, argc, argv);
	for (const struct command *c = commands; c->name != NULL; c++)
		if (strcmp(name, c->name) == 0)
			return command_run(p, c, argc, argv);
	return cli_usage_error("'%s' is not a command%s", name,
			       strcmp(name, "flush") == 0 || strcmp(name, "outbox") == 0 ? " with arguments" : "");
}

/* The configuration --config names, else the first of the default places
 * (cli.h); none there is no error but for -n: flags may say everything. */
static int load_config(struct pub *p)
{
	char path[4096];
	int r = p->check ? cli_config_require(p->config, path, sizeof(path))
			 : cli_config_path(p->config, path, sizeof(path));
	if (r == -ENOENT)
		return 0;
	if (r == -ENAMETOOLONG)
		return fail(EX_USAGE, "--config: the path is too long");
	return r == 0 ? config_load(p, path) : r;
}

/* From the arguments to the exit code; main() frees what @p holds. */
static int run(struct pub *p, int argc, char **argv)
{
	int r = parse_globals(p, argc, argv);
	if (r != 0)
		return r;
	if (p->check && optind < argc)
		return cli_usage_error("-n checks the configuration: no command with it");
	if (!p->check && optind >= argc)
		return cli_usage_error("no command given");
	r = load_config(p);
	if (r != 0)
		return r;
	if (p->check) {
		printf("configuration OK\n");
		return -1;  /* done */
	}
	r = defaults(p);
	if (r != 0)
		return r;
	return dispatch(p, argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	struct pub p = {0};
	cli_init(&program);
	int r = run(&p, argc, argv);
	raksha_signing_key_free(p.signing_key);
	ini_strings_free(&p.owned);
	/* The documented codes stand; system trouble (70-74: out of memory, a
	 * folder that cannot be made, an I/O error) is "anything else". */
	if (r >= EX_SOFTWARE && r <= EX_IOERR)
		r = 1;
	return r < 0 ? 0 : r;
}
