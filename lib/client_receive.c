/* Receiving: every message is checked before the application sees it, and
 * acknowledged only when the application says it is handled. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_internal.h"

/* How long a message the application could not handle waits before paho
 * offers it again: long enough not to spin on a full disk, short enough that
 * the stream resumes promptly when space returns. */
#define RETRY_PAUSE_MS 200

int client_message_arrived(void *context, char *topic, int topic_len, MQTTAsync_message *m)
{
	struct raksha_client *c = context;
	/* topic_len is 0 when the topic is NUL-terminated; otherwise it may not be. */
	char *own = NULL;
	if (topic_len > 0 && (own = malloc((size_t)topic_len + 1)) != NULL) {
		memcpy(own, topic, (size_t)topic_len);
		own[topic_len] = '\0';
	}
	struct raksha_message msg = {
		.topic = own ? own : topic,
		.payload = m->payload,
		.len = (size_t)m->payloadlen,
		.duplicate = m->dup,
		.retained = m->retained,
	};
	pthread_mutex_lock(&c->lock);
	raksha_message_fn fn = c->on_message;
	void *ctx = c->message_ctx;
	pthread_mutex_unlock(&c->lock);

	int r = 0;
	if (fn != NULL) {
		raksha_envelope *env = NULL;
		struct raksha_problem problem = {0};
		if (raksha_envelope_decode(msg.payload, msg.len, msg.topic, &c->check, &env, &problem) < 0)
			msg.problem = &problem;
		msg.env = env;
		r = fn(ctx, &msg);
		raksha_envelope_free(env);
	}
	free(own);
	if (r != 0) {
		nanosleep(&(struct timespec){0, RETRY_PAUSE_MS * 1000000L}, NULL);
		return 0; /* not handled: no PUBACK; paho offers it again */
	}
	MQTTAsync_freeMessage(&m);
	MQTTAsync_free(topic);
	return 1;
}
