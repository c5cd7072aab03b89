/* The local time of a row, "2026-11-29T10:05:00.123+05:30", once for every
 * row of --format json and text. strftime() and snprintf() cost more than
 * localtime_r() itself (docs/benchmarks.md, issue 19 part 5), so the usual
 * case is written digit by digit from the struct tm that localtime_r()
 * gives for this very second: the zone's offset and its DST stay exactly
 * what libc says, with nothing cached between rows. */
#define _DEFAULT_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "replay/output.h"

#define TIME_LEN 29  /* 2026-11-29T10:05:00.123+05:30 */

/* @n as @width digits, zero-padded, at @at; returns the end. */
static char *digits(char *at, long n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		at[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return at + width;
}

/* The usual case: a year of four digits, a time after 1970 (a negative
 * remainder of ms has its own "%03d"), an offset under 100 hours (%z's
 * hours and minutes; seconds of an offset are dropped, as %z drops them). */
static bool fast(const struct tm *tm, int64_t ms, char *buf, size_t size)
{
	long year = (long)tm->tm_year + 1900, off = labs(tm->tm_gmtoff) / 60;
	if (ms < 0 || year < 1000 || year > 9999 || off >= 100 * 60 || size <= TIME_LEN)
		return false;
	char *at = digits(buf, year, 4);
	*at++ = '-';
	at = digits(at, tm->tm_mon + 1, 2);
	*at++ = '-';
	at = digits(at, tm->tm_mday, 2);
	*at++ = 'T';
	at = digits(at, tm->tm_hour, 2);
	*at++ = ':';
	at = digits(at, tm->tm_min, 2);
	*at++ = ':';
	at = digits(at, tm->tm_sec, 2);
	*at++ = '.';
	at = digits(at, (long)(ms % 1000), 3);
	*at++ = tm->tm_gmtoff < 0 ? '-' : '+';
	at = digits(at, off / 60, 2);
	*at++ = ':';
	at = digits(at, off % 60, 2);
	*at = '\0';
	return true;
}

void output_time(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm = {0};
	char date[32], zone[8];
	if (localtime_r(&t, &tm) != NULL && fast(&tm, ms, buf, size))
		return;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);  /* +0530 */
	snprintf(buf, size, "%s.%03d%.3s:%.2s", date, (int)(ms % 1000), zone, zone + 3);
}
