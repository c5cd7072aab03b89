/* Times as officers type them. */
#ifndef RAKSHA_COMMON_TIMEPARSE_H
#define RAKSHA_COMMON_TIMEPARSE_H

#include <stdint.h>

/* Parses @s into Unix milliseconds. Accepts ISO 8601 with an offset
 * ("2026-11-29T10:05:00+05:30", "...Z", seconds and a fraction of them
 * optional, 'T' or a space),
 * a date and time without an offset, read in the local time zone (TZ;
 * district PCs run on IST), and "HH:MM" for the last such time: today, or
 * yesterday if today's is more than an hour ahead (things seen are past).
 * Returns 0, or -EINVAL. */
int timeparse_ms(const char *s, int64_t *ms);

#endif
