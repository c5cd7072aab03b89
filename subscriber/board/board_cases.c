#define _XOPEN_SOURCE 700  /* board_text.h: see board_curses.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/raksha.h>

#include "board/board_case.h"
#include "board/board_cases.h"
#include "board/board_text.h"

/* More open cases than this at one district is not a list anyone reads;
 * the search and the filters narrow it. */
#define MAX_ROWS 5000

/* Cases whose report has arrived (an ack or update can overtake it), by the
 * status filter, region and agency; most urgent first (cases.priority:
 * higher is more urgent, docs/schema.md), then the one waiting longest. */
static const char LIST_SQL[] =
	"SELECT c.report_id, c.report_seq, c.first_seen_ms, c.priority, c.escalation_level,"
	" c.exercise, c.status, c.child_name, c.station, c.train, c.coach, c.region, c.agency,"
	" (SELECT count(*) FROM acks a WHERE a.report_id = c.report_id),"
	" EXISTS (SELECT 1 FROM acks a WHERE a.report_id = c.report_id AND a.state = ?5"
	"  AND a.region = ?6 AND a.agency = ?7)"
	" FROM cases c WHERE c.child_name IS NOT NULL"
	" AND (?1 = 'all' OR (?1 = 'open' AND c.status = 'open')"
	"  OR (?1 = 'found' AND c.status IN ('found', 'rescued', 'reunited'))"
	"  OR (?1 = 'closed' AND c.status IN ('closed', 'cancelled')))"
	" AND (?2 = '' OR c.region = ?2) AND (?3 = '' OR c.agency = ?3)"
	" ORDER BY c.priority DESC, c.first_seen_ms DESC, c.report_id LIMIT ?4";

const char *board_status_name(enum board_status s)
{
	static const char *const names[] = {"open", "all", "found", "closed"};
	return s < SHOW_COUNT ? names[s] : "open";
}

static const char *text(sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	return s ? s : "";
}

/* Age and gender, and the other names, from the latest revision: the case
 * view does not keep them. */
static void summarise(const Raksha__V1__Child *c, struct board_row *r)
{
	static const char *const g[] = {"", "F", "M", "TG", "O"};
	const char *gender = c->gender > 0 && c->gender < 5 ? g[c->gender] : "";
	if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS)
		snprintf(r->child, sizeof(r->child), "%u %s", c->age_years, gender);
	else if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && c->age_range)
		snprintf(r->child, sizeof(r->child), "%u-%u %s", c->age_range->min_years,
			 c->age_range->max_years, gender);
	else
		snprintf(r->child, sizeof(r->child), "%s", gender);
	size_t len = 1;
	for (size_t i = 0; i < c->n_other_names; i++)
		len += strlen(c->other_names[i]) + 2;
	r->other_names = malloc(len);
	if (r->other_names == NULL)
		return;
	r->other_names[0] = '\0';
	for (size_t i = 0; i < c->n_other_names; i++) {
		if (i > 0)
			strcat(r->other_names, ", ");
		strcat(r->other_names, c->other_names[i]);
	}
}

static void decode_report(sqlite3 *db, struct board_row *r)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT envelope, received_at_ms FROM messages WHERE seq = ?1", -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(q, 1, r->report_seq);
	raksha_envelope *env = NULL;
	if (sqlite3_step(q) == SQLITE_ROW &&
	    board_case_decode(q, 0, &env) == 0 &&
	    raksha_envelope_kind(env) == RAKSHA_KIND_REPORT)
		summarise(env->report->child, r);
	raksha_envelope_free(env);
	sqlite3_finalize(q);
}

/* Takes the decoded parts of the same revision from @old, else decodes. */
static void fill_summary(sqlite3 *db, struct board_list *old, struct board_row *r)
{
	for (size_t i = 0; i < old->n; i++) {
		struct board_row *o = &old->rows[i];
		if (o->report_seq == r->report_seq && o->other_names != NULL &&
		    memcmp(o->report_id, r->report_id, RAKSHA_UUID_LEN) == 0) {
			memcpy(r->child, o->child, sizeof(r->child));
			r->other_names = o->other_names;
			o->other_names = NULL;
			return;
		}
	}
	decode_report(db, r);
}

static void where(const char *station, const char *train, const char *coach, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s%s", station, *station && (*train || *coach) ? " " : "", train,
		 *train && *coach ? " " : "", coach);
}

