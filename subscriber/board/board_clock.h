/* Times as the board shows them: the local clock (how long ago: common/age_text.h). */
#ifndef RAKSHA_BOARD_CLOCK_H
#define RAKSHA_BOARD_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "common/clock.h"

/* Bytes of a date in any language (Devanagari: three a letter). */
#define BOARD_WHEN_MAX 96

/* "29 Nov 2026, 10:05 am" in IST, in the thread's language
 * (i18n_date_time()); "?" for 0 (not given). */
void board_clock_when(int64_t ms, char *out, size_t size);

#endif
