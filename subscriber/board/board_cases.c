#define _XOPEN_SOURCE 700  /* strdup() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/raksha.h>

#include "common/i18n.h"
#include "board/board_case.h"
#include "board/board_cases.h"
#include "common/minmax.h"
#include "history/linked_sql.h"
#include "history/sql_like.h"

/* Cases whose report has arrived (an ack or update can overtake it), by the
 * status filter (STATUS_SQL), region and agency, and the search; most urgent
 * first (cases.priority: higher is more urgent, docs/schema.md), then the
 * newest. The status is a condition of its own, not a parameter, so that
 * SQLite walks the index cases_open in the list's order. */
static const char SELECT_SQL[] =
	"SELECT c.report_id, c.report_seq, c.first_seen_ms, c.priority, c.escalation_level,"
	" c.exercise, c.status, c.child_name, c.station, c.train, c.coach, c.region, c.agency,"
	" (SELECT count(*) FROM acks a WHERE a.report_id = c.report_id),"
	" EXISTS (SELECT 1 FROM acks a WHERE a.report_id = c.report_id AND a.state = ?7"
	"  AND a.region = ?8 AND a.agency = ?9), c.kind = 'found',"
	" EXISTS (SELECT 1 FROM links l WHERE l.report_id = c.report_id), ";
/* A found child linked to a report here is shown as that report's case
 * (docs/agent.md, "Links"): not in the list, nor counted, on its own. */
#define SHOWN_SQL "c.child_name IS NOT NULL AND " LINKED_SQL_SHOWN
static const char FROM_SQL[] = " FROM cases c WHERE " SHOWN_SQL " AND ";
/* The count of all the filter lets through, in the list's last column when
 * searching: the search looks at every case, and once is enough. Without
 * one SQLite walks the index in order and stops at LIMIT; counting in the
 * same statement would make it read and sort them all, so COUNT_SQL counts
 * them apart, ten times cheaper. */
static const char TOTAL_SQL[] = "count(*) OVER ()";
static const char NO_TOTAL_SQL[] = "-1";
static const char COUNT_SQL[] = "SELECT count(*)";
static const char *const STATUS_SQL[] = {
	[SHOW_OPEN] = "c.status = 'open'",
	[SHOW_ALL] = "1",
	[SHOW_FOUND] = "c.status IN ('found', 'rescued', 'reunited')",
	[SHOW_CLOSED] = "c.status IN ('closed', 'cancelled')",
};
static const char FILTER_SQL[] = " AND (?1 = '' OR c.region = ?1) AND (?2 = '' OR c.agency = ?2)";
/* ?3: '%text%' with % _ \ escaped; ?4: the same for the id's hex digits,
 * or NULL. */
static const char SEARCH_SQL[] =
	" AND (c.child_name LIKE ?3 ESCAPE '\\' OR c.station LIKE ?3 ESCAPE '\\'"
	"  OR c.train LIKE ?3 ESCAPE '\\' OR c.coach LIKE ?3 ESCAPE '\\'"
	"  OR c.region || '/' || c.agency LIKE ?3 ESCAPE '\\' OR c.unit LIKE ?3 ESCAPE '\\'"
	"  OR hex(c.report_id) LIKE ?4 OR c.other_names LIKE ?3 ESCAPE '\\'"
	"  OR " LINKED_SQL_NAME_LIKE_3 ")";
static const char ORDER_SQL[] =
	" ORDER BY c.priority DESC, c.first_seen_ms DESC, c.report_id LIMIT ?5 OFFSET ?6";
/* The same order from its end: End on 100,000 cases need not walk them all. */
static const char BACKWARDS_SQL[] =
	" ORDER BY c.priority, c.first_seen_ms, c.report_id DESC LIMIT ?5 OFFSET ?6";

enum sql_kind { SQL_COUNT, SQL_LIST, SQL_LIST_BACKWARDS };

/* An id is searched for from 8 hex digits on: fewer would find many. */
#define ID_DIGITS_MIN 8

const char *board_status_name(enum board_status s)
{
	static const char *const names[] = {N_("open"), N_("all"), N_("found"), N_("closed")};
	return _(s < SHOW_COUNT ? names[s] : names[0]);
}

static const char *text(sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	return s ? s : "";
}

/* Age and gender, from the latest revision (or the found child's
 * sighting): the case view does not keep them. */
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
	else if (env != NULL && raksha_envelope_kind(env) == RAKSHA_KIND_SIGHTING && env->sighting->child)
		summarise(env->sighting->child, r);  /* a found child's case */
	r->decoded = true;
	raksha_envelope_free(env);
	sqlite3_finalize(q);
}

