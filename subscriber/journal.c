/* The ingest journal: appending on the receive thread, committing in
 * batches on its own thread, recovering at start (journal.h). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent.h"
#include "journal.h"
#include "journal_record.h"

#define BATCH_MAX 1024          /* records per transaction */
#define QUEUE_MAX 4096          /* records waiting before the receive thread waits, */
#define QUEUE_MAX_BYTES (1 << 20) /* or bytes (photos): the agent's memory stays small */
#define RETRY_MS 200            /* after a failed commit (a full disk) */
#define ROTATE_BYTES_DEFAULT (64 << 20)  /* a journal this long starts again */

struct entry {
	struct entry *next;
	uint8_t *bytes;             /* the record as written */
	size_t len;
	int64_t end;                /* the journal offset after it */
};

struct journal {
	int fd;
	struct store *store;
	pthread_mutex_t stored_lock;  /* held while @stored runs; journal_detach() */
	journal_stored_fn stored;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t lock;       /* guards all below, and orders appends */
	pthread_cond_t wake;        /* records queued, or stopping */
	pthread_cond_t room;        /* the queue shrank */
	struct entry *head, **tail;
	size_t queued, queued_bytes;
	int64_t size;               /* the journal file's length */
	int64_t rotate_bytes;
	bool rotating;              /* appends wait until the journal starts again */
	bool stopping;
};

static int meta_offset(struct store *s, int64_t *offset, bool set)
{
	sqlite3_stmt *st;
	const char *sql = set ? "INSERT INTO meta VALUES ('journal_offset', ?1)"
				" ON CONFLICT (key) DO UPDATE SET value = excluded.value"
			      : "SELECT value FROM meta WHERE key = 'journal_offset'";
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (set)
		sqlite3_bind_int64(st, 1, *offset);
	int rc = sqlite3_step(st);
	if (!set)
		*offset = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

/* Stores @n records of @buf (from journal offset @start) and the offset
 * after them, in one transaction; then tells of the new envelopes. */
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
		r = meta_offset(j->store, &end, true);
	if (r == 0)
		r = store_commit(j->store);
	else if (fresh != NULL)
		store_rollback(j->store);
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

/* At start: stores what the journal holds past the committed offset. A torn
 * last record was never acknowledged (its write did not return) and goes. */
static int recover(struct journal *j, char *err, size_t errlen)
{
	struct stat st;
	int64_t done = 0;
	if (fstat(j->fd, &st) < 0 || meta_offset(j->store, &done, false) < 0)
		return snprintf(err, errlen, "cannot read the journal's state"), -EIO;
	size_t size = (size_t)st.st_size, n = 0, cap = 0;
	size_t at = done < 0 || (size_t)done > size ? size : (size_t)done;  /* past it: nothing left */
	uint8_t *buf = size > at ? malloc(size - at) : NULL;
	if (size > at && (buf == NULL || pread(j->fd, buf, size - at, (off_t)at) != (ssize_t)(size - at))) {
		free(buf);
		return snprintf(err, errlen, "cannot read the journal"), -EIO;
	}
	const uint8_t **bufs = NULL;
	size_t *lens = NULL, used = 0, len;
	struct record rec;
	while (at + used < size && (len = record_parse(buf + used, size - at - used, &rec)) > 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			const uint8_t **b = realloc(bufs, cap * sizeof(*bufs));
			size_t *l = b ? realloc(lens, cap * sizeof(*lens)) : NULL;
			bufs = b ? b : bufs, lens = l ? l : lens;
			if (b == NULL || l == NULL)
				return free(buf), free(bufs), free(lens), -ENOMEM;
		}
		bufs[n] = buf + used, lens[n++] = len, used += len;
	}
	int r = n > 0 ? commit_records(j, bufs, lens, n, (int64_t)(at + used)) : 0;
	free(buf), free(bufs), free(lens);
	if (r < 0)
		return snprintf(err, errlen, "cannot store what the journal holds: %s",
				r == -ENOSPC ? "the disk is full" : "database error"), r;
	/* Everything is in the database: start the journal afresh. */
	int64_t zero = 0;
	if (ftruncate(j->fd, 0) < 0 || meta_offset(j->store, &zero, true) < 0)
		return snprintf(err, errlen, "cannot reset the journal"), -EIO;
	if (n > 0)
		agent_log(LOG_NOTICE_, "journal: stored %zu message(s) acknowledged before a crash", n);
	return 0;
}

/* When the committer has stored everything, the journal starts again from
 * zero. Under a load that never pauses, appends wait once the journal is
 * rotate_bytes long, for the committer to catch up (a batch or two), so
 * that the file stays bounded. Under j->lock, so that no append lands
 * between the truncation and the offset's reset; a crash between the two
 * leaves an empty file and a stale offset, which recover() reads as
 * "nothing to do". */
static void restart_if_idle(struct journal *j, int64_t committed)
{
	if (committed >= j->rotate_bytes)
		j->rotating = true;
	if (j->head != NULL || committed != j->size)
		return;
	int64_t zero = 0;
	if (ftruncate(j->fd, 0) == 0 && meta_offset(j->store, &zero, true) == 0)
		j->size = 0;
	j->rotating = false;
	pthread_cond_broadcast(&j->room);
}

