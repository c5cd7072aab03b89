/* Times as the board shows them: local clock, and how long ago. */
#ifndef RAKSHA_BOARD_CLOCK_H
#define RAKSHA_BOARD_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "common/clock.h"

/* "29 Nov 10:05" in local time; "?" for 0 (not given). */
void board_clock_when(int64_t ms, char *out, size_t size);

/* How long before @now @ms was: "45s", "12m", "3h", "2d". */
void board_clock_age(int64_t ms, int64_t now, char *out, size_t size);

#endif
