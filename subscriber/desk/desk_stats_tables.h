/* The statistics page's sections (desk_stats_tables.c), each a chart and
 * its numbers as a table: the table is what a screen reader reads, and
 * each of its cells says its figure in data-k (the key of raksha-replay
 * stats --format json) and data-v (the number, "" for none), for the
 * tests that compare them. */
#ifndef RAKSHA_DESK_STATS_TABLES_H
#define RAKSHA_DESK_STATS_TABLES_H

#include "desk/desk_html.h"
#include "history/stats.h"

/* Time to first acknowledgement per unit, real cases and drills apart. */
void desk_stats_acks(struct desk_html *h, struct stats *s);
/* Cases opened and closed per day. */
void desk_stats_days(struct desk_html *h, const struct stats *s);
/* The cases that escalated, by level. */
void desk_stats_escalations(struct desk_html *h, const struct stats *s);
/* Each agent's share of the period online. */
void desk_stats_online(struct desk_html *h, const struct stats *s);

/* "52 s", "4 min 10 s", "2 h 5 min"; "-" for none (negative). */
void desk_stats_span(int64_t ms, char *out, size_t size);

#endif