/* Takes the decoded parts of the same revision from @old, else decodes. */
static void fill_summary(sqlite3 *db, struct board_list *old, struct board_row *r)
{
	for (size_t i = 0; i < old->n; i++) {
		struct board_row *o = &old->rows[i];
		if (o->report_seq == r->report_seq && o->decoded &&
		    memcmp(o->report_id, r->report_id, RAKSHA_UUID_LEN) == 0) {
			memcpy(r->child, o->child, sizeof(r->child));
			r->decoded = true;
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
	r->found = sqlite3_column_int(q, 15) != 0;
	r->linked = sqlite3_column_int(q, 16) != 0;
	fill_summary(db, old, r);
	return r->name != NULL;
}

/* '%HEX%' in @out if @s is part of an id (hex digits, dashes), else false. */
static bool id_pattern(const char *s, char *out, size_t size)
{
	size_t n = 0, digits = 0;
	out[n++] = '%';
	for (; *s && n + 2 < size; s++) {
		if (*s == '-')
			continue;
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
		out[n++] = *s;
		digits++;
	}
	out[n++] = '%';
	out[n] = '\0';
	return digits >= ID_DIGITS_MIN;
}

/* The SQL of the list (either way) or of its count, for @f. */
static void make_sql(const struct board_filter *f, enum sql_kind kind, char *out, size_t size)
{
	bool select = kind != SQL_COUNT;
	enum board_status s = f->status < SHOW_COUNT ? f->status : SHOW_OPEN;
	const char *total = f->search[0] ? TOTAL_SQL : NO_TOTAL_SQL;
	snprintf(out, size, "%s%s%s%s%s%s", select ? SELECT_SQL : COUNT_SQL, select ? total : "", FROM_SQL,
		 STATUS_SQL[s], FILTER_SQL, f->search[0] ? SEARCH_SQL : "");
	if (select)
		snprintf(out + strlen(out), size - strlen(out), "%s",
			 kind == SQL_LIST ? ORDER_SQL : BACKWARDS_SQL);
}

/* Prepares the list's or the count's statement for @f, its filter bound. */
static int prepare(sqlite3 *db, const struct board_filter *f, enum sql_kind kind, sqlite3_stmt **q)
{
	char sql[2048], like[2 * sizeof(f->search) + 3], id[sizeof(f->search) + 3];
	make_sql(f, kind, sql, sizeof(sql));
	if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(*q, 1, f->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(*q, 2, f->agency, -1, SQLITE_STATIC);
	if (f->search[0] == '\0')
		return 0;
	sql_like_pattern(f->search, like, sizeof(like));
	sqlite3_bind_text(*q, 3, like, -1, SQLITE_TRANSIENT);
	if (id_pattern(f->search, id, sizeof(id)))
		sqlite3_bind_text(*q, 4, id, -1, SQLITE_TRANSIENT);
	return 0;
}

/* How many cases @f lets through, in *@total. */
static int count(sqlite3 *db, const struct board_filter *f, int64_t *total)
{
	sqlite3_stmt *q;
	if (prepare(db, f, SQL_COUNT, &q) < 0)
		return -EIO;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -EIO;
}

static void free_row(struct board_row *r)
{
	free(r->name);
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

/* Reads @q's rows into *@rows (*@n of them, every one with a name), and
 * the count in their last column into *@total. */
static int read_rows(sqlite3 *db, sqlite3_stmt *q, struct board_list *old, struct board_row **rows,
		     size_t *n, int64_t *total)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (grow(rows, *n, &cap) < 0)
			return -ENOMEM;
		bool read = read_row(db, q, old, &(*rows)[*n]);
		if (!read) {
			free_row(&(*rows)[*n]);
			return -ENOMEM;
		}
		(*n)++;
		if (sqlite3_column_int64(q, 17) >= 0)  /* -1 without a search */
			*total = sqlite3_column_int64(q, 17);
	}
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static void reverse(struct board_row *rows, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		struct board_row t = rows[i];
		rows[i] = rows[n - 1 - i];
		rows[n - 1 - i] = t;
	}
}

/* board_cases_load(), counting again only if @recount. */
static int load(sqlite3 *db, const struct board_filter *f, const struct board_unit *me, size_t first,
		size_t count_max, bool recount, struct board_list *list)
{
	/* Past the middle of a list already counted, read from its end. */
	size_t end = MIN(first + count_max, list->total);
	bool backwards = !recount && first > list->total / 2 && end > first;
	sqlite3_stmt *q;
	if (prepare(db, f, backwards ? SQL_LIST_BACKWARDS : SQL_LIST, &q) < 0)
		return -EIO;
	sqlite3_bind_int64(q, 5, (sqlite3_int64)(backwards ? end - first : count_max));
	sqlite3_bind_int64(q, 6, (sqlite3_int64)(backwards ? list->total - end : first));
	sqlite3_bind_text(q, 7, me->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, me->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, me->agency, -1, SQLITE_STATIC);
	struct board_row *rows = NULL;
	size_t n = 0;
	int64_t total = recount ? -1 : (int64_t)list->total;  /* -1 also with no row from @first on */
	int r = read_rows(db, q, list, &rows, &n, &total);
	sqlite3_finalize(q);
	if (r < 0 || (total < 0 && count(db, f, &total) < 0)) {
		free_rows(rows, n);
		return r < 0 ? r : -EIO;
	}
	if (backwards)
		reverse(rows, n);
	board_cases_free(list);
	*list = (struct board_list){rows, n, first, (size_t)total};
	return 0;
}

int board_cases_load(sqlite3 *db, const struct board_filter *f, const struct board_unit *me,
		     size_t first, size_t count_max, struct board_list *list)
{
	return load(db, f, me, first, count_max, true, list);
}

int board_cases_move(sqlite3 *db, const struct board_filter *f, const struct board_unit *me,
		     size_t first, size_t count_max, struct board_list *list)
{
	return load(db, f, me, first, count_max, false, list);
}

void board_cases_free(struct board_list *list)
{
	free_rows(list->rows, list->n);
	*list = (struct board_list){0};
}

const struct board_row *board_cases_at(const struct board_list *list, size_t pos)
{
	if (pos < list->first || pos - list->first >= list->n)
		return NULL;
	return &list->rows[pos - list->first];
}

int board_cases_counts(sqlite3 *db, int *open, int *unacked)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM acks a"
				    " WHERE a.report_id = c.report_id)), 0) FROM cases c"
				    " WHERE c.status = 'open' AND " SHOWN_SQL, -1, &q, NULL);
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
