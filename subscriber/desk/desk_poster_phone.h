/* The number a poster asks its reader to call: the reporting unit's. No
 * message carries a unit's own phone (Origin.officer_phone is the sending
 * officer's mobile), nor does the roster; so the desk's configuration
 * names the units' public numbers, one key a unit:
 *
 *   [desk]
 *   unit_phone = mp/vidisha/childline +91 7592 232323
 *
 * and a unit not named there falls back to its report's officer_phone. */
#ifndef RAKSHA_DESK_POSTER_PHONE_H
#define RAKSHA_DESK_POSTER_PHONE_H

#include <stddef.h>

#include <raksha/v1/raksha.pb-c.h>

struct desk_config;

/* The most units one desk's configuration names. */
#define DESK_UNIT_PHONES_MAX 64

/* Takes the value of one unit_phone key, "STATE/REGION/AGENCY PHONE" (each
 * name [a-z0-9-]{1,32}, the phone as the schema's rule: at most 32 bytes of
 * digits, '+', '-', '(', ')' and space, with a digit), into @c. Returns 0,
 * or -EINVAL (@why says what is wrong with it), -EEXIST (that unit is
 * named twice), -E2BIG (more than DESK_UNIT_PHONES_MAX), -ENOMEM. */
int desk_poster_phone_key(struct desk_config *c, const char *value, char *why, size_t size);

/* The phone to call about a case from @o (NULL: none): its unit's from
 * the configuration, else its officer_phone; NULL when neither. */
const char *desk_poster_phone(const struct desk_config *c, const Raksha__V1__Origin *o);

#endif
