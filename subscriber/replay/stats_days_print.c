/* raksha-replay stats: the cases opened and closed per IST day, real and
 * drills apart; the table shows the days with something, the JSON every
 * day of the window. */
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "replay/stats.h"

static bool empty(const struct stats_day *d)
{
	return d->real.opened == 0 && d->real.closed == 0 && d->drill.opened == 0 && d->drill.closed == 0;
}

void stats_days_text(const struct stats *s)
{
	bool any = false;
	for (size_t i = 0; i < s->n_days; i++)
		any |= !empty(&s->days[i]);
	if (!any)
		return;
	printf("\nDAYS (IST; CLOSED: closed, cancelled or reunited)\n");
	printf("%-10s %7s %7s %13s %13s\n", "DAY", "OPENED", "CLOSED", "DRILL OPENED", "DRILL CLOSED");
	for (size_t i = 0; i < s->n_days; i++) {
		const struct stats_day *d = &s->days[i];
		char date[16];
		if (empty(d))
			continue;
		stats_day_date(d->start_ms, date, sizeof(date));
		printf("%-10s %7lld %7lld %13lld %13lld\n", date, (long long)d->real.opened,
		       (long long)d->real.closed, (long long)d->drill.opened, (long long)d->drill.closed);
	}
}

static json_t *counts(const struct day_counts *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "opened", json_integer(c->opened));
	json_object_set_new(o, "closed", json_integer(c->closed));
	return o;
}

json_t *stats_days_json(const struct stats *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_days; i++) {
		const struct stats_day *d = &s->days[i];
		char date[16];
		stats_day_date(d->start_ms, date, sizeof(date));
		json_t *o = json_object();
		json_object_set_new(o, "date", json_string(date));
		json_object_set_new(o, "start_ms", json_integer(d->start_ms));
		json_object_set_new(o, "opened", json_integer(d->real.opened));
		json_object_set_new(o, "closed", json_integer(d->real.closed));
		json_object_set_new(o, "drills", counts(&d->drill));
		json_array_append_new(a, o);
	}
	return a;
}
