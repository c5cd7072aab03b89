/* What the agent's outbox (agent/unit_pub.c) said about an action or a
 * form the desk sent ("ack queued: broker unreachable; the agent sends it
 * when the link returns"), in the officer's language for the page: the
 * log keeps unit_pub's English, the officer reads it translated. */
#ifndef RAKSHA_DESK_SAID_H
#define RAKSHA_DESK_SAID_H

#include <stddef.h>

#include "agent/unit_pub.h"

/* What became of an envelope (@s, unit_pub's code and its values) into
 * @out (@size bytes) in the calling thread's language: each of unit_pub's
 * phrases (sent, queued and why, NOT sent and why) with its word of the
 * action and its reasons translated, the values in it (a topic, a folder,
 * the validator's problem, an errno's text) as they are. */
void desk_said(const struct unit_said *s, char *out, size_t size);

#endif
