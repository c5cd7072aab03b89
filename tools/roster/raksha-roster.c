/* raksha-roster: the production broker's password and ACL files, made from
 * the roster of units (docs/security.md). */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <sodium.h>

#include <raksha/raksha.h>

#include "common/cli.h"
#include "common/log.h"
#include "tools/roster/roster.h"
#include "tools/roster/secrets.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-roster --roster units.csv --acl FILE --passwords FILE --secrets FILE\n"
		"       raksha-roster -n --roster units.csv\n"
		"\n"
		"Reads the roster (id,state,region,agency,role[,public key] per line; role:\n"
		"unit, agent, control, supervisor, archive or admin; the public key from\n"
		"'raksha-publish keygen', for units that sign) and writes mosquitto's\n"
		"acl_file and password_file. Each id is a unit's MQTT username and the\n"
		"client id of its one persistent session; its other connections use\n"
		"ID:... (raksha-clientid.so binds them). Agents read the same roster as\n"
		"their trust store. --secrets keeps each unit's password (id:password, mode 0600)\n"
		"across runs; a new unit gets a random one there, to hand over.\n"
		"  -n, --check   check the roster only: 'roster OK (N units)' or every bad line\n"
		"  -h, --help, -V, --version\n"
		"exit: 0, 64 usage, 65 bad roster lines, 66 roster unreadable, 69 no\n"
		"      mosquitto_passwd, 73 cannot write\n");
}

static const struct cli_program program = {"raksha-roster", usage, NULL};

/* Writes the ACL to @path.tmp, then renames it into place. */
static int write_acl(const struct roster *r, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
	if (out == NULL)
		return -errno;
	int e = roster_write_acl(r, out) == 0 && fflush(out) == 0 && fsync(fd) == 0 ? 0 : -EIO;
	fclose(out);
	if (e == 0 && rename(tmp, path) < 0)
		e = -errno;
	if (e < 0)
		unlink(tmp);
	return e;
}

static int write_files(const struct roster *r, const char *acl, const char *passwd, const char *secrets)
{
	int added = 0, e = write_acl(r, acl);
	if (e < 0) {
		log_line(LOG_ERR, "raksha-roster: %s: %s", acl, strerror(-e));
		return EX_CANTCREAT;
	}
	e = secrets_write(r, secrets, passwd, &added);
	if (e == -ENOENT) {
		log_line(LOG_ERR, "raksha-roster: mosquitto_passwd not found (Debian: mosquitto)");
		return EX_UNAVAILABLE;
	}
	if (e < 0) {
		log_line(LOG_ERR, "raksha-roster: %s, %s: %s", secrets, passwd, strerror(-e));
		return EX_CANTCREAT;
	}
	printf("%zu unit(s): %s, %s written; %d new password(s) in %s\n", r->n, acl, passwd, added, secrets);
	return EX_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"roster", required_argument, NULL, 'r'}, {"acl", required_argument, NULL, 'a'},
		{"passwords", required_argument, NULL, 'p'}, {"secrets", required_argument, NULL, 's'},
		{"check", no_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'}, {0},
	};
	const char *roster = NULL, *acl = NULL, *passwd = NULL, *secrets = NULL;
	int check = 0, c;
	cli_init(&program);
	while ((c = cli_getopt(argc, argv, "nhV", longopts)) != -1) {
		switch (c) {
		case 'r': roster = optarg; break;
		case 'a': acl = optarg; break;
		case 'p': passwd = optarg; break;
		case 's': secrets = optarg; break;
		case 'n': check = 1; break;
		case 'h': return cli_help();
		case 'V': return cli_version();
		default: return cli_bad_usage();
		}
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument '%s'", argv[optind]);
	if (roster == NULL || (!check && (!acl || !passwd || !secrets)))
		return cli_usage_error("%s", check ? "-n needs --roster"
				       : "give --roster, --acl, --passwords and --secrets");
	if (sodium_init() < 0)
		return EX_SOFTWARE;
	struct roster r;
	int bad = roster_load(roster, &r);
	int rc = EX_OK;
	if (bad < 0) {
		log_line(LOG_ERR, "raksha-roster: %s: %s", roster, strerror(errno));
		rc = EX_NOINPUT;
	} else if (bad > 0) {
		log_line(LOG_ERR, "raksha-roster: %d bad line(s); nothing written", bad);
		rc = EX_DATAERR;
	} else if (check) {
		printf("roster OK (%zu units, %zu with a signing key)\n", r.n, roster_signing_units(&r));
	} else {
		rc = write_files(&r, acl, passwd, secrets);
	}
	roster_free(&r);
	return rc;
}
