#include <errno.h>
#include <string.h>

#include "desk/desk_db_timeline.h"
#include "history/history.h"

#define MATCHES_MAX "50"

/* The case's messages (a link's too, for its found child) and the changes
 * of it the agent refused (rejected rows with its id: their kind is the
 * topic's last level), newest first. */
#define TIMELINE_FROM \
	" FROM messages WHERE report_id = ?1 OR seq IN (SELECT seq FROM links WHERE found_id = ?1)"
#define REFUSED_FROM " FROM rejected WHERE report_id = ?1"
static const char TIMELINE_SQL[] =
	"SELECT seq, sent_at_ms, received_at_ms, kind, envelope, NULL" TIMELINE_FROM " UNION ALL"
	" SELECT seq, received_at_ms, received_at_ms, replace(topic, rtrim(topic, replace(topic, '/', '')), ''),"
	" bytes, cause || ': ' || reason" REFUSED_FROM " ORDER BY 2 DESC, 3 DESC, 1 DESC LIMIT ?2";
static const char COUNT_SQL[] =
	"SELECT (SELECT count(*)" TIMELINE_FROM ") + (SELECT count(*)" REFUSED_FROM ")";

/* The reports of the case stored before ?2, newest first; how far back a
 * revision's predecessor is looked for (a few late copies passed over,
 * not a case's whole history decoded for each revision). */
#define REVISIONS_BACK "8"
static const char REVISION_BEFORE_SQL[] =
	"SELECT envelope, received_at_ms FROM messages WHERE report_id = ?1 AND kind = 'report' AND seq < ?2"
	" ORDER BY seq DESC LIMIT " REVISIONS_BACK;

static const char MATCHES_OF_REPORT_SQL[] =
	"SELECT m.found_id, coalesce(o.child_name, ''), m.score, m.why, '', m.at_ms FROM matches m"
	" LEFT JOIN cases o ON o.report_id = m.found_id WHERE m.report_id = ?1 AND m.state = 'suggested'"
	" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.found_id = m.found_id)"
	" ORDER BY m.score DESC LIMIT " MATCHES_MAX;
static const char MATCHES_OF_FOUND_SQL[] =
	"SELECT m.report_id, coalesce(o.child_name, ''), m.score, m.why, '', m.at_ms FROM matches m"
	" LEFT JOIN cases o ON o.report_id = m.report_id WHERE m.found_id = ?1 AND m.state = 'suggested'"
	" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.found_id = m.found_id)"
	" ORDER BY m.score DESC LIMIT " MATCHES_MAX;
static const char LINKS_OF_REPORT_SQL[] =
	"SELECT l.found_id, coalesce(o.child_name, ''), 0, l.notes, l.unit || ' (' || l.by || ')', l.at_ms"
	" FROM links l LEFT JOIN cases o ON o.report_id = l.found_id WHERE l.report_id = ?1"
	" AND l.seq = (SELECT max(seq) FROM links x WHERE x.found_id = l.found_id) ORDER BY l.seq"
	" LIMIT " MATCHES_MAX;
static const char LINKS_OF_FOUND_SQL[] =
	"SELECT l.report_id, coalesce(o.child_name, ''), 0, l.notes, l.unit || ' (' || l.by || ')', l.at_ms"
	" FROM links l LEFT JOIN cases o ON o.report_id = l.report_id WHERE l.found_id = ?1"
	" ORDER BY l.seq DESC LIMIT 1";

static const char *text(sqlite3_stmt *q, int col)
{
	return (const char *)sqlite3_column_text(q, col);
}

static int count(sqlite3 *db, const uint8_t *id)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, COUNT_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -EIO;
	sqlite3_finalize(q);
	return n;
}

static void event(sqlite3_stmt *q, desk_event_fn fn, void *ctx)
{
	raksha_envelope *env = NULL;
	if (sqlite3_column_type(q, 4) != SQLITE_BLOB ||
	    history_decode(sqlite3_column_blob(q, 4), (size_t)sqlite3_column_bytes(q, 4), NULL,
			   sqlite3_column_int64(q, 2), &env) < 0)
		env = NULL;
	struct desk_event e = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), text(q, 3), text(q, 5), env};
	fn(ctx, &e);
	raksha_envelope_free(env);
}

int desk_db_timeline(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], int max, desk_event_fn fn, void *ctx)
{
	int total = count(db, id);
	if (total < 0)
		return total;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, TIMELINE_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, max);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		event(q, fn, ctx);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? total : -EIO;
}

/* The report stored at the row @q is on into *@best, if it is of a
 * revision below @revision and above *@best's (rows come newest first: of
 * two copies of one revision, the newer stays). */
static void keep_best(sqlite3_stmt *q, uint32_t revision, raksha_envelope **best)
{
	raksha_envelope *env = NULL;
	if (history_decode(sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0), NULL,
			   sqlite3_column_int64(q, 1), &env) < 0 || raksha_envelope_kind(env) != RAKSHA_KIND_REPORT ||
	    env->report->revision >= revision || (*best && env->report->revision <= (*best)->report->revision)) {
		raksha_envelope_free(env);
		return;
	}
	raksha_envelope_free(*best);
	*best = env;
}

int desk_db_revision_before(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], int64_t seq, uint32_t revision,
			    desk_report_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, REVISION_BEFORE_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, seq);
	raksha_envelope *best = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		keep_best(q, revision, &best);
	sqlite3_finalize(q);
	int found = rc == SQLITE_DONE && best != NULL;
	if (found)
		fn(ctx, best->report);
	raksha_envelope_free(best);
	return rc == SQLITE_DONE ? found : -EIO;
}

static int each_match(sqlite3 *db, const char *sql, const uint8_t *id, desk_match_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct desk_match m = {.name = text(q, 1), .score = sqlite3_column_int(q, 2), .why = text(q, 3),
				       .by = text(q, 4), .at_ms = sqlite3_column_int64(q, 5)};
		if (sqlite3_column_bytes(q, 0) == RAKSHA_UUID_LEN)
			memcpy(m.other, sqlite3_column_blob(q, 0), RAKSHA_UUID_LEN);
		fn(ctx, &m);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int desk_db_matches(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, desk_match_fn fn, void *ctx)
{
	return each_match(db, found ? MATCHES_OF_FOUND_SQL : MATCHES_OF_REPORT_SQL, id, fn, ctx);
}

int desk_db_links(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, desk_match_fn fn, void *ctx)
{
	return each_match(db, found ? LINKS_OF_FOUND_SQL : LINKS_OF_REPORT_SQL, id, fn, ctx);
}
