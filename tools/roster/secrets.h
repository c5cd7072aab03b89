#ifndef RAKSHA_ROSTER_SECRETS_H
#define RAKSHA_ROSTER_SECRETS_H

#include "tools/roster/roster.h"

/* Keeps @secrets ("id:password", 0600) in step with @r: known passwords
 * stay, new units get a random one (counted in *@added), removed units go.
 * Then writes @passwd, mosquitto's password file, hashed by
 * mosquitto_passwd -U. Both are replaced by rename, never half-written.
 * Returns 0, or -ENOENT (no mosquitto_passwd), -EIO (it failed), or the
 * errno of a write. */
int secrets_write(const struct roster *r, const char *secrets, const char *passwd, int *added);

#endif
