/* The agent's presence: a retained AgentStatus on
 * raksha/v1/{state}/{region}/{agency}/agent/{id}, "online" while it runs,
 * "offline" when it stops or (as its MQTT Will) when it vanishes. */
#ifndef RAKSHA_AGENT_PRESENCE_H
#define RAKSHA_AGENT_PRESENCE_H

#include <stdbool.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/config.h"

struct presence {
	char topic[RAKSHA_TOPIC_MAX];
	uint8_t *bytes;
	size_t len;
};

/* Encodes the AgentStatus of @c (online or not, started at @started_ms) with
 * a new message id. Returns 0, or a negative errno. Free with presence_free(). */
int presence_make(const struct agent_config *c, bool online, int64_t started_ms, struct presence *out);
void presence_free(struct presence *p);

#endif
