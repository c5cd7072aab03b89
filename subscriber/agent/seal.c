/* The agent's own envelopes, sealed (seal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/seal.h"

int seal_envelope(const struct agent_config *c, raksha_envelope *env, const char *topic,
		  uint8_t id[RAKSHA_UUID_LEN], uint8_t **bytes, size_t *len, struct raksha_problem *why)
{
	*why = (struct raksha_problem){0};
	int r = raksha_envelope_stamp(env, id);
	if (r < 0) {
		snprintf(why->text, sizeof(why->text), "no message id: %s", strerror(-r));
		return r;
	}
	r = raksha_envelope_encode(env, topic, NULL, bytes, len, why);
	if (r < 0)
		return r;
	if (c->signing_key == NULL)
		return 0;
	r = raksha_envelope_sign(c->signing_key, bytes, len);
	if (r < 0) {
		free(*bytes);
		*bytes = NULL;
		snprintf(why->text, sizeof(why->text), "signing: %s", strerror(-r));
	}
	return r;
}
