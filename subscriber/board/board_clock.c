#include <stdio.h>
#include <time.h>

#include "common/i18n.h"
#include "board/board_clock.h"

void board_clock_when(int64_t ms, char *out, size_t size)
{
	i18n_date_time(ms, out, size);
	if (out[0] == '\0')
		snprintf(out, size, "?");
}
