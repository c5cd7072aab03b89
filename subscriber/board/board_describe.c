#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
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
		board_describe_put(out, size, &n, _("%scoach %s"), n ? " " : "", p->coach);
	if (p->time_ms > 0) {
		char when[BOARD_WHEN_MAX];
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
	static const char *const names[] = {"", N_("female"), N_("male"), N_("transgender"), N_("other")};
	if (gender <= 0 || gender > 4)
		return "";
	return _(names[gender]);
}

const char *board_describe_case_status(int status)
{
	static const char *const names[] = {N_("open"), N_("open"), N_("found"), N_("rescued"), N_("reunited"),
					    N_("closed"), N_("cancelled")};
	return _(status >= 0 && status <= 6 ? names[status] : names[0]);
}

const char *board_describe_ack_state(int state)
{
	static const char *const names[] = {N_("received"), N_("received"), N_("acting"), N_("done")};
	return _(state >= 0 && state <= 3 ? names[state] : names[0]);
}

const char *board_describe_update(int status)
{
	static const char *const names[] = {"?", N_("found"), N_("rescued"), N_("reunited"), N_("closed"),
					    N_("cancelled"), N_("reopened")};
	if (status <= 0 || status > 6)
		return "?";
	return _(names[status]);
}

const char *board_describe_priority(int priority)
{
	static const char *const names[] = {N_("HIGH"), N_("ROUTINE"), N_("ELEVATED"), N_("HIGH"), N_("URGENT"),
					    N_("CRITICAL")};
	return _(priority >= 0 && priority <= 5 ? names[priority] : names[5]);
}

const char *board_describe_word(const char *word)
{
	static const char *const words[] = {N_("open"), N_("found"), N_("rescued"), N_("reunited"), N_("closed"),
					    N_("cancelled"), N_("reopened"), N_("received"), N_("acting"), N_("done"),
					    N_("report"), N_("sighting"), N_("update"), N_("ack"), N_("link"),
					    N_("escalation"), N_("refused")};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i]) == 0)
			return _(words[i]);
	return word;
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
