/* The client's own reconnection. paho's automatic reconnect sends, on every
 * reconnect, the Will it was given at the first MQTTAsync_connect() (it copies
 * the Will there and nowhere else; MQTTAsync_setUpdateConnectOptions can change
 * only the username and password). A Will is an envelope with a message id, so
 * every Will after the first would repeat the first one's id and be dropped by
 * its subscribers as a duplicate. The client therefore connects again by
 * itself, calling MQTTAsync_connect() with a Will made afresh before each
 * attempt, at paho's backoff: 1 s after a loss or a first failure, doubling
 * with each further failure up to 60 s. */
#include <errno.h>
#include <stdlib.h>

#include "common/clock.h"
#include "common/minmax.h"
#include "lib/client_internal.h"

#define RETRY_MIN_S 1
#define RETRY_MAX_S 60

/* Asks the caller for a fresh Will; on a refusal the last one stays. */
static void refresh_will(struct raksha_client *c)
{
	void *payload = NULL;
	size_t len = 0;
	if (c->will_fn == NULL || c->will_topic == NULL)
		return;
	if (c->will_fn(c->will_ctx, &payload, &len) < 0 || payload == NULL)
		return;
	free(c->will_payload);
	c->will_payload = payload;
	c->will_len = len;
	c->will.payload.data = c->will_payload;
	c->will.payload.len = (int)c->will_len;
}

/* Only the caller's first raksha_client_connect() and, after it, the
 * reconnecter call this, one after the other: the Will needs no lock.
 * c->conn is what raksha_client_new() made, MQTT 5's options among them,
 * so that every attempt speaks the version asked for. */
int client_connect_now(struct raksha_client *c)
{
	refresh_will(c);
	return MQTTAsync_connect(c->mq, &c->conn) == MQTTASYNC_SUCCESS ? 0 : -EIO;
}

void client_reconnect_later(struct raksha_client *c)
{
	if (c->retry_delay_s == 0)
		c->retry_delay_s = RETRY_MIN_S;
	else
		c->retry_delay_s = MIN(c->retry_delay_s * 2, RETRY_MAX_S);
	c->reconnect_at = clock_deadline((int64_t)c->retry_delay_s * 1000);
	c->reconnect_due = true;
	pthread_cond_broadcast(&c->reconnect_wake);
}

/* Waits for a due attempt and its time, then makes it. */
void *client_reconnecter(void *arg)
{
	struct raksha_client *c = arg;
	pthread_mutex_lock(&c->lock);
	while (!c->closing) {
		if (!c->reconnect_due) {
			pthread_cond_wait(&c->reconnect_wake, &c->lock);
			continue;
		}
		if (pthread_cond_timedwait(&c->reconnect_wake, &c->lock, &c->reconnect_at) != ETIMEDOUT)
			continue;  /* woken early: look again at what is due and when */
		c->reconnect_due = false;
		pthread_mutex_unlock(&c->lock);
		int r = client_connect_now(c);
		pthread_mutex_lock(&c->lock);
		if (r < 0)
			client_reconnect_later(c);  /* paho said no before trying: as a failure */
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}
