/* What the case page reads besides the case's row (desk_db.h): its
 * timeline (the case's messages and the changes of it the agent refused),
 * its possible matches and its links, and the revision before a revision.
 * Each query is bounded: the timeline's, matches' and links' prepared once
 * a page, the revision before's once a revision shown. */
#ifndef RAKSHA_DESK_DB_TIMELINE_H
#define RAKSHA_DESK_DB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/envelope.h>
#include <raksha/uuid.h>
#include <sqlite3.h>

/* One entry: @env NULL when its bytes no longer decode; @refused the
 * agent's cause and reason for a change it refused, else NULL. */
struct desk_event {
	int64_t seq;                /* messages.seq; a refused change's rejected.seq */
	int64_t at_ms;              /* sent_at_ms; a refused change's received_at_ms */
	const char *kind;           /* messages.kind; a refused one's topic's last level */
	const char *refused;
	const raksha_envelope *env;
};

/* A possible match (score, why) or a link (score 0, why its notes, by who
 * said it): the other case, by id and child's name. */
struct desk_match {
	uint8_t other[RAKSHA_UUID_LEN];
	const char *name, *why, *by;
	int score;
	int64_t at_ms;
};

typedef void (*desk_event_fn)(void *ctx, const struct desk_event *e);
typedef void (*desk_match_fn)(void *ctx, const struct desk_match *m);
typedef void (*desk_report_fn)(void *ctx, const Raksha__V1__Report *r);

/* Calls @fn for at most @max entries of case @id's timeline, newest
 * first. Returns how many entries there are in all, or -EIO. */
int desk_db_timeline(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], int max, desk_event_fn fn, void *ctx);

/* Calls @fn for the revision of report @id that came before revision
 * @revision, stored at messages.seq @seq: of the last 8 reports of the
 * case stored before it, the highest revision below @revision (a late
 * copy of an older one is passed over), the newest of its copies.
 * Returns 1, 0 if there is none, or -EIO. */
int desk_db_revision_before(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], int64_t seq, uint32_t revision,
			    desk_report_fn fn, void *ctx);

/* Calls @fn for each possible match of case @id, a found child (@found)
 * or a report, that is suggested (not dismissed) and not linked, best
 * first, at most 50. Returns 0 or -EIO. */
int desk_db_matches(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, desk_match_fn fn, void *ctx);

/* Calls @fn for each case that case @id is linked to: a report's found
 * children (each by its latest link), a found child's report. Returns 0
 * or -EIO. */
int desk_db_links(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, desk_match_fn fn, void *ctx);

#endif
