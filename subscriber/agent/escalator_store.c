/* SQL of the escalator. Most statements are prepared per call: they run a
 * few times a second at most. Those that run for each stored message, or
 * each batch of them, or at every step, are kept prepared (store_cached()): after a backlog
 * the escalator looks at every message the committer stores, on the same
 * two cores, and preparing them cost more than running them
 * (docs/benchmarks.md, issue 19 part 4). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/escalator_store.h"

static sqlite3_stmt *prep(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

/* Runs @st to the end and finalizes it. */
static int done(sqlite3_stmt *st)
{
	if (st == NULL)
		return -EIO;
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_errno(rc);
}

/* As done(), for a statement of store_cached(). */
static int done_cached(struct store *s, sqlite3_stmt *st)
{
	if (st == NULL)
		return -EIO;
	int rc = sqlite3_step(st);
	store_cached_done(s, st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_errno(rc);
}

static void bind_uuid(sqlite3_stmt *st, int i, const uint8_t *id)
{
	sqlite3_bind_blob(st, i, id, RAKSHA_UUID_LEN, SQLITE_TRANSIENT);
}

int escalator_scanned_get(struct store *s, int64_t *seq)
{
	sqlite3_stmt *st = store_cached(s, "SELECT value FROM meta WHERE key = 'scanned_seq'");
	if (st == NULL)
		return -EIO;
	int rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_cached_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int escalator_scanned_set(struct store *s, int64_t seq)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO meta VALUES ('scanned_seq', ?1)"
					" ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	if (st != NULL)
		sqlite3_bind_int64(st, 1, seq);
	return done_cached(s, st);
}

/* Known to store_cached() by their addresses. */
static const char SYNC_FULL[] = "PRAGMA synchronous = FULL";
static const char SYNC_NORMAL[] = "PRAGMA synchronous = NORMAL";

int escalator_commits_synced(struct store *s, bool synced)
{
	return done_cached(s, store_cached(s, synced ? SYNC_FULL : SYNC_NORMAL));
}

int escalator_messages_after(struct store *s, int64_t after_seq, int limit, escalator_message_fn fn, void *ctx)
{
	sqlite3_stmt *st = store_cached(s, "SELECT seq, topic, envelope, received_at_ms FROM messages"
					" WHERE seq > ?1 ORDER BY seq LIMIT ?2");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_int64(st, 1, after_seq);
	sqlite3_bind_int(st, 2, limit);
	int n = 0, rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		       sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
		       sqlite3_column_int64(st, 3));
		n++;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	store_cached_done(s, st);
	return r < 0 ? r : n;
}

int escalator_timer_arm(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN], const char *rule,
		  int64_t armed_ms, int64_t due_ms)
{
	sqlite3_stmt *st = store_cached(s, "INSERT OR IGNORE INTO timers (report_id, rule, armed_ms, due_ms)"
					" VALUES (?1, ?2, ?3, ?4)");
	if (st != NULL) {
		bind_uuid(st, 1, report_id);
		sqlite3_bind_text(st, 2, rule, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, armed_ms);
		sqlite3_bind_int64(st, 4, due_ms);
	}
	return done_cached(s, st);
}

int escalator_timers_clear(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN])
{
	sqlite3_stmt *st = prep(s, "DELETE FROM timers WHERE report_id = ?1");
	if (st != NULL)
		bind_uuid(st, 1, report_id);
	return done(st);
}

int escalator_timers_shift(struct store *s, int64_t step_ms)
{
	sqlite3_stmt *st = prep(s, "UPDATE timers SET due_ms = due_ms + ?1, armed_ms = armed_ms + ?1"
				" WHERE due_ms IS NOT NULL");
	if (st != NULL)
		sqlite3_bind_int64(st, 1, step_ms);
	return done(st);
}

int escalator_timers_next(struct store *s, int64_t *due_ms)
{
	sqlite3_stmt *st = store_cached(s, "SELECT min(due_ms) FROM timers WHERE due_ms IS NOT NULL");
	if (st == NULL)
		return -EIO;
	int rc = sqlite3_step(st);
	bool none = rc != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL;
	*due_ms = none ? INT64_MAX : sqlite3_column_int64(st, 0);
	store_cached_done(s, st);
	return rc == SQLITE_ROW ? 0 : -EIO;
}

