/* Selection over the agent's tables. A time window is turned into a range
 * of seq first (from the index on received_at_ms), so that the scan runs in
 * seq order on the table itself: arrival order, streamed, without a sort. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history.h"

int history_open(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	/* One thread per connection (history.h): no SQLite mutex per column read. */
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "SELECT 1 FROM messages LIMIT 1", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return rc == SQLITE_CANTOPEN ? -ENOENT : -EIO;
	}
	sqlite3_busy_timeout(db, 5000);
	*out = db;
	return 0;
}

unsigned history_kind_bit(const char *name)
{
	enum raksha_kind k = raksha_kind_from_name(name);
	return k == RAKSHA_KIND_NONE ? 0 : 1u << k;
}

void history_filter_free(struct history_filter *f)
{
	for (size_t i = 0; i < f->n_topics; i++)
		free(f->topics[i]);
	f->n_topics = 0;
}

/* Narrows [*lo, *hi] to the seqs of the rows that arrived in [since, until):
 * their min and max, read from the index on received_at_ms in time
 * proportional to the window, not to the table. (min(seq) with only
 * "received_at_ms >= ?" would walk the table in seq order up to the window.)
 * Not the seqs at the window's edges: the clock may have stepped back, so
 * arrival times need not grow with seq. On failure nothing is narrowed: the
 * query itself still checks received_at_ms. */
static void seq_range(sqlite3 *db, const char *table, int64_t since, int64_t until,
		      int64_t *lo, int64_t *hi)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT min(seq), max(seq) FROM %s"
		 " WHERE received_at_ms >= ?1 AND received_at_ms < ?2", table);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, until);
	if (sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_type(q, 0) == SQLITE_NULL) {
			*hi = 0;  /* nothing arrived then */
		} else {
			int64_t first = sqlite3_column_int64(q, 0);
			*lo = first > *lo ? first : *lo;
			*hi = sqlite3_column_int64(q, 1);
		}
	}
	sqlite3_finalize(q);
}

bool history_topic_selected(const struct history_filter *f, const char *topic)
{
	for (size_t i = 0; i < f->n_topics; i++)
		if (raksha_filter_matches(f->topics[i], topic))
			return true;
	return f->n_topics == 0;
}

/* Whether the case of a row of @table is a drill (by the primary key: one
 * lookup a row); 0 for a row of no case. */
#define CASE_DRILL(table) " coalesce((SELECT exercise FROM cases c WHERE c.report_id = " table ".report_id), 0)"
/* A message's columns; the columns of a refused change in its case's
 * timeline, marked as a drill as the case's messages are. (The rejected
 * store alone reads no report_id: a database older than schema 4 has none,
 * and a case of one is read without them: history_refused_by_case().) */
#define MESSAGE_COLUMNS "SELECT seq, received_at_ms, topic, kind, message_id, envelope, NULL, NULL, 0," \
	CASE_DRILL("messages")
#define REFUSED_COLUMNS "SELECT seq, received_at_ms, topic, NULL, NULL, bytes, cause, reason, size," \
	CASE_DRILL("rejected")

/* " AND kind = 'agent'" or " AND kind IN ('ack', 'agent')" for @kinds, or
 * "" for every kind. The names are literals (of the enum's fixed names),
 * not parameters, and one kind an equality: the planner takes the partial
 * index messages_agent only for a term it reads as kind = 'agent'
 * (raksha-replay presence, the board's), not for an IN of one. */
static void kinds_sql(unsigned kinds, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (enum raksha_kind k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_AGENT && n < size; k++) {
		if (kinds == 1u << k)
			snprintf(out, size, " AND kind = '%s'", raksha_kind_name(k));
		else if (kinds & 1u << k)
			n += (size_t)snprintf(out + n, size - n, "%s'%s'", n ? ", " : " AND kind IN (",
					      raksha_kind_name(k));
	}
	if (n > 0 && n < size)
		snprintf(out + n, size - n, ")");
}

/* @refused: f->with_refused, on a database that can list them (refused
 * rows have no kind: none with f->kinds). */
