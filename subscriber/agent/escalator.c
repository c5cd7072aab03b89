/* The escalator's thread: look at what is new, fire what is due, sleep
 * until the next thing is due or it is kicked (escalator_idle.c). */
#define _GNU_SOURCE /* pthread_setname_np */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/eventfd.h>

#include <sqlite3.h>

#include "agent/dismissed.h"
#include "agent/escalator_impl.h"
#include "agent/prune.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/minmax.h"

/* Kicks are taken at most this often: each look commits (the mark moves),
 * and with durability=power each commit is a disk flush that ingestion
 * would wait behind. Batching keeps a burst from doubling its flushes. */
#define MIN_STEP_MS 250
#define FAILED_LOG_INTERVAL_MS 60000

int escalator_sync(struct escalator *e, bool synced)
{
	if (e->c->durability != DURABILITY_POWER || e->synced == synced)
		return 0;
	int r = escalator_commits_synced(e->store, synced);
	if (r == 0)
		e->synced = synced;
	return r;
}

/* Retention, at start and hourly: ended cases older than the setting go,
 * and rejected input older than its own. */
static void prune(struct escalator *e, int64_t now)
{
	int64_t cases = 0, messages = 0, rows = 0, counts = 0;
	if (now - e->pruned_ms < ESCALATOR_PRUNE_INTERVAL_MS)
		return;
	e->pruned_ms = now;
	int r = escalator_sync(e, true);
	if (r < 0) {
		e->pruned_ms = 0;  /* the next step tries again */
		return;
	}
	if (e->c->prune_closed_after_ms > 0)
		r = prune_closed(e->store, now - e->c->prune_closed_after_ms, &cases, &messages);
	if (r < 0)
		log_line(LOG_ERR, "prune_closed_after: %s", strerror(-r));
	else if (cases > 0)
		log_line(LOG_NOTICE, "pruned %lld ended case(s) and their %lld message(s)",
			 (long long)cases, (long long)messages);
	r = 0;
	if (e->c->prune_rejected_after_ms > 0)
		r = prune_rejected(e->store, now - e->c->prune_rejected_after_ms, &rows, &counts);
	if (r < 0)
		log_line(LOG_ERR, "prune_rejected_after: %s", strerror(-r));
	else if (rows > 0 || counts > 0)
		log_line(LOG_NOTICE, "pruned %lld rejected message(s) and %lld sender(s)' count(s) of what was"
			 " not kept", (long long)rows, (long long)counts);
}

/* Both clocks at one moment, the wall clock read between two monotonic
 * reads close together; *@wall is the time of the whole step, so that no
 * part of it sees a step the timers were not moved for. */
static int follow_clock(struct escalator *e, int64_t *wall)
{
	for (int tries = 0; tries < 3; tries++) {
		int64_t before = clock_mono_ms();
		*wall = clock_wall_ms();
		if (clock_mono_ms() - before <= 50)
			return escalator_follow_clock(e, *wall, before);
	}
	return 0;  /* preempted in between each time: the next step looks */
}

/* What the board's d said: the folder is read at the first step, then
 * when its watch tells of a file (or at each step without a watch), not
 * at every step for nothing. A failed or partial take (256 files a call)
 * looks again at the next. */
static int take_dismissed(struct escalator *e)
{
	if (!e->dismissed_due && e->watch_fd >= 0)
		return 0;
	bool more = false;
	int r = escalator_sync(e, true);  /* its commit before the files go */
	if (r < 0)
		return r;
	r = dismissed_take(e->store, e->c->database, &more);
	e->dismissed_due = r < 0 || more;
	return r;
}

/* A step of the clock, what was left for the outbox, what the clock
 * allows now, what is new, what is due. */
static int work(struct escalator *e)
{
	int64_t now;
	int r = follow_clock(e, &now);
	if (r < 0)
		return r;
	r = escalator_send_pending(e);
	if (r < 0)
		return r;
	r = escalator_retake(e, now);
	if (r < 0)
		return r;
	r = escalator_scan(e, now);
	if (r < 0)
		return r;
	r = take_dismissed(e);
	if (r < 0)
		return r;
	r = escalator_hook_counts(e);
	if (r < 0)
		return r;
	return escalator_fire(e, now);
}

/* A checkpoint flushes the WAL and the database, and the next commit,
 * starting the WAL again, flushes its header: after each report that was
 * half the disk flushes a district agent made for it (2.7 a report, 1.4
 * without; 30 reports at 10/s), which a fan-out to 1,000 agents on one
 * disk shares (docs/benchmarks.md, issue 19, part 1). A stream still gets
 * one each step. With crash, the checkpoint's flush is all that puts
 * commits on the disk before a power cut: there, one each step as before.
 * With power the journal holds what the WAL has not synced yet. */
