#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_case.h"
#include "history/history.h"

static const char *text(sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	return s ? s : "";
}

int board_case_decode(sqlite3_stmt *q, int col, raksha_envelope **out)
{
	return history_decode(sqlite3_column_blob(q, col), (size_t)sqlite3_column_bytes(q, col), NULL,
			      sqlite3_column_int64(q, col + 1), out);
}

static int load_row(sqlite3 *db, const uint8_t *id, struct board_case *c)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT c.report_seq, c.first_seen_ms, c.updated_ms, c.priority,"
			       " c.escalation_level, c.sightings, c.exercise, c.status, m.envelope,"
			       " m.received_at_ms, c.status_by"
			       " FROM cases c LEFT JOIN messages m ON m.seq = c.report_seq"
			       " WHERE c.report_id = ?1 AND c.child_name IS NOT NULL", -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memcpy(c->report_id, id, RAKSHA_UUID_LEN);
		c->report_seq = sqlite3_column_int64(q, 0);
		c->first_seen_ms = sqlite3_column_int64(q, 1);
		c->updated_ms = sqlite3_column_int64(q, 2);
		c->priority = sqlite3_column_int(q, 3);
		c->escalation = sqlite3_column_int(q, 4);
		c->sightings = sqlite3_column_int(q, 5);
		c->exercise = sqlite3_column_int(q, 6) != 0;
		snprintf(c->status, sizeof(c->status), "%s", text(q, 7));
		snprintf(c->status_by, sizeof(c->status_by), "%s", text(q, 10));
		if (board_case_decode(q, 8, &c->report) == 0 && raksha_envelope_kind(c->report) != RAKSHA_KIND_REPORT) {
			raksha_envelope_free(c->report);
			c->report = NULL;
		}
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : -EIO;
}

static int load_acks(sqlite3 *db, const uint8_t *id, struct board_case *c)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT unit, state || '/' || region || '/' || agency, ack_state, at_ms"
			       " FROM acks WHERE report_id = ?1 ORDER BY at_ms", -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc = SQLITE_DONE, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct board_ack *more = realloc(c->acks, (c->n_acks + 1) * sizeof(*more));
		if (more == NULL) {
			r = -ENOMEM;
			break;
		}
		c->acks = more;
		struct board_ack *a = &c->acks[c->n_acks++];
		a->unit = strdup(text(q, 0));
		a->from = strdup(text(q, 1));
		a->state = strdup(text(q, 2));
		a->at_ms = sqlite3_column_int64(q, 3);
		if (a->unit == NULL || a->from == NULL || a->state == NULL)
			r = -ENOMEM;
	}
	sqlite3_finalize(q);
	if (r < 0)
		return r;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int board_case_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], struct board_case *out)
{
	*out = (struct board_case){0};
	int r = load_row(db, id, out);
	if (r < 0)
		goto fail;
	r = load_acks(db, id, out);
	if (r < 0)
		goto fail;
	return 0;
fail:
	board_case_free(out);
	return r;
}

void board_case_free(struct board_case *c)
{
	raksha_envelope_free(c->report);
	for (size_t i = 0; i < c->n_acks; i++) {
		free(c->acks[i].unit);
		free(c->acks[i].from);
		free(c->acks[i].state);
	}
	free(c->acks);
	*c = (struct board_case){0};
}

/* The case's messages, and the changes of it the agent refused (rejected
 * rows with its id: their kind is the topic's last level). */
#define TIMELINE_SQL \
	"SELECT seq, sent_at_ms, received_at_ms, kind, envelope, received_at_ms, NULL FROM messages" \
	" WHERE report_id = ?1 UNION ALL" \
	" SELECT seq, received_at_ms, received_at_ms, replace(topic, rtrim(topic, replace(topic, '/', '')), '')," \
	" bytes, received_at_ms, cause || ': ' || reason FROM rejected WHERE report_id = ?1" \
	" ORDER BY 2, 3, 1"

int board_case_timeline(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], board_event_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, TIMELINE_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		raksha_envelope *env = NULL;
		if (board_case_decode(q, 4, &env) < 0)
			env = NULL;
		struct board_event e = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
					sqlite3_column_int64(q, 2), env, text(q, 3), NULL};
		if (sqlite3_column_type(q, 6) != SQLITE_NULL)
			e.refused = text(q, 6);
		fn(ctx, &e);
		raksha_envelope_free(env);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
