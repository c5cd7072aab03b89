/* Publishing at QoS 1 and hearing back the broker's PUBACK. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/client_internal.h"

/* Unlinks @p from the pending list; false if close() already took it. */
static bool take_pending(struct raksha_client *c, struct pending *p)
{
	bool found = false;
	pthread_mutex_lock(&c->lock);
	for (struct pending **pp = &c->pending; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

static void finish(struct pending *p, int status)
{
	if (!take_pending(p->client, p))
		return;
	if (p->done != NULL)
		p->done(p->ctx, status);
	free(p);
}

/* paho calls this when the PUBACK of a QoS 1 message arrives. */
static void on_puback(void *context, MQTTAsync_successData *resp)
{
	(void)resp;
	finish(context, 0);
}

static void on_publish_failure(void *context, MQTTAsync_failureData *resp)
{
	finish(context, resp && resp->code == MQTTASYNC_DISCONNECTED ? -ECONNRESET : -EIO);
}

void client_fail_pending(struct raksha_client *c, int status)
{
	pthread_mutex_lock(&c->lock);
	struct pending *p = c->pending;
	c->pending = NULL;
	pthread_mutex_unlock(&c->lock);
	while (p != NULL) {
		struct pending *next = p->next;
		if (p->done != NULL)
			p->done(p->ctx, status);
		free(p);
		p = next;
	}
}

int raksha_client_publish(struct raksha_client *c, const char *topic, const void *payload,
			  size_t len, bool retained, raksha_published_fn done, void *ctx)
{
	if (topic == NULL || topic[0] == '\0' || strpbrk(topic, "+#") != NULL || len > INT32_MAX)
		return -EINVAL;
	struct pending *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	*p = (struct pending){.client = c, .done = done, .ctx = ctx};
	pthread_mutex_lock(&c->lock);
	/* While the message callback refuses a message, paho's receive thread
	 * waits in it holding paho's lock: MQTTAsync_sendMessage() would wait
	 * with it, as long as the refusal lasts (a full disk). */
	bool refusing = c->refusing;
	if (!refusing) {
		p->next = c->pending;
		c->pending = p;
	}
	pthread_mutex_unlock(&c->lock);
	if (refusing) {
		free(p);
		return -EBUSY;
	}

	MQTTAsync_message m = MQTTAsync_message_initializer;
	m.payload = (void *)payload;
	m.payloadlen = (int)len;
	m.qos = 1;
	m.retained = retained;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	ro.onSuccess = on_puback;
	ro.onFailure = on_publish_failure;
	ro.context = p;
	int rc = MQTTAsync_sendMessage(c->mq, topic, &m, &ro);
	if (rc == MQTTASYNC_SUCCESS)
		return 0;
	take_pending(c, p);
	free(p);
	return rc == MQTTASYNC_DISCONNECTED ? -ENOTCONN : -EIO;
}

int raksha_client_publish_envelope(struct raksha_client *c, const char *topic,
				   const raksha_envelope *env, bool retained,
				   raksha_published_fn done, void *ctx,
				   struct raksha_problem *problem)
{
	uint8_t *buf;
	size_t len;
	int r = raksha_envelope_encode(env, topic, NULL, &buf, &len, problem);
	if (r < 0)
		return r;
	r = raksha_client_publish(c, topic, buf, len, retained, done, ctx);
	free(buf);
	return r;
}
