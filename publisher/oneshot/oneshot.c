/* One envelope over libmosquitto, in the caller's thread: connect, CONNACK,
 * PUBLISH (QoS 1), PUBACK, DISCONNECT. mosquitto_loop() waits in select() on
 * the one socket, so each step goes on the moment the broker answers. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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
		if (mosquitto_loop(m, (int)MIN(left, 1000), 1) != MOSQ_ERR_SUCCESS)
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

/* CONNECT until CONNACK, over the socket mosquitto_connect_async() began. */
static int connect_broker(struct mosquitto *m, const struct oneshot_broker *b, struct exchange *x,
			  const struct timespec *deadline)
{
	char host[256];
	int port;
	if (oneshot_url_parse(b->url, host, sizeof(host), &port) < 0)
		return -EINVAL;
	if (b->username != NULL && mosquitto_username_pw_set(m, b->username, b->password) != MOSQ_ERR_SUCCESS)
		return -ENOMEM;
	mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
	int keepalive = b->keepalive_s > 0 ? b->keepalive_s : 30;
	if (mosquitto_connect_async(m, host, port, keepalive) != MOSQ_ERR_SUCCESS)
		return -ENOTCONN;
	int r = loop_until(m, x, connacked, deadline);
	if (r < 0)
		return r;
	return x->connack == 0 ? 0 : -ECONNREFUSED;
}

static int exchange(struct mosquitto *m, const struct oneshot_broker *b, struct exchange *x,
		    const char *topic, const void *payload, size_t len, int timeout_ms)
{
	struct timespec deadline = clock_deadline(timeout_ms);
	int r = connect_broker(m, b, x, &deadline);
	if (r < 0)
		return r;
	if (len > INT32_MAX)
		return -EINVAL;
	if (mosquitto_publish(m, &x->mid, topic, (int)len, payload, 1, false) != MOSQ_ERR_SUCCESS)
		return -ENOTCONN;
	r = loop_until(m, x, acked, &deadline);
	if (r == 0)
		mosquitto_disconnect(m);  /* written at once: no loop needed */
	return r;
}

int oneshot_publish(const struct oneshot_broker *b, const char *topic, const void *payload,
		    size_t len, int timeout_ms)
{
	char id[300];
	if (!oneshot_serves(b->url))
		return -EINVAL;
	int r = client_id_random(b->username, id, sizeof(id));
	if (r < 0)
		return r;
	struct exchange x = {.connack = -1, .mid = -1};
	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(id, true, &x);
	if (m == NULL) {
		mosquitto_lib_cleanup();
		return -ENOMEM;
	}
	mosquitto_connect_callback_set(m, on_connect);
	mosquitto_publish_callback_set(m, on_publish);
	mosquitto_disconnect_callback_set(m, on_disconnect);
	r = exchange(m, b, &x, topic, payload, len, timeout_ms);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	return r;
}
