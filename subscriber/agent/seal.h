/* The agent's own envelopes (its presence, escalations; the board's acks
 * and updates): stamped with a new message id, encoded and checked for
 * their topic, and signed with the agent's key if it has one, so that what
 * it publishes passes every agent's checks. */
#ifndef RAKSHA_AGENT_SEAL_H
#define RAKSHA_AGENT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/config.h"

/* Stamps @env (its message_id into @id, and sent_at), encodes it for
 * @topic into *@bytes (*@len bytes, malloc'd) and signs it as @c's unit.
 * On failure nothing is allocated and @why says what went wrong.
 * Returns 0, or a negative errno: those of raksha_envelope_stamp(),
 * raksha_envelope_encode() and raksha_envelope_sign(). */
int seal_envelope(const struct agent_config *c, raksha_envelope *env, const char *topic,
		  uint8_t id[RAKSHA_UUID_LEN], uint8_t **bytes, size_t *len, struct raksha_problem *why);

#endif