void journal_set_rotate_bytes(struct journal *j, int64_t bytes)
{
	pthread_mutex_lock(&j->lock);
	j->rotate_bytes = bytes;
	pthread_mutex_unlock(&j->lock);
}

/* Takes up to BATCH_MAX queued entries; called with j->lock held. */
static struct entry *take_batch(struct journal *j, size_t *n)
{
	struct entry *first = j->head, *last = first;
	*n = 1;
	while (last->next != NULL && *n < BATCH_MAX)
		last = last->next, (*n)++;
	j->head = last->next;
	if (j->head == NULL)
		j->tail = &j->head;
	last->next = NULL;
	j->queued -= *n;
	for (struct entry *e = first; e != NULL; e = e->next)
		j->queued_bytes -= e->len;
	pthread_cond_broadcast(&j->room);
	return first;
}

static int commit_batch(struct journal *j, struct entry *batch, size_t n)
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

static void free_batch(struct entry *e)
{
	while (e != NULL) {
		struct entry *next = e->next;
		free(e->bytes), free(e);
		e = next;
	}
}

static void *committer(void *arg)
{
	struct journal *j = arg;
	int64_t failing_since = 0;
	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (j->head == NULL && !j->stopping)
			pthread_cond_wait(&j->wake, &j->lock);
		if (j->head == NULL)
			break;  /* stopping, and all is stored */
		size_t n;
		struct entry *batch = take_batch(j, &n), *last = batch;
		while (last->next != NULL)
			last = last->next;
		pthread_mutex_unlock(&j->lock);
		int r;
		while ((r = commit_batch(j, batch, n)) < 0) {
			/* Acknowledged, so kept: the same batch again until it fits. */
			if (failing_since == 0)
				agent_log(LOG_ERR_, "journal: cannot store %zu acknowledged message(s): %s; "
					  "they wait in the journal", n,
					  r == -ENOSPC ? "the disk is full" : "database error");
			failing_since = 1;
			nanosleep(&(struct timespec){0, RETRY_MS * 1000000L}, NULL);
		}
		if (failing_since)
			agent_log(LOG_NOTICE_, "journal: storing again");
		failing_since = 0;
		int64_t committed = last->end;
		free_batch(batch);
		pthread_mutex_lock(&j->lock);
		restart_if_idle(j, committed);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

int journal_append(struct journal *j, const char *topic, const void *payload, size_t len,
		   const struct raksha_problem *why, int64_t received_ms)
{
	struct entry *e = malloc(sizeof(*e));
	if (e != NULL && (e->bytes = record_encode(topic, payload, len, why, received_ms, &e->len)) == NULL)
		free(e), e = NULL;
	if (e == NULL)
		return -ENOMEM;
	e->next = NULL;
	pthread_mutex_lock(&j->lock);
	while ((j->rotating || j->queued >= QUEUE_MAX ||
		(j->queued > 0 && j->queued_bytes + e->len > QUEUE_MAX_BYTES)) && !j->stopping)
		pthread_cond_wait(&j->room, &j->lock);
	ssize_t w = write(j->fd, e->bytes, e->len);
	int r = w == (ssize_t)e->len ? 0 : w < 0 && errno == ENOSPC ? -ENOSPC : -EIO;
	if (w > 0 && r < 0 && ftruncate(j->fd, j->size) < 0)
		r = -EIO;  /* a partial record would be torn anyway; cut it off now */
	if (r == 0) {
		j->size += (int64_t)e->len;
		e->end = j->size;
		*j->tail = e, j->tail = &e->next;
		j->queued++;
		j->queued_bytes += e->len;
		pthread_cond_signal(&j->wake);
	}
	pthread_mutex_unlock(&j->lock);
	if (r < 0)
		free(e->bytes), free(e);
	return r;
}

int journal_open(const char *path, struct store *store, journal_stored_fn fn, void *ctx,
		 struct journal **out, char *err, size_t errlen)
{
	struct journal *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	*j = (struct journal){.store = store, .stored = fn, .ctx = ctx, .tail = &j->head,
			      .rotate_bytes = ROTATE_BYTES_DEFAULT};
	pthread_mutex_init(&j->stored_lock, NULL);
	j->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		int e = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-e));
		free(j);
		return e;
	}
	int r = recover(j, err, errlen);
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	pthread_cond_init(&j->room, NULL);
	if (r == 0 && pthread_create(&j->thread, NULL, committer, j) != 0)
		r = -EAGAIN, snprintf(err, errlen, "cannot start the committer thread");
	if (r < 0) {
		close(j->fd);
		pthread_mutex_destroy(&j->stored_lock);
		free(j);
		return r;
	}
	*out = j;
	return 0;
}

void journal_detach(struct journal *j)
{
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->stored_lock);
	j->stored = NULL;
	pthread_mutex_unlock(&j->stored_lock);
}

void journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	j->stopping = true;
	pthread_cond_broadcast(&j->wake);
	pthread_cond_broadcast(&j->room);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->wake);
	pthread_cond_destroy(&j->room);
	pthread_mutex_destroy(&j->stored_lock);
	free(j);
}
