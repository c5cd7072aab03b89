/* The agent's presence: a retained AgentStatus on
 * raksha/v1/{state}/{region}/{agency}/agent/{id}, "online" while it runs,
 * "offline" when it stops or (as its MQTT Will) when it vanishes. */
#ifndef RAKSHA_AGENT_PRESENCE_H
#define RAKSHA_AGENT_PRESENCE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/config.h"

struct presence {
	char topic[RAKSHA_TOPIC_MAX];
	uint8_t *bytes;
	size_t len;
};

/* The agent's presence topic into @topic. Returns 0, or -EINVAL (it does
 * not fit, or the configuration's names make no topic). */
int presence_topic(const struct agent_config *c, char *topic, size_t size);

/* Encodes the AgentStatus of @c (online or not, started at @started_ms) with
 * a new message id. Returns 0, or a negative errno. Free with presence_free(). */
int presence_make(const struct agent_config *c, bool online, int64_t started_ms, struct presence *out);
void presence_free(struct presence *p);

/* The agent's Will: an "offline" AgentStatus, made afresh for each
 * connection (a raksha_will_fn), so that each loss of the link is a message
 * of its own and not a duplicate of the first loss's. */
struct presence_will {
	const struct agent_config *c;  /* read under agent_config_mutex */
	int64_t started_ms;
	pthread_mutex_t lock;          /* guards last */
	struct presence last;          /* a copy of the Will made last */
};

/* A raksha_will_fn for @ctx, a struct presence_will: a new "offline" status,
 * a copy of which stays in w->last. Returns 0, or a negative errno (the
 * client keeps the last Will). */
int presence_will_make(void *ctx, void **payload, size_t *len);

/* A copy of the Will made last: once a connection is lost, the one the
 * broker publishes for it (the next is made only at the next attempt).
 * Returns 0, or -ENOENT (none yet) or -ENOMEM. Free with presence_free(). */
int presence_will_last(struct presence_will *w, struct presence *out);

/* Frees w->last. */
void presence_will_free(struct presence_will *w);

#endif
