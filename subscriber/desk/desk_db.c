#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "desk/desk_db.h"
#include "history/history.h"

#define BUSY_MS 2000

const char desk_db_case_sql[] =
	"SELECT c.report_id, c.priority, c.escalation_level, c.exercise, c.status, c.child_name,"
	" c.region, c.agency, c.unit, c.station, c.train, c.coach, c.first_seen_ms, c.last_seen_ms,"
	" (SELECT count(*) FROM acks a WHERE a.report_id = c.report_id), m.envelope, m.received_at_ms,"
	" c.kind = 'found', c.place, c.in_custody, c.revision FROM cases c LEFT JOIN messages m ON m.seq = c.report_seq WHERE c.child_name IS NOT NULL";
_Static_assert(sizeof(desk_db_case_sql) <= DESK_DB_CASE_SQL_LEN, "DESK_DB_CASE_SQL_LEN too small");
static const char ONE_SQL[] = " AND c.report_id = ?1";

int desk_db_open(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -EIO;
	}
	sqlite3_busy_timeout(db, BUSY_MS);
	*out = db;
	return 0;
}

static const char *text(sqlite3_stmt *q, int col)
{
	return (const char *)sqlite3_column_text(q, col);
}

/* The child of a report, or of a found child's sighting; anything else
 * (a row whose message is not what its kind says) is not shown. */
static void keep_child(struct desk_case *c)
{
	enum raksha_kind kind = raksha_envelope_kind(c->report);
	if (kind == RAKSHA_KIND_REPORT && !c->found)
		c->child = c->report->report->child;
	else if (kind == RAKSHA_KIND_SIGHTING && c->found)
		c->child = c->report->sighting->child;
	else
		goto drop;
	if (c->child != NULL)
		return;
drop:
	raksha_envelope_free(c->report);
	c->report = NULL;
	c->child = NULL;
}

void desk_db_each_row(sqlite3_stmt *q, desk_case_fn fn, void *ctx)
{
	struct desk_case c = {0};
	if (sqlite3_column_bytes(q, 0) == RAKSHA_UUID_LEN)
		memcpy(c.id, sqlite3_column_blob(q, 0), RAKSHA_UUID_LEN);
	c.priority = sqlite3_column_int(q, 1);
	c.escalation = sqlite3_column_int(q, 2);
	c.exercise = sqlite3_column_int(q, 3) != 0;
	c.status = text(q, 4);
	c.name = text(q, 5);
	c.region = text(q, 6);
	c.agency = text(q, 7);
	c.unit = text(q, 8);
	c.station = text(q, 9);
	c.train = text(q, 10);
	c.coach = text(q, 11);
	c.first_seen_ms = sqlite3_column_int64(q, 12);
	c.last_seen_ms = sqlite3_column_int64(q, 13);
	c.acks = sqlite3_column_int(q, 14);
	c.found = sqlite3_column_int(q, 17) != 0;
	c.place = text(q, 18);
	c.in_custody = sqlite3_column_int(q, 19) != 0;
	c.revision = sqlite3_column_int(q, 20);
	if (sqlite3_column_type(q, 15) == SQLITE_BLOB &&
	    history_decode(sqlite3_column_blob(q, 15), (size_t)sqlite3_column_bytes(q, 15), NULL,
			   sqlite3_column_int64(q, 16), &c.report) == 0)
		keep_child(&c);
	fn(ctx, &c);
	raksha_envelope_free(c.report);
}

int64_t desk_db_max_seq(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int64_t seq = -1;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM messages", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		seq = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return seq;
}

int desk_db_case(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], desk_case_fn fn, void *ctx)
{
	char sql[DESK_DB_CASE_SQL_LEN + sizeof(ONE_SQL)];
	snprintf(sql, sizeof(sql), "%s%s", desk_db_case_sql, ONE_SQL);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		desk_db_each_row(q, fn, ctx);
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int desk_db_acks(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], desk_ack_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT region, agency, unit, ack_state, at_ms FROM acks"
			       " WHERE report_id = ?1 ORDER BY at_ms", -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct desk_ack a = {text(q, 0), text(q, 1), text(q, 2), text(q, 3), sqlite3_column_int64(q, 4)};
		fn(ctx, &a);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
