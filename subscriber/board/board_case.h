/* One case in full, for the detail view: its row in the case view, the
 * latest revision of its report, who acknowledged it, and every message
 * about it in time order. */
#ifndef RAKSHA_BOARD_CASE_H
#define RAKSHA_BOARD_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>
#include <sqlite3.h>

struct board_ack {
	char *unit, *from, *state;   /* "GRP Bhopal", "mp/bhopal/grp", "acting" */
	int64_t at_ms;
};

struct board_case {
	uint8_t report_id[RAKSHA_UUID_LEN];
	int64_t report_seq, first_seen_ms, updated_ms;
	int priority, escalation, sightings;
	bool exercise;
	char status[12];
	char status_by[100];         /* "STATE/REGION/AGENCY" whose update set it; "" for the report */
	raksha_envelope *report;     /* the latest revision; NULL if it cannot be read */
	struct board_ack *acks;
	size_t n_acks;
};

/* Reads the case @id. Returns 0, or -ENOENT (no such case, or its report
 * has not arrived), -EIO or -ENOMEM. */
int board_case_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], struct board_case *out);

void board_case_free(struct board_case *c);

/* One message about the case, valid during the callback. */
struct board_event {
	int64_t seq, sent_at_ms, received_at_ms;
	const raksha_envelope *env;   /* NULL if it no longer decodes */
	const char *kind;             /* messages.kind */
	const char *refused;          /* "not-owner: ..." if the agent did not take it; else NULL */
};

typedef void (*board_event_fn)(void *ctx, const struct board_event *e);

/* Calls @fn for every message about case @id, in the order they were sent
 * (then arrived), and for every change of it the agent refused (in the
 * order they arrived). Returns 0 or -EIO. */
int board_case_timeline(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], board_event_fn fn, void *ctx);

/* Decodes the stored envelope in column @col of @q's row, its arrival time
 * (received_at_ms) in the next column (history_decode()). Returns 0 or the
 * errors of raksha_envelope_decode(). */
int board_case_decode(sqlite3_stmt *q, int col, raksha_envelope **out);

#endif
