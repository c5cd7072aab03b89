/* raksha-publish keygen: a unit's Ed25519 key pair, and the roster line
 * that makes agents trust it. */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/log.h"
#include "publisher/keygen.h"

static void keygen_usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-publish [global options] keygen [--id ID] [--role ROLE] [--out FILE]\n"
		"\n"
		"Makes the unit's signing key (Ed25519) in FILE (mode 0600; never replaces a\n"
		"file) and prints its public key and the roster line for the administrator.\n"
		"  --id ID      the unit's roster id (default: --sender-id or [origin] sender_id)\n"
		"  --role ROLE  its roster role: unit (default), agent, control, supervisor,\n"
		"               archive or admin\n"
		"  --out FILE   default: --signing-key or [publisher] signing_key\n");
}

/* What keygen makes: whose key, with which role, into which file. */
struct keygen_args {
	const char *id, *role, *out;
};

static int make_key(const struct pub *p, const struct keygen_args *a)
{
	const char *id = a->id, *out = a->out;
	char pk[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1];
	int r = raksha_signing_key_generate(id, out, pk);
	if (r == -EINVAL)
		return fail(EX_USAGE, "keygen: id '%s' must match [a-z0-9-]{1,64}", id);
	if (r == -EEXIST)
		return fail(EX_CANTCREAT, "keygen: %s exists; a unit's key is never replaced silently "
			    "(move it away first if you mean to)", out);
	if (r < 0)
		return fail(EX_CANTCREAT, "keygen: %s: %s", out, strerror(-r));
	printf("public key: %s\n", pk);
	if (p->state && p->region && p->agency)
		printf("roster line: %s,%s,%s,%s,%s,%s\n", id, p->state, p->region, p->agency, a->role, pk);
	log_line(LOG_NOTICE, "raksha-publish: secret key written to %s (mode 0600); send the public key "
		 "to the roster's administrator", out);
	return EX_OK;
}

int keygen_run(struct pub *p, int argc, char **argv)
{
	static const struct option o[] = {
		{"id", required_argument, NULL, 'i'}, {"role", required_argument, NULL, 'r'},
		{"out", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'}, {0},
	};
	struct keygen_args a = {.id = p->sender_id, .role = "unit", .out = p->signing_key_path};
	int c;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "+", o)) != -1) {
		if (c == 'i') {
			a.id = optarg;
		} else if (c == 'r') {
			a.role = optarg;
		} else if (c == 'o') {
			a.out = optarg;
		} else if (c == 'h') {
			keygen_usage(stdout);
			return EX_OK;
		} else {
			keygen_usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc || a.id == NULL || a.out == NULL) {
		const char *why = "no file: give --out";
		if (optind < argc)
			why = "unexpected argument";
		else if (a.id == NULL)
			why = "no unit id: give --id or --sender-id";
		keygen_usage(stderr);
		return fail(EX_USAGE, "keygen: %s", why);
	}
	/* Before the key is made: a wrong role is a line the roster refuses. */
	struct raksha_problem pr;
	if (raksha_roster_role_check(a.role, &pr) < 0)
		return fail(EX_USAGE, "keygen: --role: %s", pr.text);
	return make_key(p, &a);
}

int keygen_load(struct pub *p)
{
	struct raksha_problem pr;
	if (p->signing_key != NULL || p->signing_key_path == NULL)
		return 0;
	int r = raksha_signing_key_load(p->signing_key_path, &p->signing_key, &pr);
	if (r < 0)
		return fail(r == -ENOENT || r == -EACCES ? EX_NOINPUT : EX_CONFIG, "signing key: %s", pr.text);
	const char *id = raksha_signing_key_id(p->signing_key);
	if (p->sender_id == NULL)
		p->sender_id = id;  /* the key names the unit */
	else if (strcmp(p->sender_id, id) != 0)
		return fail(EX_CONFIG, "sender_id '%s' is not the signing key's unit '%s': agents would "
			    "refuse the signature", p->sender_id, id);
	return 0;
}
