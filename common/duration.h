/* Durations as configs and command lines write them. */
#ifndef RAKSHA_COMMON_DURATION_H
#define RAKSHA_COMMON_DURATION_H

#include <stdint.h>

/* Parses a duration: a whole number with s, m, h or d ("90s", "10m", "2h",
 * "7d"), at most a year. Returns milliseconds, or -1 if @text is not one. */
int64_t duration_parse(const char *text);

#endif
