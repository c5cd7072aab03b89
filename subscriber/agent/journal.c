/* The ingest journal: appending on the receive thread, committing in
 * batches on its own thread, recovering at start (journal.h). */
#define _GNU_SOURCE /* pthread_setname_np */
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

#include "agent/journal_impl.h"
#include "agent/journal_record.h"
#include "common/clock.h"
#include "common/log.h"

/* Once the committer has stored everything this pass wrote, and it is
 * PASS_BYTES long, the journal starts again from the start of the file.
 * Under a load that never pauses, appends wait once a pass is rotate_bytes
 * long, for the committer to catch up (a batch or two), so that the file
 * stays bounded. Under j->lock, so that no append lands between the
 * committer's last batch and the new pass. */
static void restart_if_idle(struct journal *j, int64_t committed)
{
	if (committed >= j->rotate_bytes)
		j->rotating = true;
	if (j->head != NULL || committed != j->end || (!j->rotating && j->end < PASS_BYTES))
		return;
	journal_start_pass(j);  /* if it failed, the next batch tries again */
	j->rotating = false;
	pthread_cond_broadcast(&j->room);
}

void journal_set_rotate_bytes(struct journal *j, int64_t bytes)
{
	pthread_mutex_lock(&j->lock);
	j->rotate_bytes = bytes;
	pthread_mutex_unlock(&j->lock);
}

/* Takes queued entries up to a full batch (journal_batch_full()); called
 * with j->lock held. */
