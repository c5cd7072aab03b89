/* The supervisors' statistics (GET /stats, GET /stats.csv): the period
 * chosen, the page and the export. The figures are history/stats.h's,
 * those of raksha-replay stats. */
#ifndef RAKSHA_DESK_STATS_H
#define RAKSHA_DESK_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "desk/desk.h"

/* The longest period a page shows, in days. */
#define DESK_STATS_DAYS_MAX 366
/* The period when none is chosen: the last 30 days, today's included. */
#define DESK_STATS_DAYS_DEFAULT 30

/* The period asked for by ?from=YYYY-MM-DD&to=YYYY-MM-DD, IST dates,
 * both days whole. */
struct desk_stats_period {
	char from[16], to[16];          /* the dates, as the form shows them */
	int64_t from_ms;                /* 00:00 IST of from */
	int64_t to_ms;                  /* 00:00 IST of the day after to, or now if sooner */
	const char *from_error, *to_error;  /* N_() words beside the field; NULL: none */
};

/* The period of @r's query at @now_ms; a date that is none, a period
 * backwards or longer than DESK_STATS_DAYS_MAX gives the default period
 * with the error beside its field. */
void desk_stats_period(const struct desk_request *r, int64_t now_ms, struct desk_stats_period *p);

/* Whether @r's account may see the statistics: a supervisor's. */
bool desk_stats_allowed(const struct desk_request *r);
/* 403 for an account that may not, logged. */
enum MHD_Result desk_stats_refuse(struct desk_request *r);

/* GET /stats and GET /stats.csv (the route checked the session). */
enum MHD_Result desk_page_stats(struct desk_request *r, sqlite3 *db);
enum MHD_Result desk_page_stats_csv(struct desk_request *r, sqlite3 *db);

#endif
