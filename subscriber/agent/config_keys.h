/* The table of the configuration's keys (config.h), for config.c. */
#ifndef RAKSHA_AGENT_CONFIG_KEYS_H
#define RAKSHA_AGENT_CONFIG_KEYS_H

#include "agent/config.h"
#include "common/ini_file.h"

/* Takes one "name = value" line of [@section] (not [escalate.NAME]) into
 * @c, reporting a bad value, an unknown key or section through @f.
 * Returns 1, or 0 for out of memory (as ini_key_fn). */
int agent_config_key(struct ini_file *f, struct agent_config *c, const char *section,
		     const char *name, const char *value);

/* Frees every value the table's keys own in @c. */
void agent_config_keys_free(struct agent_config *c);

#endif
