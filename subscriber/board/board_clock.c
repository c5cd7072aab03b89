#include <stdio.h>
#include <time.h>

#include "board/board_clock.h"

void board_clock_when(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms <= 0 || localtime_r(&t, &tm) == NULL || strftime(out, size, "%d %b %H:%M", &tm) == 0)
		snprintf(out, size, "?");
}
