/* Subscribing, and subscribing again what the broker refused.
 *
 * A broker may refuse a filter for a while and then take it: a NATS cluster
 * with a node down answers a SUBSCRIBE with a failure when its JetStream
 * consumer could not be made in time. An agent that gave up there would
 * stay connected without that filter until its next reconnection, missing
 * reports. So refused filters are tried again on the same connection, after
 * 1 s, doubling to 60 s, until the broker takes them or the connection
 * changes (a new connection subscribes every filter anyway). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "lib/client_internal.h"

#define RESUBSCRIBE_MIN_S 1
#define RESUBSCRIBE_MAX_S 60

/* One SUBSCRIBE in flight. After a (re)connection the client counts as
 * connected only once the broker has answered it, so that a caller who
 * waits for the connection and then publishes misses nothing. */
struct sub_request {
	struct raksha_client *c;
	char **filters;        /* the client's own strings, which live as long as it */
	size_t n;
	unsigned generation;   /* the connection it was sent on */
	bool on_connect;
	bool retry;            /* a retry of refused filters */
};

static void request_free(struct sub_request *rq)
{
	if (rq != NULL)
		free(rq->filters);
	free(rq);
}

static void mark_connected(struct raksha_client *c, unsigned generation, const char *reason)
{
	pthread_mutex_lock(&c->lock);
	bool current = generation == c->generation;
	if (current)
		c->connected = true;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
	if (current)
		client_tell_connection(c, true, reason);
}

static bool still_subscribed(const struct raksha_client *c, const char *filter)
{
	for (size_t i = 0; i < c->n_filters; i++)
		if (c->filters[i] == filter)
			return true;
	return false;
}

/* Queues the refused filters of @rq (those @refused marks) for a retry. */
static void retry_later(struct sub_request *rq, const bool *refused)
{
	struct raksha_client *c = rq->c;
	pthread_mutex_lock(&c->lock);
	if (rq->generation != c->generation || c->closing) {
		pthread_mutex_unlock(&c->lock);
		return;  /* that connection is gone; the next one subscribes everything */
	}
	if (c->resub_generation != rq->generation) {
		c->n_resub = 0;
		c->resub_delay_s = RESUBSCRIBE_MIN_S;
	}
	c->resub_generation = rq->generation;
	for (size_t i = 0; i < rq->n; i++) {
		char **grown = refused[i] && still_subscribed(c, rq->filters[i])
			       ? realloc(c->resub, (c->n_resub + 1) * sizeof(char *)) : NULL;
		if (grown != NULL) {
			c->resub = grown;
			c->resub[c->n_resub++] = rq->filters[i];
		}
	}
	if (rq->retry && c->resub_delay_s < RESUBSCRIBE_MAX_S)
		c->resub_delay_s *= 2;
	if (c->resub_delay_s > RESUBSCRIBE_MAX_S)
		c->resub_delay_s = RESUBSCRIBE_MAX_S;
	if (!c->resub_started && c->n_resub > 0)
		c->resub_started = pthread_create(&c->resub_thread, NULL, client_resubscriber, c) == 0;
	pthread_cond_broadcast(&c->resub_wake);
	pthread_mutex_unlock(&c->lock);
}

/* The connection callback hears of a refusal once, with the connection (or
 * the new filter) it came with, and again, with no reason, when a retry has
 * made the subscriptions whole; retries that are refused again are silent. */
static void finish_subscribe(struct sub_request *rq, const bool *refused, size_t n_refused)
{
	char why[160];
	snprintf(why, sizeof(why), "the broker refused %zu of %zu subscription(s); trying them again "
		 "until it takes them", n_refused, rq->n);
	if (rq->on_connect)
		mark_connected(rq->c, rq->generation, n_refused > 0 ? why : NULL);
	else if (rq->retry ? n_refused == 0 : n_refused > 0)
		client_tell_connection(rq->c, true, n_refused > 0 ? why : NULL);
	if (n_refused > 0)
		retry_later(rq, refused);
	request_free(rq);
}

/* The SUBACK's code for filter @i of @n (the QoS granted, or 0x80 and more
 * for a refusal): paho gives one alone, several as a list. */
static int granted_qos(const void *data, size_t n, size_t i)
{
	const MQTTAsync_successData *d = data;
	if (n == 1)
		return d->alt.qos;
	return d->alt.qosList ? d->alt.qosList[i] : 0;
}

static int granted_qos5(const void *data, size_t n, size_t i)
{
	const MQTTAsync_successData5 *d = data;
	if (n == 1)
		return d->reasonCode;
	return d->alt.sub.reasonCodes ? (int)d->alt.sub.reasonCodes[i] : 0;
}

