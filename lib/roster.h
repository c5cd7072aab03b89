/* Internal: the roster (docs/security.md), every unit that may connect to
 * a production broker, one CSV line each:
 *   id,state,region,agency,role[,public key]
 * no quoting (no field holds a comma), fields trimmed of blanks, '#'
 * comments and blank lines skipped, and a header line (first field "id",
 * fifth "role") wherever it is. One reader for its two users: the trust
 * store (trust_store.c: the units with a key) and raksha-roster (every
 * unit: the broker's password and ACL files). */
#ifndef RAKSHA_LIB_ROSTER_H
#define RAKSHA_LIB_ROSTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <raksha/sign.h>
#include <raksha/topic.h>

/* A line longer than this is refused (by its number). */
#define ROSTER_LINE_MAX 1024

enum roster_role { ROSTER_UNIT, ROSTER_AGENT, ROSTER_CONTROL, ROSTER_SUPERVISOR, ROSTER_ARCHIVE, ROSTER_ADMIN };

struct roster_unit {
	char id[RAKSHA_AGENT_ID_MAX + 1];
	char state[RAKSHA_SEGMENT_MAX + 1], region[RAKSHA_SEGMENT_MAX + 1], agency[RAKSHA_SEGMENT_MAX + 1];
	enum roster_role role;
	bool signs;                         /* has a public key: agents check its envelopes */
	uint8_t key[RAKSHA_PUBLIC_KEY_LEN]; /* if it signs */
	int line;                           /* 1 is the first */
};

/* Called for each unit's line (@u set, @why NULL) and each bad line (@u
 * NULL, @why says what is wrong with it, naming the field). Returns 0 to
 * go on, or a negative errno to stop. */
typedef int (*roster_line_fn)(void *ctx, int line, const struct roster_unit *u, const char *why);

/* Reads @in to its end, calling @fn for each line that is a unit or
 * should have been. Returns 0, the first negative value @fn returned,
 * -ENOMEM, or -EIO if reading failed. */
int roster_read(FILE *in, roster_line_fn fn, void *ctx);

/* "unit", "agent", "control", "supervisor", "archive", "admin". */
const char *roster_role_name(enum roster_role role);

#endif