static void checkpoint(struct escalator *e, int64_t now)
{
	if (e->c->durability == DURABILITY_POWER &&
	    e->scanned_seq - e->checkpoint_seq < ESCALATOR_CHECKPOINT_MESSAGES &&
	    now - e->checkpoint_ms < ESCALATOR_CHECKPOINT_INTERVAL_MS)
		return;
	store_checkpoint(e->store);
	e->checkpoint_seq = e->scanned_seq;
	e->checkpoint_ms = now;
}

/* A step; returns how long the thread may sleep after it. */
static int64_t step(struct escalator *e)
{
	int r = work(e);
	int64_t now = clock_wall_ms();
	if (r == 0)
		prune(e, now);
	checkpoint(e, now);
	if (r < 0 && now - e->failed_log_ms >= FAILED_LOG_INTERVAL_MS) {
		log_line(LOG_ERR, "escalation: %s; retrying every second",
			 r == -ENOSPC ? "the disk is full" : strerror(-r));
		e->failed_log_ms = now;
	} else if (r == 0 && e->failed_log_ms != 0) {
		log_line(LOG_NOTICE, "escalation: working again");
		e->failed_log_ms = 0;
	}
	return escalator_idle_ms(e, now, r < 0);
}

/* Takes what woke the thread: the eventfd first, then the flag, so that
 * a kick in between leaves the eventfd to wake the next sleep. A watch
 * that ended (the folder was removed) is made again, or the steps come
 * each second. Returns true once the thread is to stop. */
static bool take_wake(struct escalator *e)
{
	uint64_t n;
	while (read(e->kick_fd, &n, sizeof(n)) == (ssize_t)sizeof(n))
		;
	if (e->watch_fd >= 0 && !dismissed_watch_drain(e->watch_fd, &e->dismissed_due)) {
		close(e->watch_fd);
		e->watch_fd = dismissed_watch(e->c->database);
		e->dismissed_due = true;  /* what came while there was none */
	}
	pthread_mutex_lock(&e->lock);
	e->kicked = false;
	bool stopping = e->stopping;
	pthread_mutex_unlock(&e->lock);
	return stopping;
}

/* Until @soonest (MIN_STEP_MS after the last step), a kick waiting; only
 * the stop ends it early. Taken after the sleep, not before it: a report
 * that comes alone, past @soonest, wakes the thread once, not a second
 * time for a pause that had nothing to hold back (docs/benchmarks.md,
 * issue 19 part 1, session 5). */
static bool pause_until(struct escalator *e, const struct timespec *soonest)
{
	pthread_mutex_lock(&e->lock);
	while (!e->stopping && !clock_passed(soonest) &&
	       pthread_cond_timedwait(&e->wake, &e->lock, soonest) != ETIMEDOUT)
		;
	bool stopping = e->stopping;
	pthread_mutex_unlock(&e->lock);
	return stopping;
}

/* Sleeps @ms, or until a kick, the stop or a dismissal. The wall clock is
 * looked at each second meanwhile (two clock reads, no database): a step
 * of it is due at once, as when the thread stepped each second. */
static void sleep_until_due(struct escalator *e, int64_t ms)
{
	int64_t end = clock_mono_ms() + ms;
	for (int64_t left = ms; left > 0; left = end - clock_mono_ms()) {
		struct pollfd p[2] = {
			{.fd = e->kick_fd, .events = POLLIN},
			{.fd = e->watch_fd, .events = POLLIN},  /* poll() skips -1 */
		};
		if (poll(p, 2, (int)MIN(left, ESCALATOR_TICK_MS)) != 0)
			return;  /* woken, or EINTR: a step does no harm */
		int64_t mono = clock_mono_ms();
		if (escalator_clock_moved(e, clock_wall_ms(), mono))
			return;
	}
}

static void *run(void *arg)
{
	struct escalator *e = arg;
	/* Named so that /proc/PID/task/TID/comm tells it apart (test 51
	 * counts its wake-ups there). */
	pthread_setname_np(pthread_self(), "escalator");
	while (!take_wake(e)) {
		int64_t idle = step(e);
		struct timespec soonest = clock_deadline(MIN_STEP_MS);
		sleep_until_due(e, idle);
		if (pause_until(e, &soonest))
			break;
	}
	return NULL;
}

