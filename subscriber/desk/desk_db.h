/* The agent's database as the desk reads it: opened read-only (the agent
 * is its only writer; WAL lets the desk read while it writes), for each
 * request afresh, so that an agent restarted or a database moved is simply
 * what the next page shows. Columns are selected by name: the agent may
 * add columns without the desk noticing. */
#ifndef RAKSHA_DESK_DB_H
#define RAKSHA_DESK_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/envelope.h>
#include <raksha/uuid.h>
#include <sqlite3.h>

/* A case as its row says, with its latest report decoded: for a found
 * child (a sighting without report, its own case) that sighting. The
 * strings are the statement's: valid during the callback only; NULL when
 * not given. */
struct desk_case {
	uint8_t id[RAKSHA_UUID_LEN];
	int priority, escalation, acks, revision;
	bool exercise, found, in_custody;      /* found: kind 'found'; in_custody: its finder holds it */
	const char *status, *name, *region, *agency, *unit, *station, *train, *coach;
	const char *place;                     /* a found child's place, as described */
	int64_t first_seen_ms, last_seen_ms;   /* last_seen_ms: 0 when not known */
	raksha_envelope *report;               /* a Report, a found child's Sighting; NULL if neither decodes */
	const Raksha__V1__Child *child;        /* report's; NULL with report */
};

/* An acknowledgement of a case: one unit's latest. */
struct desk_ack {
	const char *region, *agency, *unit, *state;
	int64_t at_ms;
};

typedef void (*desk_case_fn)(void *ctx, const struct desk_case *c);
typedef void (*desk_ack_fn)(void *ctx, const struct desk_ack *a);

/* Opens @path read-only. Returns 0, or -EIO with @err (@errlen bytes)
 * saying why (no file yet, no permission, not a database). */
int desk_db_open(const char *path, sqlite3 **out, char *err, size_t errlen);

/* The newest message's seq (0 for none): what the live stream counts, and
 * what a list page was read after. Returns it, or -1 if it cannot be read. */
int64_t desk_db_max_seq(sqlite3 *db);

/* Calls @fn for case @id. Returns 1, 0 if there is no such case, or -EIO. */
int desk_db_case(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], desk_case_fn fn, void *ctx);

/* Calls @fn for each unit's acknowledgement of case @id, oldest first.
 * Returns 0 or -EIO. */
int desk_db_acks(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], desk_ack_fn fn, void *ctx);

/* The statement that reads cases (its columns in desk_db_each_row()'s
 * order), up to its WHERE: a reader adds its conditions with " AND ...".
 * desk_find.c builds its filtered list from it. */
extern const char desk_db_case_sql[];
#define DESK_DB_CASE_SQL_LEN 640   /* at least strlen(desk_db_case_sql) + 1 */

/* The row @q (a statement from desk_db_case_sql) is on, as a case, to @fn. */
void desk_db_each_row(sqlite3_stmt *q, desk_case_fn fn, void *ctx);

#endif
