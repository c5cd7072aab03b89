#include <errno.h>

#include <sqlite3.h>

#include "agent/prune.h"

#define ENDED "SELECT report_id FROM cases WHERE status IN ('closed', 'cancelled', 'reunited')" \
	      " AND updated_ms < ?1"

static int run(struct store *s, const char *sql, int64_t before_ms, int64_t *changes)
{
	sqlite3 *db = store_db(s);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(q, 1, before_ms);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
	}
	if (changes != NULL)
		*changes = sqlite3_changes(db);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

struct pruning {
	int64_t before_ms, *cases, *messages;
};

/* The case rows go last: they say what ended. The newest message stays
 * whatever its case: seq has no AUTOINCREMENT, and a new row must never
 * reuse a number the escalator (scanned_seq) or a following raksha-replay
 * has already passed. */
static int prune_steps(struct store *s, void *ctx)
{
	const struct pruning *p = ctx;
	int r = run(s, "DELETE FROM messages WHERE report_id IN (" ENDED ")"
		    " AND seq < (SELECT max(seq) FROM messages)", p->before_ms, p->messages);
	if (r < 0)
		return r;
	r = run(s, "DELETE FROM acks WHERE report_id IN (" ENDED ")", p->before_ms, NULL);
	if (r < 0)
		return r;
	r = run(s, "DELETE FROM timers WHERE report_id IN (" ENDED ")", p->before_ms, NULL);
	if (r < 0)
		return r;
	/* Changes held as long as a closed case is kept: their report never came. */
	r = run(s, "DELETE FROM held WHERE received_at_ms < ?1", p->before_ms, NULL);
	if (r < 0)
		return r;
	return run(s, "DELETE FROM cases WHERE report_id IN (" ENDED ")", p->before_ms, p->cases);
}

int prune_closed(struct store *s, int64_t before_ms, int64_t *cases, int64_t *messages)
{
	struct pruning p = {before_ms, cases, messages};
	return store_transaction(s, prune_steps, &p);
}

struct pruning_rejected {
	int64_t before_ms, *rows, *counts;
};

/* Rows refused for their time alone stay: messages to take once the clock
 * allows them, bounded by the bytes bounds alone. A sender's count of what
 * was not kept goes once the last of it is older than the setting, and
 * its row once nothing of it is left. */
static int prune_rejected_steps(struct store *s, void *ctx)
{
	const struct pruning_rejected *p = ctx;
	int r = run(s, "DELETE FROM rejected WHERE received_at_ms < ?1 AND cause <> 'clock'"
		    " AND seq < (SELECT max(seq) FROM rejected)", p->before_ms, p->rows);
	if (r < 0)
		return r;
	r = run(s, "UPDATE rejected_senders SET dropped = 0, dropped_bytes = 0, dropped_clock = 0,"
		" first_dropped_ms = NULL, last_dropped_ms = NULL, first_topic = NULL, first_cause = NULL,"
		" first_reason = NULL, first_size = NULL, first_bytes = NULL"
		" WHERE dropped > 0 AND last_dropped_ms < ?1", p->before_ms, p->counts);
	if (r < 0)
		return r;
	return run(s, "DELETE FROM rejected_senders WHERE rows = 0 AND dropped = 0", p->before_ms, NULL);
}

int prune_rejected(struct store *s, int64_t before_ms, int64_t *rows, int64_t *counts)
{
	struct pruning_rejected p = {before_ms, rows, counts};
	return store_transaction(s, prune_rejected_steps, &p);
}
