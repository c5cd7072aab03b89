/* Audit statistics (raksha-replay stats): per unit (state/region/agency),
 * how many reports it made, how fast someone acknowledged them, how fast
 * it acknowledged others', how far its cases escalated; per agent, the
 * share of the window it was online, from presence history. Drills
 * apart from real cases. */
#ifndef RAKSHA_REPLAY_STATS_H
#define RAKSHA_REPLAY_STATS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

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

struct stats {
	int64_t from_ms, to_ms;
	struct unit_stats units[STATS_MAX_UNITS];
	size_t n_units;
	struct agent_stats agents[STATS_MAX_AGENTS];
	size_t n_agents;
	struct sender_stats senders[STATS_SENDERS_LIMIT];
	size_t n_senders;
};

/* The unit named @name, added if new; NULL when the table is full. */
struct unit_stats *stats_unit(struct stats *s, const char *name);

int stats_samples_add(struct samples *s, int64_t v);
/* The @p-th percentile (nearest rank; sorts), or -1 if empty. */
int64_t stats_samples_percentile(struct samples *s, int p);

/* Prints @s as a table, or as JSON (returns 0, or -ENOMEM: nothing printed). */
void stats_print_text(struct stats *s);
int stats_print_json(struct stats *s);

void stats_free(struct stats *s);

/* The rejected input per sender of @db into @s (none before schema 3).
 * Returns 0 or -EIO. */
int stats_rejected_gather(sqlite3 *db, struct stats *s);
void stats_rejected_text(const struct stats *s);
json_t *stats_rejected_json(const struct stats *s);

#endif
