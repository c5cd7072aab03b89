/* Sending the outbox over a client. The state lives on the heap, shared by
 * the caller and every publication in flight, because the broker's answers
 * may come after the caller has given up waiting. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <raksha/client.h>
#include <raksha/outbox.h>

#include "common/clock.h"
#include "lib/outbox_dir.h"
#include "lib/outbox_order.h"

/* Publications awaiting their PUBACK at once: enough to fill the link, few
 * enough that a broker that stops answering leaves little to time out. */
#define WINDOW 64

struct flush {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int refs;                 /* the caller and each flight */
	int dirfd;                /* our own descriptor of the folder */
	unsigned in_flight;
	struct raksha_outbox_flush_stats stats;
	struct timespec deadline;
	struct raksha_client *client;
	raksha_outbox_corrupt_fn aside;  /* told of refusals while the caller waits */
	void *aside_ctx;
	bool returned;                   /* the caller is gone: tell no one */
};

struct flight {
	struct flush *f;
	uint8_t id[RAKSHA_UUID_LEN];
	char *topic;
};

static void unref(struct flush *f)
{
	pthread_mutex_lock(&f->lock);
	bool last = --f->refs == 0;
	pthread_mutex_unlock(&f->lock);
	if (!last)
		return;
	fsync(f->dirfd);
	close(f->dirfd);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->changed);
	free(f);
}

/* A refusal for good: the entry goes to refused/, and the caller, if it
 * still waits, hears of it with the topic and the broker's words. If
 * refused/ cannot take it (a file in its place, a full disk) it stays
 * queued, counted as failed, not refused: the caller must not be told it
 * was set aside. Under f->lock, so that the caller cannot return
 * meanwhile. */
static void set_refused_aside(struct flush *f, const struct flight *fl)
{
	char name[OUTBOX_NAME_LEN + 1], path[OUTBOX_NAME_LEN + 16], why[512];
	outbox_entry_name(fl->id, name);
	int r = outbox_set_aside(f->dirfd, "refused", name);
	if (r < 0)
		f->stats.failed++;
	else
		f->stats.refused++;
	if (f->returned || f->aside == NULL)
		return;
	snprintf(path, sizeof(path), "refused/%s", name);
	if (r < 0)
		snprintf(why, sizeof(why), "the broker refused the publication on %s: %s; it stays "
			 "queued, and each flush meets the same refusal, as refused/ cannot take it: %s",
			 fl->topic, raksha_client_refusal(), strerror(-r));
	else
		snprintf(why, sizeof(why), "the broker refused the publication on %s: %s; moved "
			 "aside, as sending it again would not change that", fl->topic, raksha_client_refusal());
	f->aside(f->aside_ctx, r < 0 ? name : path, why);
}

static bool refused_for_good(int status)
{
	return status == -EACCES || status == -EPERM;
}

static void on_answer(void *ctx, int status)
{
	struct flight *fl = ctx;
	struct flush *f = fl->f;
	/* Acknowledged: the broker has it now, and it may leave the disk. The
	 * folder is synced once, when the flush is over (unref()): a removal a
	 * power cut undoes, like a failed one, means one more send later, stored
	 * once by subscribers. One fsync per envelope was nearly all the time
	 * of a large flush (docs/benchmarks.md). */
	if (status == 0)
		outbox_unlink_at(f->dirfd, fl->id);
	pthread_mutex_lock(&f->lock);
	f->in_flight--;
	if (status == 0)
		f->stats.acked++;
	else if (refused_for_good(status))
		set_refused_aside(f, fl);
	else
		f->stats.failed++;
	pthread_cond_broadcast(&f->changed);
	pthread_mutex_unlock(&f->lock);
	free(fl->topic);
	free(fl);
	unref(f);
}

/* Waits until at most @limit are in flight, or the deadline. */
static int wait_in_flight(struct flush *f, unsigned limit)
{
	pthread_mutex_lock(&f->lock);
	int r = 0;
	while (f->in_flight > limit && r == 0)
		r = pthread_cond_timedwait(&f->changed, &f->lock, &f->deadline);
	bool ok = f->in_flight <= limit;
	pthread_mutex_unlock(&f->lock);
	return ok ? 0 : -ETIMEDOUT;
}

/* raksha_outbox_scan() gives one context to both of its callbacks. */
struct scan {
	struct flush *f;
	raksha_outbox_corrupt_fn corrupt;
	void *ctx;
	struct outbox_order *order;  /* text first (lib/outbox_order.h) */
	bool second;                 /* the second pass: what the first held */
};

static void on_corrupt(void *ctx, const char *path, const char *reason)
{
	struct scan *sc = ctx;
	if (sc->corrupt != NULL)
		sc->corrupt(sc->ctx, path, reason);
}

