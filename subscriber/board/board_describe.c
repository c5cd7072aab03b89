#include <stdarg.h>
#include <stdio.h>

#include "board/board_clock.h"
#include "board/board_describe.h"

void board_describe_put(char *out, size_t size, size_t *n, const char *fmt, ...)
{
	if (*n >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(out + *n, size - *n, fmt, ap);
	va_end(ap);
	*n += w > 0 ? (size_t)w : 0;
}

/* Appends @s after a separator, if there is anything before it. */
static void part(char *out, size_t size, size_t *n, const char *sep, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	board_describe_put(out, size, n, "%s%s", *n ? sep : "", s);
}

void board_describe_place(const Raksha__V1__Place *p, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	if (p == NULL)
		return;
	part(out, size, &n, " ", p->station_code);
	part(out, size, &n, " ", p->train_number);
	if (*p->coach)
		board_describe_put(out, size, &n, "%scoach %s", n ? " " : "", p->coach);
	if (p->time_ms > 0) {
		char when[32];
		board_clock_when(p->time_ms, when, sizeof(when));
		part(out, size, &n, ", ", when);
	}
	part(out, size, &n, "; ", p->description);
	part(out, size, &n, "; ", p->police_station);
	part(out, size, &n, ", ", p->district);
}

void board_describe_age(const Raksha__V1__Child *c, char *out, size_t size)
{
	out[0] = '\0';
	if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS)
		snprintf(out, size, "%u", c->age_years);
	else if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && c->age_range)
		snprintf(out, size, "%u-%u", c->age_range->min_years, c->age_range->max_years);
}

const char *board_describe_gender(int gender)
{
	static const char *const names[] = {"", "female", "male", "transgender", "other"};
	return gender >= 0 && gender <= 4 ? names[gender] : "";
}

const char *board_describe_case_status(int status)
{
	static const char *const names[] = {"open", "open", "found", "rescued", "reunited", "closed",
					    "cancelled"};
	return status >= 0 && status <= 6 ? names[status] : "open";
}

const char *board_describe_ack_state(int state)
{
	static const char *const names[] = {"received", "received", "acting", "done"};
	return state >= 0 && state <= 3 ? names[state] : "received";
}

const char *board_describe_update(int status)
{
	static const char *const names[] = {"?", "found", "rescued", "reunited", "closed", "cancelled",
					    "reopened"};
	return status >= 0 && status <= 6 ? names[status] : "?";
}

const char *board_describe_priority(int priority)
{
	static const char *const names[] = {"HIGH", "ROUTINE", "ELEVATED", "HIGH", "URGENT", "CRITICAL"};
	return priority >= 0 && priority <= 5 ? names[priority] : "CRITICAL";
}

void board_describe_origin(const raksha_envelope *env, char *out, size_t size)
{
	const Raksha__V1__Origin *o = env->origin;
	size_t n = 0;
	out[0] = '\0';
	if (o == NULL)
		return;
	part(out, size, &n, "", o->unit);
	board_describe_put(out, size, &n, "%s(%s/%s/%s)", n ? " " : "", o->state, o->region, o->agency);
}
