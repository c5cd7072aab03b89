/* raksha-replay stats: the statistics of history/stats.h as a table or as
 * JSON. */
#ifndef RAKSHA_REPLAY_STATS_H
#define RAKSHA_REPLAY_STATS_H

#include <jansson.h>

#include "history/stats.h"

/* Prints @s as a table, or as JSON (returns 0, or -ENOMEM: nothing printed). */
void stats_print_text(struct stats *s);
int stats_print_json(struct stats *s);

/* The rejected input of @s (stats_rejected_print.c). */
void stats_rejected_text(const struct stats *s);
json_t *stats_rejected_json(const struct stats *s);

/* The days of @s (stats_days_print.c). */
void stats_days_text(const struct stats *s);
json_t *stats_days_json(const struct stats *s);

#endif