/* One row; false if out of memory. */
static bool read_row(sqlite3 *db, sqlite3_stmt *q, struct board_list *old, struct board_row *r)
{
	*r = (struct board_row){0};
	if (sqlite3_column_bytes(q, 0) == RAKSHA_UUID_LEN)
		memcpy(r->report_id, sqlite3_column_blob(q, 0), RAKSHA_UUID_LEN);
	r->report_seq = sqlite3_column_int64(q, 1);
	r->first_seen_ms = sqlite3_column_int64(q, 2);
	r->priority = sqlite3_column_int(q, 3);
	r->escalation = sqlite3_column_int(q, 4);
	r->exercise = sqlite3_column_int(q, 5) != 0;
	snprintf(r->status, sizeof(r->status), "%s", text(q, 6));
	r->name = strdup(text(q, 7));
	where(text(q, 8), text(q, 9), text(q, 10), r->where, sizeof(r->where));
	snprintf(r->from, sizeof(r->from), "%s/%s", text(q, 11), text(q, 12));
	r->acks = sqlite3_column_int(q, 13);
	r->own_ack = sqlite3_column_int(q, 14) != 0;
	fill_summary(db, old, r);
	return r->name != NULL;
}

static bool wanted(const struct board_filter *f, const struct board_row *r)
{
	return board_text_contains(r->name, f->search) ||
	       (r->other_names != NULL && board_text_contains(r->other_names, f->search));
}

static void bind(sqlite3_stmt *q, const struct board_filter *f, const char *state, const char *region,
		 const char *agency)
{
	sqlite3_bind_text(q, 1, board_status_name(f->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, f->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, f->agency, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, MAX_ROWS);
	sqlite3_bind_text(q, 5, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, agency, -1, SQLITE_STATIC);
}

static void free_row(struct board_row *r)
{
	free(r->name);
	free(r->other_names);
}

static void free_rows(struct board_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_row(&rows[i]);
	free(rows);
}

/* Room for one more row after the @n in *@rows (@cap allocated). */
static int grow(struct board_row **rows, size_t n, size_t *cap)
{
	if (n < *cap)
		return 0;
	size_t more_cap = *cap ? *cap * 2 : 64;
	struct board_row *more = realloc(*rows, more_cap * sizeof(*more));
	if (more == NULL)
		return -ENOMEM;
	*rows = more;
	*cap = more_cap;
	return 0;
}

int board_cases_load(sqlite3 *db, const struct board_filter *f, const char *state,
		     const char *region, const char *agency, struct board_list *list)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, LIST_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	bind(q, f, state, region, agency);
	struct board_row *rows = NULL;
	size_t n = 0, cap = 0;
	int rc, r;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		r = grow(&rows, n, &cap);
		if (r < 0)
			goto fail;
		if (!read_row(db, q, list, &rows[n])) {
			free_row(&rows[n]);
			r = -ENOMEM;
			goto fail;
		}
		if (wanted(f, &rows[n]))
			n++;
		else
			free_row(&rows[n]);
	}
	if (rc != SQLITE_DONE) {
		r = -EIO;
		goto fail;
	}
	sqlite3_finalize(q);
	board_cases_free(list);
	*list = (struct board_list){rows, n};
	return 0;
fail:
	sqlite3_finalize(q);
	free_rows(rows, n);
	return r;
}

void board_cases_free(struct board_list *list)
{
	free_rows(list->rows, list->n);
	*list = (struct board_list){0};
}

int board_cases_counts(sqlite3 *db, int *open, int *unacked)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM acks a"
				    " WHERE a.report_id = c.report_id)), 0) FROM cases c"
				    " WHERE c.status = 'open' AND c.child_name IS NOT NULL", -1, &q, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*open = sqlite3_column_int(q, 0);
		*unacked = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -EIO;
}

void board_cases_values(sqlite3 *db, const char *column, char *out, size_t size)
{
	char sql[160];
	sqlite3_stmt *q;
	out[0] = '\0';
	snprintf(sql, sizeof(sql), "SELECT DISTINCT %s FROM cases WHERE child_name IS NOT NULL"
		 " AND %s IS NOT NULL ORDER BY 1 LIMIT 32", column, column);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return;
	size_t n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < size) {
		int w = snprintf(out + n, size - n, "%s%s", n ? " " : "", text(q, 0));
		n += w > 0 ? (size_t)w : 0;
	}
	sqlite3_finalize(q);
}