int escalator_timers_due(struct store *s, int64_t now, struct escalator_timer *out, int max)
{
	/* Kept prepared: it runs at every step. */
	sqlite3_stmt *st = store_cached(s, "SELECT report_id, rule, level, armed_ms FROM timers"
					" WHERE due_ms IS NOT NULL AND due_ms <= ?1 ORDER BY due_ms LIMIT ?2");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, max);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct escalator_timer *t = &out[n];
		if (sqlite3_column_bytes(st, 0) != RAKSHA_UUID_LEN)
			continue;
		memcpy(t->report_id, sqlite3_column_blob(st, 0), RAKSHA_UUID_LEN);
		snprintf(t->rule, sizeof(t->rule), "%s", (const char *)sqlite3_column_text(st, 1));
		t->level = sqlite3_column_int(st, 2);
		t->armed_ms = sqlite3_column_int64(st, 3);
		n++;
	}
	store_cached_done(s, st);
	return rc == SQLITE_DONE ? n : store_errno(rc);
}

int escalator_timer_update(struct store *s, const struct escalator_timer *t, int level, int64_t fired_ms,
		     int64_t next_ms, const char *ended)
{
	sqlite3_stmt *st = prep(s, "UPDATE timers SET level = max(level, ?3),"
				" fired_ms = coalesce(?4, fired_ms), due_ms = ?5, ended = ?6"
				" WHERE report_id = ?1 AND rule = ?2");
	if (st == NULL)
		return -EIO;
	bind_uuid(st, 1, t->report_id);
	sqlite3_bind_text(st, 2, t->rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, level);
	if (fired_ms > 0)
		sqlite3_bind_int64(st, 4, fired_ms);
	if (next_ms > 0)
		sqlite3_bind_int64(st, 5, next_ms);
	if (ended != NULL)
		sqlite3_bind_text(st, 6, ended, -1, SQLITE_TRANSIENT);
	return done(st);
}

int escalator_case_level(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN], int level)
{
	sqlite3_stmt *st = prep(s, "UPDATE cases SET escalation_level = max(escalation_level, ?2)"
				" WHERE report_id = ?1");
	if (st != NULL) {
		bind_uuid(st, 1, report_id);
		sqlite3_bind_int(st, 2, level);
	}
	return done(st);
}

static char *dup_column(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t != NULL ? strdup((const char *)t) : NULL;
}

int escalator_case_get(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN], struct escalator_case *out)
{
	sqlite3_stmt *st = prep(s, "SELECT c.status, c.priority, c.region, m.topic, c.child_name,"
				" c.station, c.train, c.coach, c.exercise, c.kind = 'found' AND EXISTS (SELECT 1 FROM links l"
				" WHERE l.found_id = c.report_id) FROM cases c JOIN messages m"
				" ON m.seq = c.report_seq WHERE c.report_id = ?1");
	if (st == NULL)
		return -EIO;
	bind_uuid(st, 1, report_id);
	memset(out, 0, sizeof(*out));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out->status, sizeof(out->status), "%s", sqlite3_column_text(st, 0));
		out->priority = sqlite3_column_int(st, 1);
		snprintf(out->region, sizeof(out->region), "%s", sqlite3_column_text(st, 2));
		snprintf(out->topic, sizeof(out->topic), "%s", sqlite3_column_text(st, 3));
		out->child_name = dup_column(st, 4);
		out->station = dup_column(st, 5);
		out->train = dup_column(st, 6);
		out->coach = dup_column(st, 7);
		out->exercise = sqlite3_column_int(st, 8) != 0;
		out->linked = sqlite3_column_int(st, 9) != 0;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	return rc == SQLITE_ROW ? 0 : store_errno(rc);
}

void escalator_case_free(struct escalator_case *c)
{
	free(c->child_name);
	free(c->station);
	free(c->train);
	free(c->coach);
}

bool escalator_acked_by(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN],
		  bool (*fn)(const void *ctx, const char *agency), const void *ctx, char *who,
		  size_t wholen)
{
	sqlite3_stmt *st = prep(s, "SELECT agency, region FROM acks WHERE report_id = ?1 ORDER BY at_ms");
	if (st == NULL)
		return false;
	bind_uuid(st, 1, report_id);
	bool found = false;
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		const char *agency = (const char *)sqlite3_column_text(st, 0);
		if ((found = fn(ctx, agency)))
			snprintf(who, wholen, "%s/%s", sqlite3_column_text(st, 1), agency);
	}
	sqlite3_finalize(st);
	return found;
}

