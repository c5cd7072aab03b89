#define _DEFAULT_SOURCE /* timegm */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/timeparse.h"

/* Parses "[+-]HH:MM", "[+-]HHMM" or "Z" into seconds east of UTC. */
static int parse_offset(const char *s, long *off)
{
	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*off = 0;
		return 0;
	}
	int h, m, n = 0;
	/* Digits only: %2d alone would take "+-1" or "01:-5". */
	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]))
		return -EINVAL;
	if (sscanf(s + 1, "%2d:%2d%n", &h, &m, &n) != 2 && sscanf(s + 1, "%2d%2d%n", &h, &m, &n) != 2)
		return -EINVAL;
	if (s[1 + n] != '\0' || h > 14 || m < 0 || m > 59 || strspn(s + 1, "0123456789:") != (size_t)n)
		return -EINVAL;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return 0;
}

/* "HH:MM" or "HH:MM:SS" today, local time. */
static int parse_clock(const char *s, int64_t *ms)
{
	int h, m, sec = 0, n = 0;
	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	if ((sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &n) != 3 &&
	     sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2) || s[n] != '\0')
		return -EINVAL;
	if (h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
		return -EINVAL;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	/* Times typed are of things seen: "23:30" typed in the morning was last night. */
	if (t > now + 3600) {
		tm.tm_mday -= 1;
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	*ms = (int64_t)t * 1000;
	return 0;
}

int timeparse_ms(const char *s, int64_t *ms)
{
	struct tm tm = {0};
	int n = 0, sec = 0, frac_ms = 0;
	if (strchr(s, '-') == NULL || s[0] == '-')
		return parse_clock(s, ms);
	if (sscanf(s, "%4d-%2d-%2d%*[T ]%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &n) != 5)
		return -EINVAL;
	const char *rest = s + n;
	if (rest[0] == ':' && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2])) {
		sec = (rest[1] - '0') * 10 + (rest[2] - '0');
		rest += 3;
	}
	if (rest[0] == '.' && isdigit((unsigned char)rest[1])) {
		/* A fraction of a second, as raksha-replay prints received_at. */
		int digits = 0;
		for (rest++; isdigit((unsigned char)*rest); rest++, digits++)
			if (digits < 3)
				frac_ms = frac_ms * 10 + (*rest - '0');
		for (; digits < 3; digits++)
			frac_ms *= 10;
	}
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || sec > 60 || tm.tm_year < 1970 ||
	    tm.tm_hour < 0 || tm.tm_min < 0)
		return -EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_sec = sec;
	int mday = tm.tm_mday;
	struct tm check = tm;
	if (timegm(&check) == -1 || check.tm_mday != mday)  /* 2026-02-31 is no date */
		return -EINVAL;
	if (rest[0] == '\0') {
		tm.tm_isdst = -1;
		*ms = (int64_t)mktime(&tm) * 1000 + frac_ms;
		return 0;
	}
	long off;
	if (parse_offset(rest, &off) < 0)
		return -EINVAL;
	*ms = ((int64_t)timegm(&tm) - off) * 1000 + frac_ms;
	return 0;
}
