/* One envelope over libmosquitto, in the caller's thread: connect, CONNACK,
 * PUBLISH (QoS 1), PUBACK, DISCONNECT. mosquitto_loop() waits in select() on
 * the one socket, so each step goes on the moment the broker answers. The
 * CONNECT goes out at oneshot_dial(), the PUBLISH only at oneshot_send(): the
 * caller makes its entry durable in between. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mosquitto.h>

#include "common/client_id.h"
#include "common/clock.h"
#include "common/minmax.h"
#include "publisher/oneshot/oneshot.h"
#include "publisher/oneshot/oneshot_url.h"

/* What the callbacks saw; all on this thread, inside mosquitto_loop(). */
struct exchange {
	int connack;  /* -1 until the CONNACK, then its return code */
	int mid;      /* the PUBLISH's packet id, once sent */
	bool acked;   /* its PUBACK came */
	bool gone;    /* the connection closed */
};

static void on_connect(struct mosquitto *m, void *ctx, int rc)
{
	(void)m;
	((struct exchange *)ctx)->connack = rc;
}

static void on_publish(struct mosquitto *m, void *ctx, int mid)
{
	struct exchange *x = ctx;
	(void)m;
	if (mid == x->mid)
		x->acked = true;
}

static void on_disconnect(struct mosquitto *m, void *ctx, int rc)
{
	(void)m;
	(void)rc;
	((struct exchange *)ctx)->gone = true;
}

bool oneshot_serves(const char *url)
{
	char host[256];
	int port;
	return oneshot_url_parse(url, host, sizeof(host), &port) == 0;
}

/* Runs libmosquitto's loop until @until says so, the connection ends or the
 * deadline passes. */
static int loop_until(struct mosquitto *m, const struct exchange *x,
		      bool (*until)(const struct exchange *x), const struct timespec *deadline)
{
	while (!until(x)) {
		if (x->gone)
			return -ENOTCONN;
		int64_t left = clock_remaining_ms(deadline);
		if (left <= 0)
			return -ETIMEDOUT;
		/* An error after the awaited packet (mosquitto closes the socket
		 * right after a refusing CONNACK) still ends the wait with it. */
		if (mosquitto_loop(m, (int)MIN(left, 1000), 1) != MOSQ_ERR_SUCCESS && !until(x))
			return -ENOTCONN;
	}
	return 0;
}

static bool connacked(const struct exchange *x)
{
	return x->connack >= 0;
}

static bool acked(const struct exchange *x)
{
	return x->acked;
}

/* A connection begun: what oneshot_dial() made and oneshot_send() uses. */
struct oneshot {
	struct mosquitto *m;
	struct exchange x;  /* the callbacks' context: here, so that it lives as long as @m */
	struct timespec deadline;
};

/* The TCP connect and the CONNECT: libmosquitto writes it at once when the
 * connect completes at once (loopback), else at its first loop. */
static int begin(struct oneshot *o, const struct oneshot_broker *b)
{
	char host[256];
	int port;
	if (oneshot_url_parse(b->url, host, sizeof(host), &port) < 0)
		return -EINVAL;
	if (b->username != NULL &&
	    mosquitto_username_pw_set(o->m, b->username, b->password) != MOSQ_ERR_SUCCESS)
		return -ENOMEM;
	mosquitto_int_option(o->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
	int keepalive = b->keepalive_s > 0 ? b->keepalive_s : 30;
	return mosquitto_connect_async(o->m, host, port, keepalive) == MOSQ_ERR_SUCCESS ? 0 : -ENOTCONN;
}

int oneshot_dial(const struct oneshot_broker *b, int timeout_ms, struct oneshot **out)
{
	char id[300];
	if (!oneshot_serves(b->url))
		return -EINVAL;
	int r = client_id_random(b->username, id, sizeof(id));
	if (r < 0)
		return r;
	struct oneshot *o = calloc(1, sizeof(*o));
	if (o == NULL)
		return -ENOMEM;
	o->x = (struct exchange){.connack = -1, .mid = -1};
	o->deadline = clock_deadline(timeout_ms);
	mosquitto_lib_init();
	o->m = mosquitto_new(id, true, &o->x);
	if (o->m == NULL) {
		oneshot_close(o);
		return -ENOMEM;
	}
	mosquitto_connect_callback_set(o->m, on_connect);
	mosquitto_publish_callback_set(o->m, on_publish);
	mosquitto_disconnect_callback_set(o->m, on_disconnect);
	r = begin(o, b);
	if (r < 0) {
		oneshot_close(o);
		return r;
	}
	*out = o;
	return 0;
}

int oneshot_send(struct oneshot *o, const char *topic, const void *payload, size_t len)
{
	if (len > INT32_MAX)
		return -EINVAL;
	int r = loop_until(o->m, &o->x, connacked, &o->deadline);
	if (r < 0)
		return r;
	if (o->x.connack == 4 || o->x.connack == 5)  /* bad user name or password; not authorised */
		return -EACCES;
	if (o->x.connack != 0)
		return -ECONNREFUSED;
	if (mosquitto_publish(o->m, &o->x.mid, topic, (int)len, payload, 1, false) != MOSQ_ERR_SUCCESS)
		return -ENOTCONN;
	r = loop_until(o->m, &o->x, acked, &o->deadline);
	if (r == 0)
		mosquitto_disconnect(o->m);  /* written at once: no loop needed */
	return r;
}

void oneshot_close(struct oneshot *o)
{
	if (o == NULL)
		return;
	mosquitto_destroy(o->m);  /* closes the socket; NULL is ignored */
	mosquitto_lib_cleanup();
	free(o);
}