static void sql_of(const struct history_filter *f, bool refused, char *sql, size_t size)
{
	char kinds[128];
	if (f->rejected) {
		snprintf(sql, size, "SELECT seq, received_at_ms, topic, NULL, NULL, bytes, cause, reason, size, 0"
			 " FROM rejected WHERE seq BETWEEN ?1 AND ?2 AND received_at_ms >= ?3"
			 " AND received_at_ms < ?4 ORDER BY seq");
		return;
	}
	kinds_sql(f->kinds, kinds, sizeof(kinds));
	const char *of_case = f->has_report ? "report_id = ?5 AND " : "";
	const char *end = " ORDER BY seq";
	if (refused && f->has_report && f->kinds == 0)
		end = " UNION ALL " REFUSED_COLUMNS " FROM rejected WHERE report_id = ?5"
		      " AND received_at_ms >= ?3 AND received_at_ms < ?4 ORDER BY 2, 1";
	snprintf(sql, size, MESSAGE_COLUMNS " FROM messages WHERE %sseq BETWEEN ?1 AND ?2"
		 " AND received_at_ms >= ?3 AND received_at_ms < ?4%s%s", of_case, kinds, end);
}

void history_sql(sqlite3 *db, const struct history_filter *f, char *sql, size_t size)
{
	sql_of(f, f->with_refused && history_refused_by_case(db), sql, size);
}

bool history_refused_by_case(sqlite3 *db)
{
	sqlite3_stmt *q;
	bool has = false;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('rejected') WHERE name = 'report_id'",
			       -1, &q, NULL) == SQLITE_OK)
		has = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return has;
}

bool history_case_drill(struct history_drill *d, const raksha_envelope *env)
{
	enum raksha_kind kind = raksha_envelope_kind(env);
	const ProtobufCBinaryData *report_id = raksha_envelope_report_id(env);
	/* A report is a drill by its own flag (display_drill()): no lookup on
	 * the way in for the most common message. */
	if (kind == RAKSHA_KIND_REPORT || report_id == NULL || report_id->len != RAKSHA_UUID_LEN)
		return false;
	if (d->q == NULL && sqlite3_prepare_v3(d->db, "SELECT exercise FROM cases WHERE report_id = ?1", -1,
					       SQLITE_PREPARE_PERSISTENT, &d->q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_blob(d->q, 1, report_id->data, RAKSHA_UUID_LEN, SQLITE_STATIC);
	bool drill = sqlite3_step(d->q) == SQLITE_ROW && sqlite3_column_int(d->q, 0) != 0;
	/* Reset at once: a statement left running would hold a read
	 * transaction open, and the WAL could not be checkpointed past it. */
	sqlite3_reset(d->q);
	sqlite3_clear_bindings(d->q);
	return drill;
}

void history_drill_close(struct history_drill *d)
{
	sqlite3_finalize(d->q);
	d->q = NULL;
}

static void read_row(sqlite3_stmt *q, struct history_row *r)
{
	r->seq = sqlite3_column_int64(q, 0);
	r->received_ms = sqlite3_column_int64(q, 1);
	r->topic = (const char *)sqlite3_column_text(q, 2);
	r->kind = (const char *)sqlite3_column_text(q, 3);
	r->message_id = sqlite3_column_bytes(q, 4) == RAKSHA_UUID_LEN ? sqlite3_column_blob(q, 4) : NULL;
	r->bytes = sqlite3_column_blob(q, 5);
	r->len = (size_t)sqlite3_column_bytes(q, 5);
	r->cause = (const char *)sqlite3_column_text(q, 6);
	r->reason = (const char *)sqlite3_column_text(q, 7);
	r->size = sqlite3_column_int64(q, 8);
	r->exercise = sqlite3_column_int(q, 9) != 0;
}

static int bind(sqlite3 *db, const struct history_filter *f, sqlite3_stmt *q)
{
	const char *table = f->rejected ? "rejected" : "messages";
	int64_t lo = f->after_seq + 1, hi = INT64_MAX;
	int64_t since = f->since_ms, until = f->until_ms ? f->until_ms : INT64_MAX;
	if (since > 0 || f->until_ms > 0)
		seq_range(db, table, since, until, &lo, &hi);
	sqlite3_bind_int64(q, 1, lo);
	sqlite3_bind_int64(q, 2, hi);
	sqlite3_bind_int64(q, 3, since);
	sqlite3_bind_int64(q, 4, until);
	if (f->has_report)
		sqlite3_bind_blob(q, 5, f->report_id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	return 0;
}

int64_t history_each(sqlite3 *db, const struct history_filter *f, history_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	char sql[HISTORY_SQL_MAX];
	history_sql(db, f, sql, sizeof(sql));
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	bind(db, f, q);
	int64_t n = 0;
	int rc = SQLITE_DONE, r = 0;
	while ((f->limit == 0 || n < f->limit) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct history_row row;
		read_row(q, &row);
		if (row.topic == NULL || !history_topic_selected(f, row.topic))
			continue;
		if ((r = fn(ctx, &row)) != 0)
			break;
		n++;
	}
	sqlite3_finalize(q);
	if (r < 0)
		return r;
	return r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW ? -EIO : n;
}
