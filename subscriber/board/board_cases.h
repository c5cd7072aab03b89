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
	char search[128];   /* in the names, last seen, origin or id (board_cases_load()); "" for all */
	char region[33];    /* the reporting unit's region; "" for all */
	char agency[33];
};

struct board_row {
	uint8_t report_id[RAKSHA_UUID_LEN];
	int64_t report_seq, first_seen_ms;
	int priority, acks, escalation;
	bool own_ack, exercise, decoded;
	char status[12];
	char *name;
	char child[16];      /* age and gender: "9 F", "8-10 M" */
	char where[64];      /* last seen: "BPL 12627 S4" */
	char from[72];       /* the reporting unit: "vidisha/childline" */
};

/* A window on the list: the cases at positions @first to @first + @n - 1 of
 * the @total the filter lets through. The rest stay in the database. */
struct board_list {
	struct board_row *rows;
	size_t n, first, total;
};

/* Who this board speaks for: its acks are marked with a "*". */
struct board_unit {
	const char *state, *region, *agency;
};

/* "open", "all", "found", "closed". */
const char *board_status_name(enum board_status s);

/* Reads @count of the cases @f lets through, from position @first of their
 * order (most urgent first, then the newest first), into @list, replacing
 * what it held, and counts them all. The status, region, agency and search
 * are asked of SQLite, so that no case is left out however many there are.
 * The search finds its text (ASCII letters in either case) in the child's
 * name or other names (board_other_names(), board_names.h), the station,
 * train or coach, the reporting region/agency or unit, or, written with or
 * without its dashes, in the case id. Whether a case is acknowledged by
 * this unit is judged against @me. What comes from decoding a report is
 * reused from the old rows when the report is the same. Returns 0, -EIO or
 * -ENOMEM (then @list is unchanged). */
int board_cases_load(sqlite3 *db, const struct board_filter *f, const struct board_unit *me,
		     size_t first, size_t count, struct board_list *list);

/* As board_cases_load(), for the same filter over the same data (nothing
 * committed since): only the window moves, the count is @list's. */
int board_cases_move(sqlite3 *db, const struct board_filter *f, const struct board_unit *me,
		     size_t first, size_t count, struct board_list *list);

void board_cases_free(struct board_list *list);

/* The row at position @pos of the whole list, or NULL if @list's window
 * does not hold it. */
const struct board_row *board_cases_at(const struct board_list *list, size_t pos);

/* Open cases, and those of them nobody has acknowledged, whatever the
 * filter. Returns 0 or -EIO. */
int board_cases_counts(sqlite3 *db, int *open, int *unacked);

/* The distinct values of @column ("region" or "agency") among the cases,
 * as "a b c" in @out, for the filter prompts. */
void board_cases_values(sqlite3 *db, const char *column, char *out, size_t size);

#endif
