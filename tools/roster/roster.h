/* raksha-roster's roster: every unit that may connect to a production
 * broker (lib/roster.h has the file's format; the agents' trust store is
 * this same file). */
#ifndef RAKSHA_TOOLS_ROSTER_H
#define RAKSHA_TOOLS_ROSTER_H

#include <stddef.h>
#include <stdio.h>

#include "lib/roster.h"

struct roster {
	struct roster_unit *units;
	size_t n, cap;
};

/* Reads @path. Logs every bad line as "PATH:LINE: ..." (common/log.h).
 * Returns the number of bad lines (0: all good), or -1 with errno set if
 * the file cannot be read. Free @r with roster_free() in every case. */
int roster_load(const char *path, struct roster *r);

/* How many of @r's units have a public key. */
size_t roster_signing_units(const struct roster *r);

void roster_free(struct roster *r);

/* Writes mosquitto's acl_file for @r to @out (docs/security.md has the
 * matrix). Returns 0, or -1 if a write failed. */
int roster_write_acl(const struct roster *r, FILE *out);

#endif
