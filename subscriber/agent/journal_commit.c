/* The ingest journal's database side (journal.h): batches committed with
 * the offset after them, and new passes recorded. */
#include <errno.h>
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

static int meta_set(struct store *s, const char *key, int64_t value)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), "INSERT INTO meta VALUES (?1, ?2) ON CONFLICT (key) "
			       "DO UPDATE SET value = excluded.value", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
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

/* A new pass over the file, from its start, in one transaction: records of
 * the passes before, still in the file, are never taken for this one's. */
int journal_start_pass(struct journal *j)
{
	uint64_t next = j->generation + 1;
	int r = j->sync ? commits_sync(j, true) : 0;
	if (r == 0)
		r = store_begin(j->store);
	if (r == 0 && (r = meta_set(j->store, "journal_generation", (int64_t)(next & INT64_MAX))) == 0)
		r = meta_set(j->store, "journal_offset", 0);
	if (r == 0)
		r = store_commit(j->store);
	if (r < 0)
		store_rollback(j->store);  /* a COMMIT that failed may leave it open */
	if (r == 0)
		j->generation = next & INT64_MAX, j->end = 0;
	if (j->sync && commits_sync(j, false) < 0 && r == 0)
		r = -EIO;
	return r;
}

/* Stores @n records and the journal offset @end after them, in one
 * transaction; then tells of the new envelopes. */
static int commit_records(struct journal *j, const uint8_t *const *bufs, const size_t *lens, size_t n,
			  int64_t end)
{
	raksha_envelope **fresh = calloc(n ? n : 1, sizeof(*fresh));
	int r = fresh == NULL ? -ENOMEM : store_begin(j->store);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct record rec;
		if (record_parse(bufs[i], lens[i], &rec) == lens[i])
			r = record_store(j->store, &rec, &fresh[i]);
	}
	if (r == 0)
		r = meta_set(j->store, "journal_offset", end);
	if (r == 0)
		r = store_commit(j->store);
	if (r < 0 && fresh != NULL)
		store_rollback(j->store);  /* a COMMIT that failed may leave it open */
	pthread_mutex_lock(&j->stored_lock);
	for (size_t i = 0; fresh != NULL && i < n; i++) {
		if (r == 0 && fresh[i] != NULL && j->stored != NULL)
			j->stored(j->ctx, fresh[i]);
		raksha_envelope_free(fresh[i]);
	}
	pthread_mutex_unlock(&j->stored_lock);
	free(fresh);
	return r;
}

int journal_commit(struct journal *j, struct entry *batch, size_t n)
{
	const uint8_t **bufs = malloc(n * sizeof(*bufs));
	size_t *lens = malloc(n * sizeof(*lens));
	int64_t end = 0;
	size_t i = 0;
	for (struct entry *e = batch; bufs && lens && e != NULL; e = e->next, i++)
		bufs[i] = e->bytes, lens[i] = e->len, end = e->end;
	int r = bufs && lens ? commit_records(j, bufs, lens, n, end) : -ENOMEM;
	free(bufs), free(lens);
	return r < 0 ? r : 0;
}

void journal_free_entries(struct entry *e)
{
	while (e != NULL) {
		struct entry *next = e->next;
		free(e);
		e = next;
	}
}