static int send_one(struct flush *f, const struct raksha_outbox_entry *e)
{
	if (wait_in_flight(f, WINDOW - 1) < 0)
		return -ETIMEDOUT;
	struct flight *fl = malloc(sizeof(*fl));
	char *topic = strdup(e->topic);
	if (fl == NULL || topic == NULL) {
		free(fl);
		free(topic);
		return -ENOMEM;
	}
	fl->f = f;
	fl->topic = topic;
	memcpy(fl->id, e->message_id, RAKSHA_UUID_LEN);
	pthread_mutex_lock(&f->lock);
	f->in_flight++;
	f->refs++;
	pthread_mutex_unlock(&f->lock);
	int r = raksha_client_publish(f->client, e->topic, e->payload, e->len, false, on_answer, fl);
	if (r < 0) {
		pthread_mutex_lock(&f->lock);
		f->in_flight--;
		f->refs--;
		pthread_mutex_unlock(&f->lock);
		free(fl->topic);
		free(fl);
		return r;
	}
	f->stats.sent++;
	return 0;
}

/* The entries of this pass: the first takes the small ones of cases no
 * large entry before them holds, the second the rest. */
static int send_in_pass(void *ctx, const struct raksha_outbox_entry *e)
{
	struct scan *sc = ctx;
	int r = 1;
	if (!sc->second)
		r = outbox_order_first(sc->order, e);
	else if (outbox_order_taken(sc->order, e->message_id))
		r = 0;
	return r <= 0 ? r : send_one(sc->f, e);
}

/* Both passes; the second reads the folder again only if the first held something. */
static int send_passes(struct raksha_outbox *ob, struct flush *f, raksha_outbox_corrupt_fn corrupt,
		       void *ctx)
{
	struct scan sc = {f, corrupt, ctx, outbox_order_new(), false};
	if (sc.order == NULL)
		return -ENOMEM;
	int r = raksha_outbox_scan(ob, send_in_pass, on_corrupt, &sc);
	sc.second = true;
	if (r >= 0 && outbox_order_held_any(sc.order))
		r = raksha_outbox_scan(ob, send_in_pass, on_corrupt, &sc);
	outbox_order_free(sc.order);
	return r;
}

static struct flush *flush_new(struct raksha_outbox *ob, struct raksha_client *c, int timeout_ms)
{
	struct flush *f = calloc(1, sizeof(*f));
	if (f == NULL)
		return NULL;
	f->dirfd = fcntl(ob->dirfd, F_DUPFD_CLOEXEC, 0);
	if (f->dirfd < 0) {
		free(f);
		return NULL;
	}
	pthread_mutex_init(&f->lock, NULL);
	clock_cond_init(&f->changed);
	f->refs = 1;
	f->client = c;
	f->deadline = clock_deadline(timeout_ms > 0 ? timeout_ms : 0);
	return f;
}

/* Sends every entry under the outbox's lock, waiting for it until the
 * deadline, then waits for the broker's answers. */
static int send_all(struct raksha_outbox *ob, struct flush *f, raksha_outbox_corrupt_fn corrupt,
		    void *ctx)
{
	int r;
	while ((r = raksha_outbox_lock(ob, 0)) == -EWOULDBLOCK && !clock_passed(&f->deadline))
		usleep(50000);
	if (r < 0)
		return r;
	r = send_passes(ob, f, corrupt, ctx);
	if (r >= 0)
		r = wait_in_flight(f, 0);
	raksha_outbox_unlock(ob);
	return r;
}

int raksha_outbox_flush(struct raksha_outbox *ob, struct raksha_client *client, int timeout_ms,
			raksha_outbox_corrupt_fn corrupt, void *ctx,
			struct raksha_outbox_flush_stats *stats)
{
	if (stats != NULL)
		*stats = (struct raksha_outbox_flush_stats){0};
	if (raksha_outbox_count(ob) == 0)
		return 0;
	struct flush *f = flush_new(ob, client, timeout_ms);
	if (f == NULL)
		return -ENOMEM;
	f->aside = corrupt;
	f->aside_ctx = ctx;
	int r = send_all(ob, f, corrupt, ctx);
	pthread_mutex_lock(&f->lock);
	f->returned = true;
	if (stats != NULL)
		*stats = f->stats;
	bool all = f->stats.failed == 0 && f->stats.acked + f->stats.refused == f->stats.sent;
	unsigned refused = f->stats.refused;
	pthread_mutex_unlock(&f->lock);
	unref(f);
	if (r < 0)
		return r;
	if (!all)
		return -ETIMEDOUT;
	return refused > 0 ? -EACCES : 0;
}
