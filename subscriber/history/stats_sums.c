/* The statistics' containers: the units, the samples and their
 * percentiles, the days. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history/stats.h"

struct unit_stats *stats_unit(struct stats *s, const char *name)
{
	for (size_t i = 0; i < s->n_units; i++)
		if (strcmp(s->units[i].name, name) == 0)
			return &s->units[i];
	if (s->n_units == STATS_MAX_UNITS)
		return NULL;
	struct unit_stats *u = &s->units[s->n_units++];
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	return u;
}

int stats_samples_add(struct samples *s, int64_t v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int64_t *grown = realloc(s->v, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		s->v = grown;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int64_t stats_samples_percentile(struct samples *s, int p)
{
	if (s->n == 0)
		return -1;
	qsort(s->v, s->n, sizeof(*s->v), by_value);
	size_t rank = (s->n * (size_t)p + 99) / 100;  /* nearest rank */
	return s->v[rank > 0 ? rank - 1 : 0];
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct unit_stats *)a)->name, ((const struct unit_stats *)b)->name);
}

void stats_sort_units(struct stats *s)
{
	qsort(s->units, s->n_units, sizeof(s->units[0]), by_name);
}

static int by_unit(const void *a, const void *b)
{
	return strcmp(((const struct unit_online *)a)->unit, ((const struct unit_online *)b)->unit);
}

void stats_sort_online(struct stats *s)
{
	qsort(s->units_online, s->n_units_online, sizeof(s->units_online[0]), by_unit);
}

/* The IST day's number of @ms (days since 1970-01-01 IST). */
static int64_t day_number(int64_t ms)
{
	int64_t t = ms + STATS_IST_MS;
	return t >= 0 ? t / STATS_DAY_MS : -((-t + STATS_DAY_MS - 1) / STATS_DAY_MS);
}

int stats_days_span(struct stats *s, int64_t first_ms)
{
	int64_t first = day_number(first_ms), last = day_number(s->to_ms - 1);
	if (last < first)
		return 0;
	if (last - first >= STATS_MAX_DAYS)
		first = last - STATS_MAX_DAYS + 1;
	size_t n = (size_t)(last - first + 1);
	s->days = calloc(n, sizeof(*s->days));
	if (s->days == NULL)
		return -ENOMEM;
	s->n_days = n;
	for (size_t i = 0; i < n; i++)
		s->days[i].start_ms = (first + (int64_t)i) * STATS_DAY_MS - STATS_IST_MS;
	return 0;
}

struct stats_day *stats_day_of(struct stats *s, int64_t ms)
{
	if (s->n_days == 0)
		return NULL;
	int64_t i = day_number(ms) - day_number(s->days[0].start_ms);
	if (i < 0 || (size_t)i >= s->n_days)
		return NULL;
	return &s->days[i];
}

void stats_day_date(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)((ms + STATS_IST_MS) / 1000);
	struct tm tm;
	out[0] = '\0';
	if (gmtime_r(&t, &tm) != NULL)
		strftime(out, size, "%Y-%m-%d", &tm);
}

void stats_free(struct stats *s)
{
	for (size_t i = 0; i < s->n_units; i++) {
		free(s->units[i].real.first_ack.v);
		free(s->units[i].real.gave_ack.v);
		free(s->units[i].drill.first_ack.v);
		free(s->units[i].drill.gave_ack.v);
	}
	free(s->days);
	free(s);
}
