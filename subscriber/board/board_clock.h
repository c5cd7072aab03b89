/* Times as the board shows them: the local clock (how long ago: common/age_text.h). */
#ifndef RAKSHA_BOARD_CLOCK_H
#define RAKSHA_BOARD_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "common/clock.h"

/* "29 Nov 10:05" in local time; "?" for 0 (not given). */
void board_clock_when(int64_t ms, char *out, size_t size);

#endif
