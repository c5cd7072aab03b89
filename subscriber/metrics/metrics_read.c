/* The numbers of metrics.h, from the agent's database: each a statement
 * that an index answers (or a table the agent bounds: rejected input,
 * open cases), all in one read transaction, so that a scrape sees one
 * moment and costs little however long the log. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "history/linked_sql.h"
#include "metrics/metrics.h"
#include "metrics/metrics_impl.h"

/* The highest seq is every message ever stored: pruning keeps the newest
 * row (prune.c), so it never goes back, as a counter must not. */
static const char NEWEST_SQL[] = "SELECT seq, received_at_ms FROM messages ORDER BY seq DESC LIMIT 1";
static const char REJECTED_SQL[] =
	"SELECT coalesce((SELECT max(seq) FROM rejected), 0),"
	" coalesce((SELECT sum(dropped) FROM rejected_senders), 0)";
static const char CAUSES_SQL[] = "SELECT cause, count(*) FROM rejected GROUP BY cause ORDER BY cause LIMIT "
	METRICS_NUMBER(METRICS_CAUSES_MAX);
/* The board's title's counts (board_cases.c): cases with a report or a
 * found child of their own, a linked found child counted as its report. */
static const char CASES_SQL[] =
	"SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM acks a WHERE a.report_id = c.report_id)), 0),"
	" coalesce(sum(c.escalation_level > 0), 0) FROM cases c"
	" WHERE c.status = 'open' AND c.child_name IS NOT NULL AND " LINKED_SQL_SHOWN;
static const char HOOKS_SQL[] =
	"SELECT coalesce((SELECT value FROM meta WHERE key = 'hooks_run'), 0),"
	" coalesce((SELECT value FROM meta WHERE key = 'hooks_failed'), 0)";

int metrics_sql_error(sqlite3 *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
	return -EIO;
}

int metrics_row(sqlite3 *db, const char *sql, int64_t *out[], int n, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return metrics_sql_error(db, sql, err, errlen);
	int rc = sqlite3_step(q);
	for (int i = 0; i < n && rc == SQLITE_ROW; i++)
		*out[i] = sqlite3_column_int64(q, i);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return metrics_sql_error(db, sql, err, errlen);
	return 0;
}

static int causes(sqlite3 *db, struct metrics *m, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, CAUSES_SQL, -1, &q, NULL) != SQLITE_OK)
		return metrics_sql_error(db, "rejected", err, errlen);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && m->n_causes < METRICS_CAUSES_MAX) {
		struct metrics_count *c = &m->causes[m->n_causes++];
		const char *cause = (const char *)sqlite3_column_text(q, 0);
		snprintf(c->label, sizeof(c->label), "%s", cause ? cause : "");
		c->n = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : metrics_sql_error(db, "rejected", err, errlen);
}

/* Everything but the outbox, inside the read transaction. */
static int tables(sqlite3 *db, struct metrics *m, char *err, size_t errlen)
{
	int64_t *newest[] = {&m->stored_total, &m->newest_ms};
	int64_t *rejected[] = {&m->rejected_total, &m->not_kept};
	int64_t *cases[] = {&m->open, &m->unacked, &m->escalated};
	int64_t *hooks[] = {&m->hooks_run, &m->hooks_failed};
	int r = metrics_row(db, NEWEST_SQL, newest, 2, err, errlen);
	if (r < 0)
		return r;
	r = metrics_row(db, REJECTED_SQL, rejected, 2, err, errlen);
	if (r < 0)
		return r;
	r = causes(db, m, err, errlen);
	if (r < 0)
		return r;
	r = metrics_row(db, CASES_SQL, cases, 3, err, errlen);
	if (r < 0)
		return r;
	return metrics_row(db, HOOKS_SQL, hooks, 2, err, errlen);
}

static int everything(sqlite3 *db, const char *const unit[3], const char *id, struct metrics_link *link,
		      struct metrics *m, char *err, size_t errlen)
{
	int r = tables(db, m, err, errlen);
	if (r < 0)
		return r;
	if (m->stored_total < link->after_seq)
		*link = (struct metrics_link){0};  /* another database now: read its presence afresh */
	return metrics_link_update(db, unit, id, link, err, errlen);
}

int metrics_read(sqlite3 *db, const char *outbox, const char *const unit[3], const char *id,
		 struct metrics_link *link, struct metrics *m, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return metrics_sql_error(db, "BEGIN", err, errlen);
	int r = everything(db, unit, id, link, m, err, errlen);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (r < 0)
		return r;
	m->connected = link->connected;
	m->connections = link->connections;
	m->reconnections = link->reconnections;
	m->outbox = metrics_outbox_depth(outbox);
	return 0;
}
