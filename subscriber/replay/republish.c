#define _DEFAULT_SOURCE /* usleep */
/* --republish PREFIX: the selection published again, in order, on
 * PREFIX/<original topic>, the same bytes (so the same message ids), at
 * QoS 1, as fast as the broker takes it or N times real time. Never onto
 * the live tree: a replay must not look like a new report. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "replay/replay.h"

#define MAX_IN_FLIGHT 64
#define DRAIN_TIMEOUT_S 30

struct sender {
	const struct args *a;
	struct raksha_client *client;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int in_flight, failed;
	int64_t sent;
	int64_t first_received_ms;
	struct timespec started;
};

static void on_published(void *ctx, int status)
{
	struct sender *s = ctx;
	pthread_mutex_lock(&s->lock);
	s->in_flight--;
	if (status != 0)
		s->failed++;
	pthread_cond_signal(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

/* Waits until at most @max are in flight, or @timeout_s. */
static int wait_in_flight(struct sender *s, int max, int timeout_s)
{
	struct timespec until = clock_deadline((int64_t)timeout_s * 1000);
	pthread_mutex_lock(&s->lock);
	int r = 0;
	while (s->in_flight > max && r == 0)
		r = pthread_cond_timedwait(&s->changed, &s->lock, &until);
	pthread_mutex_unlock(&s->lock);
	return r == 0 ? 0 : -ETIMEDOUT;
}

/* With --speed N, waits until this message's moment at N times real time. */
static void pace(struct sender *s, int64_t received_ms)
{
	if (s->a->speed <= 0)
		return;
	if (s->sent == 0) {
		s->first_received_ms = received_ms;
		clock_gettime(CLOCK_MONOTONIC, &s->started);
		return;
	}
	double due_s = (double)(received_ms - s->first_received_ms) / 1000.0 / s->a->speed;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = (double)(now.tv_sec - s->started.tv_sec) + (now.tv_nsec - s->started.tv_nsec) / 1e9;
	if (due_s > elapsed)
		usleep((useconds_t)((due_s - elapsed) * 1e6));
}

static int send_row(void *ctx, const struct history_row *row)
{
	struct sender *s = ctx;
	char topic[RAKSHA_TOPIC_MAX * 2];
	if (replay_stop)
		return 1;
	pace(s, row->received_ms);
	snprintf(topic, sizeof(topic), "%s/%s", s->a->republish, row->topic);
	if (wait_in_flight(s, MAX_IN_FLIGHT - 1, DRAIN_TIMEOUT_S) < 0)
		return -ETIMEDOUT;
	pthread_mutex_lock(&s->lock);
	s->in_flight++;
	pthread_mutex_unlock(&s->lock);
	int r = raksha_client_publish(s->client, topic, row->bytes, row->len, false, on_published, s);
	if (r < 0) {
		on_published(s, r);
		return r;
	}
	s->sent++;
	return 0;
}

static bool prefix_ok(const char *p)
{
	size_t n = strlen(p);
	return n > 0 && p[n - 1] != '/' && p[0] != '$' && strpbrk(p, "+#") == NULL &&
	       strncmp(p, "raksha/v1", 9) != 0;
}

/* Publishes the selection of @db through the connected s->client and waits
 * for the broker's acknowledgements. Returns EX_OK or EX_UNAVAILABLE. */
static int send_all(sqlite3 *db, const struct args *a, struct sender *s)
{
	int64_t n = history_each(db, &a->filter, send_row, s);
	if (wait_in_flight(s, 0, DRAIN_TIMEOUT_S) < 0)
		s->failed += s->in_flight;
	if (n < 0 || s->failed > 0) {
		log_line(LOG_ERR, "raksha-replay: %lld of %lld not acknowledged by the broker%s",
			 (long long)(s->failed + (n < 0 ? 1 : 0)), (long long)s->sent,
			 n == -ETIMEDOUT ? " (it stopped answering)" : "");
		return EX_UNAVAILABLE;
	}
	log_line(LOG_NOTICE, "raksha-replay: republished %lld message(s) under %s/",
		 (long long)s->sent, a->republish);
	return EX_OK;
}

int replay_republish(const struct args *a)
{
	if (!prefix_ok(a->republish) || a->filter.rejected) {
		log_line(LOG_ERR, "raksha-replay: --republish '%s': %s", a->republish, a->filter.rejected
			 ? "rejected input is not republished" : "a prefix must be a topic without "
			 "wildcards or a trailing '/', outside raksha/v1 (the live tree)");
		return EX_USAGE;
	}
	sqlite3 *db;
	int r = replay_open_db(a, &db);
	if (r != 0)
		return r;
	struct sender s = {.a = a};
	pthread_mutex_init(&s.lock, NULL);
	clock_cond_init(&s.changed);
	r = replay_client_new(a, "republish", &s.client);
	if (r != 0)
		goto out_db;
	r = replay_client_connect(a, s.client);
	if (r != 0)
		goto out_client;
	r = send_all(db, a, &s);
out_client:
	raksha_client_close(s.client, 2000);
out_db:
	pthread_cond_destroy(&s.changed);
	pthread_mutex_destroy(&s.lock);
	sqlite3_close(db);
	return r;
}
