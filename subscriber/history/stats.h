/* Audit statistics of an agent's database over a window, computed once for
 * raksha-replay stats and the desk's /stats page (so that both say the
 * same): per unit (state/region/agency), how many reports it made, how fast
 * someone acknowledged them, how fast it acknowledged others', how far its
 * cases escalated; per IST day, the cases opened and closed; per agent and
 * per unit (its agents together), the share of the window online, from
 * presence history. Drills apart
 * from real cases. Times are arrivals at the agent. */
#ifndef RAKSHA_HISTORY_STATS_H
#define RAKSHA_HISTORY_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "history/history.h"

#define STATS_MAX_UNITS 512
#define STATS_MAX_AGENTS 512

/* A growing list of milliseconds, for the percentiles. */
struct samples {
	int64_t *v;
	size_t n, cap;
};

/* A unit's cases of one kind: real, or drills. */
struct case_stats {
	int64_t reports, open, unacked;
	struct samples first_ack;      /* its reports: arrival to anyone's first ack */
	int64_t acks_given;
	struct samples gave_ack;       /* others' reports: arrival to its own first ack */
	int64_t escalated[3];          /* cases that reached level >= 1, >= 2, >= 3 */
};

/* Drills (Report.exercise) are counted apart, so that an exercise neither
 * flatters nor spoils a unit's real figures. */
struct unit_stats {
	char name[100];                /* state/region/agency */
	struct case_stats real, drill;
};

struct agent_stats {
	char id[80], unit[100];
	int64_t online_ms, known_ms;    /* within the window, since its first status */
	int online;                     /* the last state seen: 1, 0 */
	int64_t since_ms;               /* of that state */
};

/* A unit's agents together: their time online over their time known. */
struct unit_online {
	char unit[100];
	int64_t online_ms, known_ms;
};

/* A sender's rejected input (stats_rejected.c). */
struct sender_stats {
	char sender[100];
	int64_t rows, bytes;                          /* kept, and what they cost */
	int64_t dropped, dropped_bytes, dropped_clock;  /* not kept: over a bound */
	int64_t first_ms, last_ms, first_size;
	char first_topic[300], first_cause[32], first_reason[256];
	uint8_t first_bytes[256];
	size_t first_len;
};

/* The senders shown, those with most not kept first. */
#define STATS_SENDERS_LIMIT 64

/* Days are India's (IST, UTC+05:30, no summer time): the desk's dates. */
#define STATS_DAY_MS 86400000
#define STATS_IST_MS 19800000
/* The longest series of days (ten years); a longer window's first days
 * are left out of it. */
#define STATS_MAX_DAYS 3660

struct day_counts {
	int64_t opened, closed;
};

/* One IST day: the cases whose first report arrived in it, and those that
 * ended in it (closed, cancelled or reunited: the arrival of the update
 * that ended them), real and drills apart. */
struct stats_day {
	int64_t start_ms;              /* 00:00 IST */
	struct day_counts real, drill;
};

struct stats {
	int64_t from_ms, to_ms;
	struct unit_stats units[STATS_MAX_UNITS];
	size_t n_units;
	struct agent_stats agents[STATS_MAX_AGENTS];
	size_t n_agents;
	struct unit_online units_online[STATS_MAX_AGENTS];  /* by unit's name */
	size_t n_units_online;
	struct sender_stats senders[STATS_SENDERS_LIMIT];
	size_t n_senders;
	struct stats_day *days;        /* every day of the window, in order */
	size_t n_days;
};

/* One case the window counts: a report whose first version arrived in it
 * (and whose topic the filter selects), as stats_cases_each() reads it. */
struct stats_case {
	const uint8_t *report_id;      /* RAKSHA_UUID_LEN bytes, or NULL */
	const char *unit;              /* state/region/agency of its owner */
	const char *status;            /* "open", "closed", ... (cases.status) */
	const char *topic;             /* of its first report */
	int level;                     /* escalation level reached */
	bool drill;
	int64_t report_seq;            /* messages.seq of its latest revision */
	int64_t opened_ms;             /* arrival of its first report */
	int64_t first_ack_ms;          /* arrival of anyone's first ack; 0: none */
	int64_t ended_ms;              /* when it ended (above); 0: it has not */
};

typedef int (*stats_case_fn)(void *ctx, const struct stats_case *c);

/* Calls @fn for each case of @f's topics whose first report arrived from
 * @from_ms (inclusive) to @to_ms (exclusive), in the order of that arrival; a non-zero
 * return of @fn stops it and is returned. Returns 0, or -EIO. */
int stats_cases_each(sqlite3 *db, const struct history_filter *f, int64_t from_ms, int64_t to_ms,
		     stats_case_fn fn, void *ctx);

/* Sums up the cases, days and presence of @f's topics in @db over
 * s->from_ms (0: the beginning) to s->to_ms into @s, with the rejected
 * input (stats_rejected_gather()). Returns 0, -EIO or -ENOMEM. */
int stats_gather(sqlite3 *db, const struct history_filter *f, struct stats *s);

/* The days of @s from @first_ms's to the one before s->to_ms (at most
 * STATS_MAX_DAYS, the last ones), zeroed. Returns 0 or -ENOMEM. */
int stats_days_span(struct stats *s, int64_t first_ms);
/* The day of @s that @ms falls in, or NULL outside the span. */
struct stats_day *stats_day_of(struct stats *s, int64_t ms);
/* "2026-12-07": the IST date of @ms. */
void stats_day_date(int64_t ms, char *out, size_t size);

/* The unit named @name, added if new; NULL when the table is full. */
struct unit_stats *stats_unit(struct stats *s, const char *name);

int stats_samples_add(struct samples *s, int64_t v);
/* The @p-th percentile (nearest rank; sorts), or -1 if empty. */
int64_t stats_samples_percentile(struct samples *s, int p);

/* Sorts the units by name; the units' online shares by unit. */
void stats_sort_units(struct stats *s);
void stats_sort_online(struct stats *s);

void stats_free(struct stats *s);

/* The rejected input per sender of @db into @s (none before schema 3).
 * Returns 0 or -EIO. */
int stats_rejected_gather(sqlite3 *db, struct stats *s);
#endif
