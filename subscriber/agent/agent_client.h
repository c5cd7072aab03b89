/* The MQTT client of the agent's configuration: its brokers, credentials
 * and TLS files, for the service and for the board alike. */
#ifndef RAKSHA_AGENT_CLIENT_H
#define RAKSHA_AGENT_CLIENT_H

#include <stddef.h>

#include <raksha/raksha.h>

#include "agent/presence.h"

/* Makes a client for [broker] of @c as @client_id. @will (may be NULL) is
 * its retained Will; with one, the session is persistent (the service),
 * without, clean (the board). On failure @err says why.
 * Returns 0, or:
 *   -ENOKEY  the password file cannot be read
 *   the errors of raksha_client_new() */
int agent_client_new(const struct agent_config *c, const char *client_id,
		     const struct presence *will, struct raksha_client **out, char *err,
		     size_t errlen);

#endif