/* @code reads the SUBACK's code of each filter of @rq from paho's @d. */
static void take_suback(struct sub_request *rq, int (*code)(const void *, size_t, size_t),
			const void *d)
{
	bool *refused = calloc(rq->n, sizeof(bool));
	size_t n_refused = 0;
	for (size_t i = 0; refused != NULL && i < rq->n; i++) {
		refused[i] = code(d, rq->n, i) >= 0x80;  /* 3.1.1's failure, MQTT 5's refusals */
		n_refused += refused[i];
	}
	finish_subscribe(rq, refused, n_refused);
	free(refused);
}

static void on_suback(void *context, MQTTAsync_successData *d)
{
	take_suback(context, granted_qos, d);
}

static void on_suback5(void *context, MQTTAsync_successData5 *d)
{
	take_suback(context, granted_qos5, d);
}

/* paho calls this with MQTT_BAD_SUBSCRIBE when the broker refused the one
 * filter of a SUBSCRIBE, and with another code when no SUBACK will come: the
 * connection closed first, or the client is being destroyed (a NATS cluster
 * may take seconds to answer a SUBSCRIBE). That is neither a refusal nor a
 * connection: the next connection subscribes again and is announced when
 * its SUBACK comes. */
static void subscribe_failed(struct sub_request *rq, bool refused)
{
	bool *all = refused ? malloc(rq->n * sizeof(bool)) : NULL;
	if (all != NULL) {
		for (size_t i = 0; i < rq->n; i++)
			all[i] = true;
		finish_subscribe(rq, all, rq->n);
		free(all);
	} else {
		request_free(rq);
	}
}

static void on_suback_failure(void *context, MQTTAsync_failureData *d)
{
	subscribe_failed(context, d != NULL && d->code == MQTT_BAD_SUBSCRIBE);
}

/* MQTT 5: a refusal has its reason code; a SUBACK that will not come has 0. */
static void on_suback_failure5(void *context, MQTTAsync_failureData5 *d)
{
	subscribe_failed(context, d != NULL && d->reasonCode >= MQTTREASONCODE_UNSPECIFIED_ERROR);
}

static void send_subscribe(struct raksha_client *c, char *const *filters, size_t n,
			   bool on_connect, bool retry, unsigned generation)
{
	struct sub_request *rq = n > 0 ? calloc(1, sizeof(*rq)) : NULL;
	int *qos = n > 0 ? malloc(n * sizeof(int)) : NULL;
	char **copy = n > 0 ? malloc(n * sizeof(char *)) : NULL;
	int rc = MQTTASYNC_FAILURE;
	if (rq != NULL && qos != NULL && copy != NULL) {
		memcpy(copy, filters, n * sizeof(char *));
		*rq = (struct sub_request){c, copy, n, generation, on_connect, retry};
		copy = NULL;
		for (size_t i = 0; i < n; i++)
			qos[i] = 1;
		MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
		if (c->mqtt_version == 5) {  /* paho refuses the 3.1.1 callbacks then */
			ro.onSuccess5 = on_suback5;
			ro.onFailure5 = on_suback_failure5;
		} else {
			ro.onSuccess = on_suback;
			ro.onFailure = on_suback_failure;
		}
		ro.context = rq;
		rc = MQTTAsync_subscribeMany(c->mq, (int)n, (char *const *)filters, qos, &ro);
	}
	free(qos);
	free(copy);
	if (rc == MQTTASYNC_SUCCESS)
		return;
	request_free(rq);
	if (on_connect)  /* nothing to wait for */
		mark_connected(c, generation, NULL);
}

void client_subscribe_now(struct raksha_client *c, char *const *filters, size_t n,
			  bool on_connect, unsigned generation)
{
	send_subscribe(c, filters, n, on_connect, false, generation);
}

/* Waits for refused filters and their delay, then sends them again. */
void *client_resubscriber(void *arg)
{
	struct raksha_client *c = arg;
	pthread_mutex_lock(&c->lock);
	while (!c->closing) {
		if (c->n_resub == 0) {
			pthread_cond_wait(&c->resub_wake, &c->lock);
			continue;
		}
		struct timespec until = clock_deadline((int64_t)c->resub_delay_s * 1000);
		unsigned generation = c->resub_generation;
		while (!c->closing && c->resub_generation == generation &&
		       pthread_cond_timedwait(&c->resub_wake, &c->lock, &until) != ETIMEDOUT)
			;
		if (c->closing || c->resub_generation != generation)
			continue;
		char **filters = c->resub;
		size_t n = c->n_resub;
		c->resub = NULL;
		c->n_resub = 0;
		bool current = c->connected && generation == c->generation;
		pthread_mutex_unlock(&c->lock);
		if (current)
			send_subscribe(c, filters, n, false, true, generation);
		free(filters);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}
