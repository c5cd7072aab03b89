/* Publishing at QoS 1 and hearing back the broker's PUBACK. */
#include <errno.h>
#include <stdio.h>
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

static int lost_status(int code)
{
	return code == MQTTASYNC_DISCONNECTED ? -ECONNRESET : -EIO;
}

static void on_publish_failure(void *context, MQTTAsync_failureData *resp)
{
	finish(context, lost_status(resp ? resp->code : MQTTASYNC_FAILURE));
}

static void on_puback5(void *context, MQTTAsync_successData5 *resp)
{
	(void)resp;  /* a reason code below 0x80: accepted */
	finish(context, 0);
}

/* The broker's words for the refusal being reported on this thread: only
 * the published callback, called from here, reads them. */
static _Thread_local char refusal[256];

const char *raksha_client_refusal(void)
{
	return refusal;
}

/* A refusal the same bytes would meet again is -EACCES or -EPERM, so that
 * an outbox sets it aside; what may pass later stays -EIO. */
static int refusal_status(enum MQTTReasonCodes rc)
{
	switch (rc) {
	case MQTTREASONCODE_NOT_AUTHORIZED:
		return -EACCES;
	case MQTTREASONCODE_TOPIC_NAME_INVALID:
	case MQTTREASONCODE_PAYLOAD_FORMAT_INVALID:
		return -EPERM;
	default:
		return -EIO;
	}
}

/* paho calls this for a PUBACK whose reason code is 0x80 or more, and, with
 * reason code 0, when no PUBACK will come (the connection closed). */
static void on_publish_failure5(void *context, MQTTAsync_failureData5 *resp)
{
	if (resp == NULL || resp->reasonCode < MQTTREASONCODE_UNSPECIFIED_ERROR) {
		finish(context, lost_status(resp ? resp->code : MQTTASYNC_FAILURE));
		return;
	}
	MQTTProperty *said = MQTTProperties_getProperty(&resp->properties,
							MQTTPROPERTY_CODE_REASON_STRING);
	snprintf(refusal, sizeof(refusal), "%s (MQTT 5 reason code 0x%02x)%s%.*s",
		 MQTTReasonCode_toString(resp->reasonCode), (unsigned)resp->reasonCode,
		 said ? ": " : "", said ? said->value.data.len : 0, said ? said->value.data.data : "");
	finish(context, refusal_status(resp->reasonCode));
	refusal[0] = '\0';
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
	if (c->mqtt_version == 5) {  /* paho refuses the 3.1.1 callbacks then */
		ro.onSuccess5 = on_puback5;
		ro.onFailure5 = on_publish_failure5;
	} else {
		ro.onSuccess = on_puback;
		ro.onFailure = on_publish_failure;
	}
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
