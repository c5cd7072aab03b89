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

void board_clock_age(int64_t ms, int64_t now, char *out, size_t size)
{
	int64_t s = (now - ms) / 1000;
	if (s < 0)
		s = 0;  /* another PC's clock ahead of ours */
	if (s < 60)
		snprintf(out, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(out, size, "%lldm", (long long)(s / 60));
	else if (s < 2 * 86400)
		snprintf(out, size, "%lldh", (long long)(s / 3600));
	else
		snprintf(out, size, "%lldd", (long long)(s / 86400));
}
