/* The MQTT client of the agent's configuration: its brokers, credentials
 * and TLS files, for the service and for the board alike. */
#ifndef RAKSHA_AGENT_CLIENT_H
#define RAKSHA_AGENT_CLIENT_H

#include <stddef.h>

#include <raksha/raksha.h>

#include "agent/presence.h"

/* Makes a client for [broker] of @c as @client_id. With @will (may be
 * NULL; it must outlive the client), its retained Will is the agent's
 * "offline", made afresh for each connection, and the session is persistent
 * (the service); without, there is no Will and the session is clean (the
 * board). On failure @err says why.
 * Returns 0, or:
 *   -ENOKEY  the password file cannot be read
 *   the errors of presence_make() and raksha_client_new() */
int agent_client_new(const struct agent_config *c, const char *client_id,
		     struct presence_will *will, struct raksha_client **out, char *err,
		     size_t errlen);

#endif