static struct entry *take_batch(struct journal *j, size_t *n)
{
	struct entry *first = j->head, *last = first;
	size_t bytes = first->len;
	*n = 1;
	while (last->next != NULL && !journal_batch_full(*n, bytes + last->next->len)) {
		last = last->next;
		bytes += last->len;
		(*n)++;
	}
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

/* Whether the committer should take a batch before its gap has passed: a
 * whole one waits, or an append waits for room. Called with j->lock held. */
static bool batch_due(const struct journal *j)
{
	return journal_batch_full(j->queued, j->queued_bytes) || j->room_waiters > 0;
}

/* Waits for records, and for the gap after the last commit unless
 * batch_due(): a transaction costs as much for one record as for fifty,
 * and the appends (an fdatasync() each with sync) come one at a time; so a
 * backlog is stored in batches, and a single report at once. Called with
 * j->lock held. */
static void wait_for_batch(struct journal *j, struct timespec last_commit)
{
	struct timespec due = clock_add_ns(last_commit, j->sync ? SYNC_COMMIT_GAP_NS : COMMIT_GAP_NS);
	while (!j->stopping && (j->head == NULL || !batch_due(j))) {
		if (j->head == NULL) {
			pthread_cond_wait(&j->wake, &j->lock);
			continue;
		}
		if (clock_passed(&due))
			return;
		pthread_cond_timedwait(&j->wake, &j->lock, &due);
	}
}

const char *journal_strerror(int r)
{
	switch (r) {
	case -ENOSPC: return "the disk is full";
	case -ESTALE: return "the database file was deleted or moved away";
	default: return "the database or its journal cannot be written";
	}
}

/* Stores @batch, again every RETRY_MS while it cannot: acknowledged, so
 * kept; and nothing more is acknowledged meanwhile. Returns 0, or the error
 * when the agent stops first: the batch stays in the journal, for the next
 * start. */
static int store_batch(struct journal *j, struct entry *batch, size_t n)
{
	bool logged = false;
	int r;
	while ((r = journal_commit(j, batch, n)) < 0) {
		if (!logged)
			log_line(LOG_ERR, "journal: cannot store %zu acknowledged message(s): %s; "
				 "they wait in the journal", n, journal_strerror(r));
		logged = true;
		pthread_mutex_lock(&j->lock);
		j->failing = r;
		pthread_cond_broadcast(&j->room);
		bool stopping = j->stopping;
		pthread_mutex_unlock(&j->lock);
		if (stopping)
			return r;
		nanosleep(&(struct timespec){0, RETRY_MS * 1000000L}, NULL);
	}
	if (logged)
		log_line(LOG_NOTICE, "journal: storing again");
	return 0;
}

static void *committer(void *arg)
{
	struct journal *j = arg;
	struct timespec last_commit = {0, 0};
	/* Named, so that /proc/PID/task/TID/comm tells it apart (bench/agent-lone.sh). */
	pthread_setname_np(pthread_self(), "committer");
	pthread_mutex_lock(&j->lock);
	for (;;) {
		wait_for_batch(j, last_commit);
		if (j->head == NULL)
			break;  /* stopping, and all is stored */
		size_t n;
		struct entry *batch = take_batch(j, &n), *last = batch;
		while (last->next != NULL)
			last = last->next;
		pthread_mutex_unlock(&j->lock);
		int r = store_batch(j, batch, n);
		int64_t committed = last->end;
		journal_free_entries(batch);
		clock_gettime(CLOCK_MONOTONIC, &last_commit);
		pthread_mutex_lock(&j->lock);
		if (r < 0) {
			log_line(LOG_NOTICE, "journal: %zu message(s) left in the journal for the next start",
				 n + j->queued);
			break;
		}
		j->failing = 0;
		j->stats.commits++;
		j->stats.committed += n;
		restart_if_idle(j, committed);
	}
	journal_free_entries(j->head);  /* stopping: left in the file, not stored */
	j->head = NULL;
	j->tail = &j->head;
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* Writes @e at the end of this pass, and with durability = power makes it
 * reach the disk. A failed write moves nothing: the next one overwrites
 * what it left, and a torn record is no record. */
static int write_record(struct journal *j, struct entry *e)
{
	for (size_t done = 0; done < e->len;) {
		ssize_t w = pwrite(j->fd, e->bytes + done, e->len - done, j->end + (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == ENOSPC)
			return -ENOSPC;
		if (w <= 0)
			return -EIO;
		done += (size_t)w;
	}
	if (j->sync && fdatasync(j->fd) < 0)
		return errno == ENOSPC ? -ENOSPC : -EIO;
	return 0;
}

/* Waits while the queue is full or the journal starts again. The committer
 * is told at once: it would otherwise sleep out its gap first. Called with
 * j->lock held. */
static void wait_for_room(struct journal *j, size_t size)
{
	while ((j->rotating || j->queued >= QUEUE_MAX ||
		(j->queued > 0 && j->queued_bytes + size > QUEUE_MAX_BYTES)) && !j->stopping && !j->failing) {
		j->room_waiters++;
		pthread_cond_signal(&j->wake);
		pthread_cond_wait(&j->room, &j->lock);
		j->room_waiters--;
	}
}

/* Queues @e; true if the committer waits for this and is to be woken: for
 * the first record (it waits for any), or for the one that fills a batch
 * (it sleeps out its gap otherwise, and takes the rest then). A wake for
 * each record cost the receive thread a futex call and the committer a run
 * for nothing (docs/benchmarks.md, issue 19, part 4, session 4). Called
 * with j->lock held; the caller signals after unlocking it, so that the
 * committer, woken, does not find the lock still held and sleep on it once
 * more (issue 19 part 1, session 5). */
static bool enqueue(struct journal *j, struct entry *e)
{
	bool was_empty = j->head == NULL, was_due = batch_due(j);
	*j->tail = e;
	j->tail = &e->next;
	j->queued++;
	j->queued_bytes += e->len;
	j->stats.appended++;
	if (!was_empty && (was_due || !batch_due(j)))
		return false;
	j->stats.wakes++;
	return true;
}

void journal_stats(struct journal *j, struct journal_stats *out)
{
	pthread_mutex_lock(&j->lock);
	*out = j->stats;
	pthread_mutex_unlock(&j->lock);
}

int journal_append(struct journal *j, const char *topic, const void *payload, size_t len,
		   const struct raksha_problem *why, raksha_envelope *env,
		   struct raksha_envelope_arena *arena, int64_t received_ms)
{
	size_t size = journal_record_size(topic, len, why);
	struct entry *e = size > 0 ? malloc(sizeof(*e) + size) : NULL;
	if (e == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&j->lock);
	wait_for_room(j, size);
	/* Made under the lock: the pass it names is the one it is written in. */
	journal_record_write(e->bytes, j->generation, topic, payload, len, why, received_ms);
	e->next = NULL;
	e->len = size;
	e->end = j->end + (int64_t)size;
	e->env = NULL;  /* the caller's until the record is queued */
	e->arena = NULL;
	int r = j->failing;
	if (r == 0)
		r = write_record(j, e);
	bool wake = false;
	if (r == 0) {
		e->env = env;
		e->arena = arena;
		j->end = e->end;
		wake = enqueue(j, e);
	}
	pthread_mutex_unlock(&j->lock);
	if (wake)
		pthread_cond_signal(&j->wake);
	if (r < 0)
		free(e);
	return r;
}

int journal_open_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

int journal_open(const char *path, bool sync, struct store *store, journal_stored_fn fn, void *ctx,
		 struct journal **out, char *err, size_t errlen)
{
	struct journal *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	*j = (struct journal){.store = store, .sync = sync, .stored = fn, .ctx = ctx, .tail = &j->head,
			      .rotate_bytes = ROTATE_BYTES_DEFAULT, .drill = {.db = store_db(store)}};
	/* Everything the committer and the appends share exists before the
	 * recovery, which works as the committer does, under j->lock. */
	pthread_mutex_init(&j->stored_lock, NULL);
	pthread_mutex_init(&j->lock, NULL);
	clock_cond_init(&j->wake);
	pthread_cond_init(&j->room, NULL);
	int r = journal_open_file(path);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		goto error_sync;
	}
	j->fd = r;
	pthread_mutex_lock(&j->lock);
	r = journal_recover(j, path, err, errlen);
	pthread_mutex_unlock(&j->lock);
	if (r < 0)
		goto error_fd;
	r = -pthread_create(&j->thread, NULL, committer, j);
	if (r < 0) {
		snprintf(err, errlen, "cannot start the committer thread: %s", strerror(-r));
		goto error_fd;
	}
	*out = j;
	return 0;
error_fd:
	close(j->fd);
error_sync:
	history_drill_close(&j->drill);  /* the recovery may have used it */
	pthread_cond_destroy(&j->room);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
	pthread_mutex_destroy(&j->stored_lock);
	free(j);
	return r;
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
	history_drill_close(&j->drill);
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->wake);
	pthread_cond_destroy(&j->room);
	pthread_mutex_destroy(&j->stored_lock);
	free(j);
}
