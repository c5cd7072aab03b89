/* stream-publish URL N RATE [LOG [WINDOW [bare]]]: publishes N fresh, valid
 * reports at QoS 1 through libraksha's client (raksha_client_publish() of
 * an envelope encoded and checked by raksha_envelope_encode()), RATE a
 * second on a fixed schedule (0: as fast as the broker acknowledges), with
 * at most WINDOW (default 64, as raksha_outbox_flush()) awaiting their
 * PUBACK. Each report is a new case: a new message_id and report_id
 * (UUIDv7), sent_at_ms now, on raksha/v1/mp/bhopal/grp/report.
 *
 * LOG (optional, "-" for none) gets one line per report, "ID US": the
 * message_id as 32 lowercase hex digits (as SQLite's lower(hex()) and
 * mosquitto_sub's %x show it) and the CLOCK_REALTIME microsecond at which
 * it was handed to the client. On stdout, at the end, one line:
 *   "sent N acked A bytes B first_us F last_us L elapsed_us E"
 * (B: the size of one envelope; F, L: the first and last send times; E: from
 * the first send to the last PUBACK). Exit 0 when every report was
 * acknowledged. With "bare", the same envelopes go straight through
 * paho-mqtt-c's MQTTAsync_sendMessage() (QoS 1, the same window) instead
 * of raksha_client: the transport's own pace, for bench/publish.sh.
 * For bench/latency.sh, catchup.sh, fanout.sh, publish.sh. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <MQTTAsync.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"

struct state {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	long in_flight, acked, failed;
	int64_t last_ack_us;
};

static int64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_puback(void *ctx, int status)
{
	struct state *st = ctx;
	int64_t now = real_us();
	pthread_mutex_lock(&st->lock);
	st->in_flight--;
	if (status == 0) {
		st->acked++;
		st->last_ack_us = now;
	} else {
		st->failed++;
	}
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
}

/* Waits until at most @limit are in flight; false after 120 s without progress. */
static bool wait_in_flight(struct state *st, long limit)
{
	pthread_mutex_lock(&st->lock);
	while (st->in_flight > limit) {
		long before = st->in_flight;
		struct timespec dl;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 120;
		if (pthread_cond_timedwait(&st->changed, &st->lock, &dl) == ETIMEDOUT &&
		    st->in_flight == before)
			break;
	}
	bool ok = st->in_flight <= limit;
	pthread_mutex_unlock(&st->lock);
	return ok;
}

/* The bare paho path. */
static MQTTAsync bare;
static bool bare_up;

static void bare_acked(void *ctx, MQTTAsync_successData *d)
{
	(void)d;
	on_puback(ctx, 0);
}

static void bare_failed(void *ctx, MQTTAsync_failureData *d)
{
	(void)d;
	on_puback(ctx, -1);
}

static void bare_connected(void *ctx, MQTTAsync_successData *d)
{
	struct state *st = ctx;
	(void)d;
	pthread_mutex_lock(&st->lock);
	bare_up = true;
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
}

static int bare_connect(const char *url, const char *id, struct state *st)
{
	if (MQTTAsync_create(&bare, url, id, MQTTCLIENT_PERSISTENCE_NONE, NULL) != MQTTASYNC_SUCCESS)
		return -1;
	MQTTAsync_connectOptions co = MQTTAsync_connectOptions_initializer;
	co.MQTTVersion = MQTTVERSION_3_1_1;
	co.cleansession = 1;
	co.onSuccess = bare_connected;
	co.context = st;
	if (MQTTAsync_connect(bare, &co) != MQTTASYNC_SUCCESS)
		return -1;
	pthread_mutex_lock(&st->lock);
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 10;
	while (!bare_up && pthread_cond_timedwait(&st->changed, &st->lock, &dl) == 0)
		;
	bool up = bare_up;
	pthread_mutex_unlock(&st->lock);
	return up ? 0 : -1;
}

