/* The statistics' rejected input: the agent's rejected input per sender
 * (rejected_senders, schema 3): what is kept, and what was refused but not
 * kept for being over a bound, with the first such one. Since the last
 * pruning, whatever the window: the counts have no arrival of their own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/minmax.h"
#include "history/stats.h"

static const char SENDERS_SQL[] =
	"SELECT sender, rows, bytes, dropped, dropped_bytes, dropped_clock, coalesce(first_dropped_ms, 0),"
	" coalesce(last_dropped_ms, 0), coalesce(first_topic, ''), coalesce(first_cause, ''),"
	" coalesce(first_reason, ''), coalesce(first_size, 0), first_bytes FROM rejected_senders"
	" WHERE rows > 0 OR dropped > 0 ORDER BY dropped DESC, bytes DESC, sender LIMIT ?1";

static void copy_text(sqlite3_stmt *q, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	snprintf(out, size, "%s", t != NULL ? (const char *)t : "");
}

static void one_sender(sqlite3_stmt *q, struct sender_stats *r)
{
	copy_text(q, 0, r->sender, sizeof(r->sender));
	r->rows = sqlite3_column_int64(q, 1);
	r->bytes = sqlite3_column_int64(q, 2);
	r->dropped = sqlite3_column_int64(q, 3);
	r->dropped_bytes = sqlite3_column_int64(q, 4);
	r->dropped_clock = sqlite3_column_int64(q, 5);
	r->first_ms = sqlite3_column_int64(q, 6);
	r->last_ms = sqlite3_column_int64(q, 7);
	copy_text(q, 8, r->first_topic, sizeof(r->first_topic));
	copy_text(q, 9, r->first_cause, sizeof(r->first_cause));
	copy_text(q, 10, r->first_reason, sizeof(r->first_reason));
	r->first_size = sqlite3_column_int64(q, 11);
	r->first_len = MIN((size_t)sqlite3_column_bytes(q, 12), sizeof(r->first_bytes));
	if (r->first_len > 0)
		memcpy(r->first_bytes, sqlite3_column_blob(q, 12), r->first_len);
}

int stats_rejected_gather(sqlite3 *db, struct stats *s)
{
	sqlite3_stmt *q;
	/* A database of schema 2 has no such table: nothing to say. */
	if (sqlite3_prepare_v2(db, SENDERS_SQL, -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(q, 1, STATS_SENDERS_LIMIT);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && s->n_senders < STATS_SENDERS_LIMIT)
		one_sender(q, &s->senders[s->n_senders++]);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -EIO;
}
