/* The roster: every unit that may connect to a production broker, one CSV
 * line each: id,state,region,agency,role and, for a unit that signs, its
 * public key (the agents' trust store is this same file). */
#ifndef RAKSHA_ROSTER_H
#define RAKSHA_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum role { ROLE_UNIT, ROLE_AGENT, ROLE_CONTROL, ROLE_SUPERVISOR, ROLE_ARCHIVE, ROLE_ADMIN };

struct unit {
	char id[65], state[33], region[33], agency[33];
	enum role role;
	int line;
	bool signs;  /* has a public key: agents verify its envelopes */
};

struct roster {
	struct unit *units;
	size_t n, cap;
};

/* Reads @path. Prints every bad line as "PATH:LINE: ..." on stderr.
 * Returns the number of bad lines (0: all good), or -1 with errno set if
 * the file cannot be read. */
int roster_read(const char *path, struct roster *r);

void roster_free(struct roster *r);

const char *role_name(enum role role);

/* Writes mosquitto's acl_file for @r to @out (docs/security.md has the
 * matrix). Returns 0, or -1 if a write failed. */
int roster_write_acl(const struct roster *r, FILE *out);

#endif
