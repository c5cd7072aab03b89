/* raksha-publish's INI config file (libinih): [origin], [broker], [publisher]. */
#ifndef RAKSHA_PUBLISH_CONFIG_H
#define RAKSHA_PUBLISH_CONFIG_H

#include "publisher/publish.h"

/* Reads @path into @p, without overriding what flags already set. Prints
 * every bad line as "FILE:LINE: ..." on stderr.
 * Returns 0, EX_NOINPUT if unreadable, or EX_CONFIG if any line is bad. */
int config_load(struct pub *p, const char *path);

/* "3" or "5", of --mqtt-version or [broker] mqtt_version: the MQTT version;
 * anything else 0. */
int mqtt_version_parse(const char *value);

#endif