static void close_fds(struct escalator *e)
{
	if (e->kick_fd >= 0)
		close(e->kick_fd);
	if (e->watch_fd >= 0)
		close(e->watch_fd);
}

int escalator_open(const struct agent_config *c, struct outbox_sender *sender, struct escalator **out)
{
	struct escalator *e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->c = c;
	e->sender = sender;
	e->pending_maybe = true;  /* what a run before left */
	e->dismissed_due = true;  /* what came while the agent was not running */
	e->synced = c->durability == DURABILITY_POWER;  /* as store_open() sets it */
	pthread_mutex_init(&e->lock, NULL);
	clock_cond_init(&e->wake);
	e->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e->watch_fd = dismissed_watch(c->database);  /* -1: a step each second instead */
	char err[256];
	int r = e->kick_fd < 0 ? -errno : 0;
	if (r < 0) {
		log_line(LOG_ERR, "escalation: eventfd: %s", strerror(-r));
		goto error;
	}
	r = store_open(c->database, c->durability, &e->store, err, sizeof(err));
	if (r < 0) {
		log_line(LOG_ERR, "escalation: database %s: %s", c->database, err);
		goto error;
	}
	/* It reads new rows once, in order: a small cache does (RSS). */
	sqlite3_exec(store_db(e->store), "PRAGMA cache_size = -256", NULL, NULL, NULL);
	e->drill.db = store_db(e->store);
	r = raksha_outbox_open(c->outbox, &e->outbox);
	if (r < 0) {
		log_line(LOG_ERR, "escalation: outbox %s: %s", c->outbox, strerror(-r));
		goto error_store;
	}
	r = hooks_start(c->hook_timeout_ms, &e->hooks);
	if (r < 0) {
		log_line(LOG_ERR, "hooks: %s", strerror(-r));
		goto error_outbox;
	}
	*out = e;
	return 0;
error_outbox:
	raksha_outbox_close(e->outbox);
error_store:
	store_close(e->store);
error:
	close_fds(e);
	pthread_cond_destroy(&e->wake);
	pthread_mutex_destroy(&e->lock);
	free(e);
	return r;
}

/* Once, at the first name to key: opening ICU's transliterator costs far
 * more than keying a name, and 3.6 MiB of ICU's code and data resident
 * besides 1 MiB of heap (docs/benchmarks.md, issue 19 part 6), which an
 * agent that has stored no report or found child yet has no use for.
 * Without it the agent works, but suggests no matches. */
struct match_keyer *escalator_keyer(struct escalator *e)
{
	if (e->keyer != NULL || e->keyer_failed)
		return e->keyer;
	char err[256];
	if (match_keyer_new(&e->keyer, NULL, err, sizeof(err)) < 0) {
		log_line(LOG_WARNING, "matching: no transliterator, no possible matches will be suggested: %s", err);
		e->keyer_failed = true;
	}
	return e->keyer;
}

void escalator_close(struct escalator *e)
{
	hooks_stop(e->hooks);
	match_keyer_free(e->keyer);
	raksha_outbox_close(e->outbox);
	history_drill_close(&e->drill);
	store_close(e->store);
	close_fds(e);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->wake);
	free(e);
}

int escalator_start(const struct agent_config *c, struct outbox_sender *sender,
		    struct escalator **out)
{
	struct escalator *e;
	int r = escalator_open(c, sender, &e);
	if (r < 0)
		return r;
	r = -pthread_create(&e->thread, NULL, run, e);
	if (r < 0) {
		log_line(LOG_ERR, "escalation: no thread: %s", strerror(-r));
		escalator_close(e);
		return r;
	}
	*out = e;
	return 0;
}

/* The eventfd, which the sleep polls; a failed write (it cannot be full
 * here) leaves the step a second later at worst. */
static void wake(struct escalator *e)
{
	uint64_t one = 1;
	if (write(e->kick_fd, &one, sizeof(one)) < 0)
		return;
}

void escalator_kick(struct escalator *e)
{
	if (e == NULL)
		return;
	/* Once per batch: waking the thread for every message of a burst would
	 * cost a context switch each, and it looks at them all at once anyway. */
	pthread_mutex_lock(&e->lock);
	if (!e->kicked)
		wake(e);
	e->kicked = true;
	pthread_mutex_unlock(&e->lock);
}

void escalator_stop(struct escalator *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&e->lock);
	e->stopping = true;
	pthread_cond_signal(&e->wake);
	wake(e);
	pthread_mutex_unlock(&e->lock);
	pthread_join(e->thread, NULL);
	escalator_close(e);
}