static int bare_publish(const char *topic, const void *buf, size_t len, struct state *st)
{
	MQTTAsync_message m = MQTTAsync_message_initializer;
	m.payload = (void *)buf;
	m.payloadlen = (int)len;
	m.qos = 1;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	ro.onSuccess = bare_acked;
	ro.onFailure = bare_failed;
	ro.context = st;
	return MQTTAsync_sendMessage(bare, topic, &m, &ro) == MQTTASYNC_SUCCESS ? 0 : -EIO;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* Connects with bare paho, or with libraksha's client into *@c; false if it cannot. */
static bool connect_to(const char *url, const char *id, bool use_bare, struct state *st,
		       struct raksha_client **c)
{
	if (use_bare)
		return bare_connect(url, id, st) >= 0;
	struct raksha_client_options o = {.urls = &url, .n_urls = 1, .client_id = id};
	if (raksha_client_new(&o, c) < 0)
		return false;
	if (raksha_client_connect(*c) < 0)
		return false;
	return raksha_client_wait_connected(*c, 10000) >= 0;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 7) {
		fprintf(stderr, "usage: stream-publish URL N RATE [LOG [WINDOW [bare]]]\n");
		return 64;
	}
	const char *url = argv[1];
	long n = atol(argv[2]);
	double rate = atof(argv[3]);
	FILE *log = NULL;
	if (argc > 4 && strcmp(argv[4], "-") != 0) {
		log = fopen(argv[4], "w");
		if (log == NULL) {
			perror(argv[4]);
			return 73;
		}
	}
	long window = argc > 5 ? atol(argv[5]) : 64;
	if (n < 1 || rate < 0 || window < 1) {
		fprintf(stderr, "stream-publish: bad N, RATE or WINDOW\n");
		return 64;
	}
	struct state st = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
	char id[64];
	snprintf(id, sizeof(id), "bench-pub-%ld", (long)getpid());
	bool use_bare = argc > 6 && strcmp(argv[6], "bare") == 0;
	struct raksha_client *c = NULL;
	if (!connect_to(url, id, use_bare, &st, &c)) {
		fprintf(stderr, "stream-publish: cannot connect to %s\n", url);
		return 69;
	}
	size_t size = 0;
	int64_t first = 0, last = 0;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long i = 0; i < n; i++) {
		if (rate > 0) {
			/* A fixed schedule: a late send does not shift the ones after it. */
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
			long step = (long)(1e9 / rate);
			next.tv_nsec += step % 1000000000L;
			next.tv_sec += step / 1000000000L + next.tv_nsec / 1000000000L;
			next.tv_nsec %= 1000000000L;
		}
		if (!wait_in_flight(&st, window - 1)) {
			fprintf(stderr, "stream-publish: no PUBACK for 120 s\n");
			return 75;
		}
		struct sample s;
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		if (raksha_envelope_stamp(env, s.message_id) < 0 || raksha_uuid7(s.report_id) < 0)
			return 70;
		s.place.time_ms = env->sent_at_ms;
		uint8_t *buf;
		size_t len;
		struct raksha_problem p;
		if (raksha_envelope_encode(env, s.topic, NULL, &buf, &len, &p) < 0) {
			fprintf(stderr, "stream-publish: %s\n", p.text);
			return 70;
		}
		size = len;
		pthread_mutex_lock(&st.lock);
		st.in_flight++;
		pthread_mutex_unlock(&st.lock);
		int64_t t = real_us();
		int r = use_bare ? bare_publish(s.topic, buf, len, &st)
				 : raksha_client_publish(c, s.topic, buf, len, false, on_puback, &st);
		free(buf);
		if (r < 0) {
			fprintf(stderr, "stream-publish: publish %ld: %s\n", i, strerror(-r));
			return 75;
		}
		if (i == 0)
			first = t;
		last = t;
		if (log != NULL) {
			char h[33];
			hex(s.message_id, RAKSHA_UUID_LEN, h);
			fprintf(log, "%s %lld\n", h, (long long)t);
		}
	}
	bool ok = wait_in_flight(&st, 0);
	if (log != NULL)
		fclose(log);
	printf("sent %ld acked %ld bytes %zu first_us %lld last_us %lld elapsed_us %lld\n", n, st.acked,
	       size, (long long)first, (long long)last, (long long)(st.last_ack_us - first));
	fflush(stdout);
	if (c != NULL)
		raksha_client_close(c, 3000);
	return ok && st.acked == n ? 0 : 75;
}
