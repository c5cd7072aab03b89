/* The programs' times (common/timeparse.c): ISO 8601 with offsets, local (IST) date-times. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "common/timeparse.h"
#include "tests/lib/tap.h"

static const struct {
	const char *text;
	int64_t want;
} cases[] = {
	{"2026-11-29T10:05:00+05:30", INT64_C(1795926900000)},
	{"2026-11-29T10:05+05:30", INT64_C(1795926900000)},
	{"2026-11-29 10:05+0530", INT64_C(1795926900000)},
	{"2026-11-29T04:35:00Z", INT64_C(1795926900000)},
	{"2026-11-29T04:35Z", INT64_C(1795926900000)},
	{"2026-11-28T23:05-05:30", INT64_C(1795926900000)},
	{"2026-11-29 10:05", INT64_C(1795926900000)},    /* local: TZ=Asia/Kolkata */
	{"2026-11-29T10:05:00", INT64_C(1795926900000)},
	/* fractions of a second, as raksha-replay prints received_at */
	{"2026-11-29T10:05:00.123+05:30", INT64_C(1795926900123)},
	{"2026-11-29T04:35:00.5Z", INT64_C(1795926900500)},
	{"2026-11-29 10:05:00.123456", INT64_C(1795926900123)},
};

static const char *const bad[] = {
	"yesterday", "2026-13-01 10:00", "2026-11-29 25:00", "2026-11-29T10:05+5", "2026-11-29",
	"10:61", "2026-11-29T10:05:00+05:30junk", "", "-5:00", "1969-12-31 23:00", "10:-5", "2026-11-29T-1:05",
	"2026-02-31 10:00", "2026-11-29T10:05:00.+05:30", "2026-11-29T10:05:00.12x",
	"2026-11-29T10:05+-1:00", "2026-11-29T10:05+01:-5", "2026-11-29T10:05+1:-05",
};

int main(void)
{
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t ms = 0;
		is_int(timeparse_ms(cases[i].text, &ms), 0, "'%s' parses", cases[i].text);
		is_int(ms, cases[i].want, "  '%s' is 10:05 IST", cases[i].text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t ms;
		is_int(timeparse_ms(bad[i], &ms), -EINVAL, "'%s' refused", bad[i]);
	}
	int64_t ms;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	ok(timeparse_ms("09:30", &ms) == 0, "HH:MM parses");
	localtime_r(&(time_t){(time_t)(ms / 1000)}, &tm);
	ok(tm.tm_hour == 9 && tm.tm_min == 30, "HH:MM is that local time");
	ok(ms / 1000 <= now + 3600 && ms / 1000 > now - 86400 - 3600,
	   "HH:MM is the last such time: within the past day, never more than an hour ahead");
	return tap_done();
}