int escalator_pending_add(struct store *s, const uint8_t id[RAKSHA_UUID_LEN], const char *topic,
		    const void *bytes, size_t len)
{
	sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO own_pending VALUES (?1, ?2, ?3)");
	if (st != NULL) {
		bind_uuid(st, 1, id);
		sqlite3_bind_text(st, 2, topic, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(st, 3, bytes, (int)len, SQLITE_TRANSIENT);
	}
	return done(st);
}

int escalator_pending_remove(struct store *s, const uint8_t id[RAKSHA_UUID_LEN])
{
	sqlite3_stmt *st = prep(s, "DELETE FROM own_pending WHERE message_id = ?1");
	if (st != NULL)
		bind_uuid(st, 1, id);
	return done(st);
}

/* One row at a time, the statement finished before @fn runs: @fn removes
 * the row (escalator_pending_remove()), which must not happen under a reading
 * statement. Stops at the first failure. */
int escalator_pending_each(struct store *s, escalator_pending_fn fn, void *ctx)
{
	int r = 0;
	while (r == 0) {
		/* Kept prepared: it runs at every step, twice with a timer due. */
		sqlite3_stmt *st = store_cached(s, "SELECT message_id, topic, envelope FROM own_pending LIMIT 1");
		if (st == NULL)
			return -EIO;
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW || sqlite3_column_bytes(st, 0) != RAKSHA_UUID_LEN) {
			store_cached_done(s, st);
			return rc == SQLITE_DONE ? 0 : -EIO;
		}
		uint8_t id[RAKSHA_UUID_LEN];
		memcpy(id, sqlite3_column_blob(st, 0), RAKSHA_UUID_LEN);
		char *topic = dup_column(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 2);
		void *bytes = malloc(len ? len : 1);
		if (topic != NULL && bytes != NULL) {
			memcpy(bytes, sqlite3_column_blob(st, 2), len);
			store_cached_done(s, st);
			r = fn(ctx, id, topic, bytes, len);
		} else {
			store_cached_done(s, st);
			r = -ENOMEM;
		}
		free(topic);
		free(bytes);
	}
	return r;
}

int escalator_clock_rejected_next(struct store *s, int64_t after_seq, struct escalator_rejected *out)
{
	sqlite3_stmt *st = prep(s, "SELECT seq, received_at_ms, size, topic, bytes FROM rejected"
				" WHERE cause = 'clock' AND seq > ?1 ORDER BY seq LIMIT 1");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_int64(st, 1, after_seq);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 0 : store_errno(rc);
	}
	*out = (struct escalator_rejected){
		.seq = sqlite3_column_int64(st, 0),
		.received_ms = sqlite3_column_int64(st, 1),
		.size = sqlite3_column_int64(st, 2),
		.topic = dup_column(st, 3),
		.len = (size_t)sqlite3_column_bytes(st, 4),
	};
	out->bytes = malloc(out->len ? out->len : 1);
	if (out->bytes != NULL && out->len > 0)
		memcpy(out->bytes, sqlite3_column_blob(st, 4), out->len);
	sqlite3_finalize(st);
	if (out->topic == NULL || out->bytes == NULL) {
		escalator_rejected_free(out);
		return -ENOMEM;
	}
	return 1;
}

void escalator_rejected_free(struct escalator_rejected *r)
{
	free(r->topic);
	free(r->bytes);
	*r = (struct escalator_rejected){0};
}

int escalator_rejected_delete(struct store *s, int64_t seq)
{
	sqlite3_stmt *st = prep(s, "DELETE FROM rejected WHERE seq = ?1");
	if (st != NULL)
		sqlite3_bind_int64(st, 1, seq);
	return done(st);
}

int escalator_rejected_recause(struct store *s, int64_t seq, const struct raksha_problem *why)
{
	sqlite3_stmt *st = prep(s, "UPDATE rejected SET cause = ?2, reason = ?3,"
				" bytes = substr(bytes, 1, ?4) WHERE seq = ?1");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_text(st, 2, raksha_cause_name(why->cause), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, why->text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 4, REJECTED_BYTES_MAX);
	}
	return done(st);
}
