/* The agent's database as history: the stored messages (or the rejected
 * input) that match a selection, streamed in arrival order. Shared by
 * raksha-replay and the archive agent's remote replay, so that a remote
 * answer is exactly a local one. */
#ifndef RAKSHA_AGENT_HISTORY_H
#define RAKSHA_AGENT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include <raksha/raksha.h>

#define HISTORY_MAX_TOPICS 16

/* What to select. Time bounds are on the arrival time at the agent:
 * since_ms inclusive, until_ms exclusive. */
struct history_filter {
	char *topics[HISTORY_MAX_TOPICS];   /* MQTT filters; none: every topic */
	size_t n_topics;
	int64_t since_ms, until_ms;         /* 0: unbounded */
	unsigned kinds;                     /* bits 1 << enum raksha_kind; 0: all (not read with rejected) */
	bool has_report;
	uint8_t report_id[RAKSHA_UUID_LEN]; /* the whole case */
	bool rejected;                      /* the rejected store instead */
	/* With has_report: the changes of the case the agent refused too
	 * (rejected rows with its id, their kind NULL), where they arrived.
	 * Their seq is the rejected store's: for a reader that does not page
	 * by seq (a local replay that does not follow). Left out on a
	 * database older than schema 4 (history_refused_by_case()). */
	bool with_refused;
	int64_t after_seq;                  /* only what came after (--follow) */
	int64_t limit;                      /* 0: no limit */
};

/* One selected row, valid during the callback. */
struct history_row {
	int64_t seq, received_ms;
	const char *topic;
	const char *kind;              /* "report", ...; rejected: NULL */
	const uint8_t *message_id;     /* 16 bytes; rejected: NULL */
	const void *bytes;
	size_t len;
	const char *cause, *reason;    /* rejected only */
	int64_t size;                  /* rejected only: the payload's whole size */
	bool exercise;                 /* its case is a drill (cases.exercise); rejected: a
	                                * refused change of a drill case (with_refused) */
};

typedef int (*history_fn)(void *ctx, const struct history_row *row);

/* Opens @path for reading only (never creating, never writing), waiting
 * for the agent's writes. The connection is for one thread at a time.
 * Returns 0, or -ENOENT / -EIO with @err set. */
int history_open(const char *path, sqlite3 **out, char *err, size_t errlen);

/* Calls @fn for each selected row in arrival order, streaming (memory does
 * not grow with the history). Returns how many rows, the first non-zero
 * value @fn returned if negative, or -EIO. */
int64_t history_each(sqlite3 *db, const struct history_filter *f, history_fn fn, void *ctx);

/* The query history_each() runs for @f on @db (its parameters ?1 to ?5
 * bound then), into @sql of HISTORY_SQL_MAX: for EXPLAIN QUERY PLAN. */
#define HISTORY_SQL_MAX 1024
void history_sql(sqlite3 *db, const struct history_filter *f, char *sql, size_t size);

/* Largest stored message history_decode() reads: beyond any agent's limit. */
#define HISTORY_SIZE_MAX (64u << 20)

/* Decodes a message the agent stored, received at @received_ms (Unix ms),
 * judged as when it arrived: a clock stepped back since, by more than the
 * day of drift allowed, does not refuse it. @topic may be NULL (the topic
 * rules are then skipped). Returns 0, *@out for raksha_envelope_free(), or
 * the errors of raksha_envelope_decode() (it no longer passes a rule). */
int history_decode(const void *bytes, size_t len, const char *topic, int64_t received_ms,
		   raksha_envelope **out);

/* history_decode() into @arena (raksha_envelope_decode_in()): *@out lives
 * until the next decode into @arena, never for raksha_envelope_free(). */
int history_decode_in(struct raksha_envelope_arena *arena, const void *bytes, size_t len,
		      const char *topic, int64_t received_ms, raksha_envelope **out);

/* Whether @db's rejected store says which case a refused change was for
 * (rejected.report_id, schema 4), so that with_refused can list them. An
 * older agent's file (a district PC not yet upgraded) does not: false,
 * and false if it cannot be read. */
bool history_refused_by_case(sqlite3 *db);

/* Lookups of cases.exercise on one connection, for the thread that uses
 * it: the statement is kept between them (a prepare each would double an
 * ack's cost at ingest). Zero but db; history_drill_close() at the end,
 * before the connection closes. */
struct history_drill {
	sqlite3 *db;
	sqlite3_stmt *q;   /* made at the first lookup */
};

/* Whether the case @env is about is a drill in @d's case view
 * (cases.exercise), for display_drill(): false for a report (its own flag
 * says), for no case, for a case without a row yet, and on an error (a
 * real case is never hidden as a drill). */
bool history_case_drill(struct history_drill *d, const raksha_envelope *env);
void history_drill_close(struct history_drill *d);

/* True if @topic matches one of @f's topic filters (or @f has none). */
bool history_topic_selected(const struct history_filter *f, const char *topic);

/* The kind bit of @name ("report", ...), or 0 if it is none. */
unsigned history_kind_bit(const char *name);

void history_filter_free(struct history_filter *f);

#endif
