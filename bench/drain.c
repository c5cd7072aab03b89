/* drain MODE URL CLIENT_ID FILTER N [DB]: a diagnostic for the agent's
 * ingest path. Connects with a persistent session as CLIENT_ID, subscribes
 * FILTER at QoS 1, and takes N messages (the session's queue), one layer
 * of the agent at a time:
 *   paho    bare paho-mqtt-c MQTTAsync: the callback frees the message and
 *           returns 1 (paho then sends the PUBACK): paho's own ceiling;
 *   client  libraksha's raksha_client: every message decoded and checked
 *           (raksha_envelope_decode()), the callback returns 0;
 *   store   raksha_client and the agent's own store.c: store_envelope() into
 *           DB with durability "crash", one transaction per message, as the
 *           agent's receive thread does (no escalator, log line or hooks).
 * MODE "setup" only makes the session (connect, subscribe, disconnect).
 * Prints "MODE N US": the microseconds from the start of the connection to
 * the return of the Nth callback. For bench/agent-ingest.sh. */
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

#include "agent/store.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static long want, got, bad;
static int64_t done_us;
static struct store *db;
static const char *filter;

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void count(bool ok)
{
	pthread_mutex_lock(&lock);
	bad += !ok;
	if (++got == want) {
		done_us = mono_us();
		pthread_cond_broadcast(&done_cond);
	}
	pthread_mutex_unlock(&lock);
}

/* paho mode */
static int paho_arrived(void *ctx, char *topic, int topic_len, MQTTAsync_message *m)
{
	(void)ctx;
	(void)topic_len;
	MQTTAsync_freeMessage(&m);
	MQTTAsync_free(topic);
	count(true);
	return 1;
}

static void paho_lost(void *ctx, char *cause)
{
	(void)ctx;
	(void)cause;
}

static void paho_subscribed(void *ctx, MQTTAsync_successData *d)
{
	(void)ctx;
	(void)d;
	pthread_mutex_lock(&lock);
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&lock);
}

static void paho_connected(void *ctx, MQTTAsync_successData *d)
{
	(void)d;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	ro.onSuccess = paho_subscribed;
	MQTTAsync_subscribe(*(MQTTAsync *)ctx, filter, 1, &ro);
}

static int run_paho(const char *url, const char *id, bool setup)
{
	static MQTTAsync mq;
	MQTTAsync_create(&mq, url, id, MQTTCLIENT_PERSISTENCE_NONE, NULL);
	MQTTAsync_setCallbacks(mq, NULL, paho_lost, paho_arrived, NULL);
	MQTTAsync_connectOptions co = MQTTAsync_connectOptions_initializer;
	co.MQTTVersion = MQTTVERSION_3_1_1;
	co.cleansession = 0;
	co.keepAliveInterval = 30;
	co.onSuccess = paho_connected;
	co.context = &mq;
	pthread_mutex_lock(&lock);
	if (MQTTAsync_connect(mq, &co) != MQTTASYNC_SUCCESS)
		return -1;
	if (setup) {
		struct timespec dl;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 10;
		int r = pthread_cond_timedwait(&done_cond, &lock, &dl);
		pthread_mutex_unlock(&lock);
		MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
		MQTTAsync_disconnect(mq, &d);
		usleep(200000);
		return r == 0 ? 0 : -1;
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

/* client and store modes */
static int on_message(void *ctx, const struct raksha_message *m)
{
	(void)ctx;
	if (db != NULL && m->env != NULL && store_envelope(db, m->topic, m->env, m->payload, m->len,
							   real_ms()) < 0)
		return -EIO;
	count(m->env != NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: drain paho|client|store|setup URL CLIENT_ID FILTER N [DB]\n");
		return 64;
	}
	const char *mode = argv[1], *url = argv[2], *id = argv[3];
	filter = argv[4];
	want = atol(argv[5]);
	bool setup = strcmp(mode, "setup") == 0;
	if (strcmp(mode, "store") == 0) {
		char err[256];
		if (argc < 7 || store_open(argv[6], DURABILITY_CRASH, &db, err, sizeof(err)) < 0) {
			fprintf(stderr, "drain: database: %s\n", argc < 7 ? "none given" : err);
			return 73;
		}
	}
	int64_t t0 = mono_us();
	struct raksha_client *c = NULL;
	if (setup || strcmp(mode, "paho") == 0) {
		if (run_paho(url, id, setup) < 0) {
			fprintf(stderr, "drain: cannot connect or subscribe\n");
			return 69;
		}
		if (setup)
			return 0;
	} else {
		struct raksha_client_options o = {.urls = &url, .n_urls = 1, .client_id = id,
						  .persistent_session = true};
		if (raksha_client_new(&o, &c) < 0 || raksha_client_subscribe(c, filter) < 0)
			return 70;
		raksha_client_on_message(c, on_message, NULL);
		if (raksha_client_connect(c) < 0)
			return 69;
	}
	pthread_mutex_lock(&lock);
	while (got < want) {
		long before = got;
		struct timespec dl;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 30;
		if (pthread_cond_timedwait(&done_cond, &lock, &dl) == ETIMEDOUT && got == before)
			break;
	}
	long n = got, b = bad;
	int64_t t = done_us - t0;
	pthread_mutex_unlock(&lock);
	if (n < want || b > 0) {
		fprintf(stderr, "drain %s: %ld of %ld messages, %ld rejected\n", mode, n, want, b);
		return 75;
	}
	printf("%s %ld %lld\n", mode, n, (long long)t);
	fflush(stdout);
	if (c != NULL)
		raksha_client_close(c, 2000);
	if (db != NULL)
		store_close(db);
	_exit(0);  /* paho mode: no clean teardown needed for a diagnostic */
}
