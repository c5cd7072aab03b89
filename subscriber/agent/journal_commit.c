/* The ingest journal's database side (journal.h): batches committed with
 * the offset after them, and new passes recorded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "agent/journal_impl.h"
#include "agent/journal_record.h"

int journal_meta_get(struct store *s, const char *key, int64_t *value, bool *found)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*value = *found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

/* Kept prepared: it runs in every batch's transaction, and a live report
 * is a batch of its own. */
static int meta_set(struct store *s, const char *key, int64_t value)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO meta VALUES (?1, ?2) ON CONFLICT (key) "
					"DO UPDATE SET value = excluded.value");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	int rc = sqlite3_step(st);
	store_cached_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

/* With sync, the batches' commits need not reach the disk themselves: the
 * journal holds their records, and after a power cut the database is back
 * at an earlier offset of the same pass, from which they are stored again.
 * Only before a pass overwrites those records must every commit be on the
 * disk, and one synchronous commit in WAL mode makes all before it so. */
static int commits_sync(struct journal *j, bool full)
{
	const char *sql = full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
	return sqlite3_exec(store_db(j->store), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

static int record_pass(struct store *s, void *ctx)
{
	const uint64_t *next = ctx;
	int r = meta_set(s, "journal_generation", (int64_t)*next);
	if (r < 0)
		return r;
	return meta_set(s, "journal_offset", 0);
}

/* A new pass over the file, from its start, in one transaction: records of
 * the passes before, still in the file, are never taken for this one's. */
int journal_start_pass(struct journal *j)
{
	uint64_t next = (j->generation + 1) & INT64_MAX;
	int r = 0;
	if (j->sync)
		r = commits_sync(j, true);
	if (r == 0)
		r = store_transaction(j->store, record_pass, &next);
	if (r == 0) {
		j->generation = next;
		j->end = 0;
	}
	/* Whatever happened, the batches' commits go back to not syncing. */
	if (j->sync && commits_sync(j, false) < 0 && r == 0)
		r = -EIO;
	return r;
}

/* A batch: its records, and what the transaction found new in it. */
struct batch {
	struct entry *first;
	size_t n;
	struct history_drill *drill_q;
	bool *fresh;              /* [n]; a record was a new envelope (its entry's env) */
	bool *drill;              /* [n]; a fresh one's case is a drill */
};

/* Stores each record of the batch, then the journal offset after it. */
static int store_records(struct store *s, void *ctx)
{
	struct batch *b = ctx;
	int64_t end = 0;
	size_t i = 0;
	for (struct entry *e = b->first; e != NULL && i < b->n; e = e->next) {
		struct journal_record rec;
		/* Intact: made in memory, or hashed when read back (journal_recover.c). */
		if (journal_record_read(e->bytes, e->len, &rec) != e->len) {
			/* Made here a moment ago: never, but never dropped either. */
			rec = (struct journal_record){.payload = e->bytes, .len = e->len};
			snprintf(rec.unreadable, sizeof(rec.unreadable), "its frame does not check");
		}
		/* A decode here is kept in the entry, for a retry of the batch. */
		int r = journal_record_store(s, &rec, &e->env, &b->fresh[i]);
		if (r < 0)
			return r;
		/* Read here, inside the transaction: after it, each lookup would
		 * be a read transaction of its own, twice the cost of an ack. */
		if (b->fresh[i])
			b->drill[i] = history_case_drill(b->drill_q, e->env);
		end = e->end;
		i++;
	}
	return meta_set(s, "journal_offset", end);
}

/* Tells of the new envelopes of a committed batch (if still asked to);
 * they are freed with their entries. */
static void tell_fresh(struct journal *j, struct batch *b)
{
	pthread_mutex_lock(&j->stored_lock);
	size_t i = 0;
	for (struct entry *e = b->first; e != NULL && i < b->n; e = e->next) {
		if (b->fresh[i] && j->stored != NULL)
			j->stored(j->ctx, e->env, b->drill[i]);
		i++;
	}
	pthread_mutex_unlock(&j->stored_lock);
}

int journal_commit(struct journal *j, struct entry *batch, size_t n)
{
	/* Before each batch: a database deleted or moved under the agent would
	 * take it, acknowledged, into a file no one will read again. */
	int r = store_check_file(j->store);
	if (r < 0)
		return r;
	struct batch b = {.first = batch, .n = n, .drill_q = &j->drill,
			  .fresh = calloc(n ? n : 1, sizeof(*b.fresh)), .drill = calloc(n ? n : 1, sizeof(bool))};
	if (b.fresh == NULL || b.drill == NULL) {
		free(b.fresh);
		free(b.drill);
		return -ENOMEM;
	}
	r = store_transaction(j->store, store_records, &b);
	if (r == 0)
		tell_fresh(j, &b);
	free(b.fresh);
	free(b.drill);
	return r;
}

void journal_free_entries(struct entry *e)
{
	while (e != NULL) {
		struct entry *next = e->next;
		if (e->arena != NULL)
			raksha_envelope_arena_free(e->arena);
		else
			raksha_envelope_free(e->env);
		free(e);
		e = next;
	}
}
