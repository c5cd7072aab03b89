/* Receiving: every message is checked before the application sees it, and
 * acknowledged only when the application says it is handled. */
#define _DEFAULT_SOURCE /* pause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <raksha/sign.h>

#include "lib/client_internal.h"
#include "lib/envelope_arena.h"
#include "lib/sign_internal.h"

/* How long a refused message waits before it is offered again: long enough
 * not to spin on a full disk, short enough to resume promptly. */
#define RETRY_PAUSE_MS 200

/* A message as the callback gets it: its envelope in an arena of its own
 * (NULL: from malloc), and whether the application keeps it
 * (raksha_message_keep_in()) or a copy (raksha_message_keep_envelope()). */
struct delivery {
	struct raksha_message msg;  /* first: the callback's pointer is the delivery's */
	struct raksha_envelope_arena *arena;
	bool kept;
	raksha_envelope *copy;
};

raksha_envelope *raksha_message_keep_in(const struct raksha_message *msg,
					struct raksha_envelope_arena **arena)
{
	/* The delivery itself is not const: only the callback's view of it. */
	struct delivery *d = (struct delivery *)msg;
	d->kept = msg->env != NULL;
	*arena = d->arena;
	return (raksha_envelope *)msg->env;
}

raksha_envelope *raksha_message_keep_envelope(const struct raksha_message *msg)
{
	struct delivery *d = (struct delivery *)msg;
	if (d->arena == NULL) {
		struct raksha_envelope_arena *none;
		return raksha_message_keep_in(msg, &none);
	}
	/* Its own malloc'd envelope, for raksha_envelope_free(): the bytes
	 * passed every check already, so protobuf-c's unpack alone. */
	if (d->copy == NULL && msg->env != NULL)
		d->copy = raksha__v1__envelope__unpack(NULL, msg->len, msg->payload);
	return d->copy;
}

/* What the client keeps of a delivery once it is done with it. */
static void delivery_free(struct delivery *d)
{
	if (d->kept)
		return;
	if (d->arena != NULL)
		raksha_envelope_arena_free(d->arena);
	else
		raksha_envelope_free((raksha_envelope *)d->msg.env);
}

/* paho-mqtt-c 1.3 sends the PUBACK of a QoS 1 message as soon as this
 * callback returns, whatever it returns: returning 0 only parks the message
 * in paho's memory, already acknowledged. So a message the application cannot
 * handle yet is offered again from inside the callback, and the callback
 * returns only when it is handled. Meanwhile nothing is acknowledged; if the
 * wait outlasts the keepalive, paho drops the connection and the broker keeps
 * the message for the next one. */
static int deliver(struct raksha_client *c, raksha_message_fn fn, void *ctx, struct delivery *d)
{
	for (;;) {
		d->kept = false;
		d->copy = NULL;
		int r = fn(ctx, &d->msg);
		if (r == 0)
			break;
		/* A kept envelope is the application's only after a call that returns 0. */
		d->kept = false;
		raksha_envelope_free(d->copy);
		d->copy = NULL;
		pthread_mutex_lock(&c->lock);
		c->refusing = true;
		bool closing = c->closing;
		pthread_mutex_unlock(&c->lock);
		if (closing)
			return r;
		nanosleep(&(struct timespec){0, RETRY_PAUSE_MS * 1000000L}, NULL);
	}
	pthread_mutex_lock(&c->lock);
	c->refusing = false;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* Never returns while raksha_client_close() abandons the client: returning
 * would acknowledge a message that was not handled. The process is exiting. */
static void park_forever(void)
{
	for (;;)
		pause();
}

int client_message_arrived(void *context, char *topic, int topic_len, MQTTAsync_message *m)
{
	struct raksha_client *c = context;
	/* topic_len is 0 when the topic is NUL-terminated; otherwise it may not be. */
	char *own = topic_len > 0 ? malloc((size_t)topic_len + 1) : NULL;
	if (own != NULL) {
		memcpy(own, topic, (size_t)topic_len);
		own[topic_len] = '\0';
	}
	struct delivery d = {.msg = {
		.topic = own ? own : topic,
		.payload = m->payload,
		.len = (size_t)m->payloadlen,
		.duplicate = m->dup,
		.retained = m->retained,
	}};
	struct raksha_message *msg = &d.msg;
	pthread_mutex_lock(&c->lock);
	raksha_message_fn fn = c->on_message;
	void *ctx = c->message_ctx;
	/* A reference of its own: the application may replace the store meanwhile. */
	struct raksha_trust_store *trust = fn != NULL ? trust_store_ref(c->trust) : NULL;
	bool require = c->require_signatures;
	pthread_mutex_unlock(&c->lock);

	if (fn != NULL) {
		raksha_envelope *env = NULL;
		struct raksha_problem problem = {0};
		if (envelope_decode_own(msg->payload, msg->len, msg->topic, &c->check, &d.arena, &env,
					&problem) < 0 ||
		    (trust != NULL && raksha_envelope_verify(trust, msg->payload, msg->len, env, require,
							      &problem) < 0)) {
			msg->problem = &problem;
			msg->env = env;
			delivery_free(&d);
			env = NULL;
			d.arena = NULL;
		}
		raksha_trust_store_free(trust);
		msg->env = env;
		int r = deliver(c, fn, ctx, &d);
		delivery_free(&d);
		if (r != 0)
			park_forever();
	}
	free(own);
	MQTTAsync_freeMessage(&m);
	MQTTAsync_free(topic);
	return 1;
}
