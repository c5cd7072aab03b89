/* Applying a changed configuration on SIGHUP. */
#ifndef RAKSHA_AGENT_RELOAD_H
#define RAKSHA_AGENT_RELOAD_H

#include <raksha/raksha.h>

#include "agent/config.h"

/* Reads @live's file again. If it is good, subscribes to new filters,
 * unsubscribes from removed ones, logs what needs a restart, and updates
 * @live's filters. If not, logs its problems and changes nothing.
 * Returns 0, or -1 if the file was not good. */
int reload_apply(struct agent_config *live, struct raksha_client *client);

#endif
