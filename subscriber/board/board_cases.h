/* The list of cases: which, in what order, and what each row shows. */
#ifndef RAKSHA_BOARD_CASES_H
#define RAKSHA_BOARD_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/uuid.h>
#include <sqlite3.h>

enum board_status { SHOW_OPEN, SHOW_ALL, SHOW_FOUND, SHOW_CLOSED, SHOW_COUNT };

struct board_filter {
	enum board_status status;
	char search[128];   /* in the child's name or other names; "" for all */
	char region[33];    /* the reporting unit's region; "" for all */
	char agency[33];
};

struct board_row {
	uint8_t report_id[RAKSHA_UUID_LEN];
	int64_t report_seq, first_seen_ms;
	int priority, acks, escalation;
	bool own_ack, exercise;
	char status[12];
	char *name;
	char *other_names;   /* from the report, for the search; "" if none */
	char child[16];      /* age and gender: "9 F", "8-10 M" */
	char where[64];      /* last seen: "BPL 12627 S4" */
	char from[72];       /* the reporting unit: "vidisha/childline" */
};

struct board_list {
	struct board_row *rows;
	size_t n;
};

/* "open", "all", "found", "closed". */
const char *board_status_name(enum board_status s);

/* Reads the cases @f lets through, most urgent first, then the longest
 * waiting first, into @list, replacing what it held. Whether a case is
 * acknowledged by this unit is judged against @state/@region/@agency.
 * What comes from decoding a report is reused from the old rows when the
 * report is the same. Returns 0, -EIO or -ENOMEM (then @list is unchanged). */
int board_cases_load(sqlite3 *db, const struct board_filter *f, const char *state,
		     const char *region, const char *agency, struct board_list *list);

void board_cases_free(struct board_list *list);

/* Open cases, and those of them nobody has acknowledged, whatever the
 * filter. Returns 0 or -EIO. */
int board_cases_counts(sqlite3 *db, int *open, int *unacked);

/* The distinct values of @column ("region" or "agency") among the cases,
 * as "a b c" in @out, for the filter prompts. */
void board_cases_values(sqlite3 *db, const char *column, char *out, size_t size);

#endif
