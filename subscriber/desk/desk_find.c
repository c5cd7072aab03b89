/* The list's filters, search and pages (desk_find.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk/desk_find.h"
#include "history/linked_sql.h"
#include "history/sql_like.h"

/* As the board's filters (board/board_cases.c): a condition of its own, so
 * that SQLite walks the index cases_open in the list's order. */
static const char *const STATUS_SQL[] = {
	[DESK_FIND_OPEN] = " AND c.status = 'open'",
	[DESK_FIND_FOUND] = " AND c.status IN ('found', 'rescued', 'reunited')",
	[DESK_FIND_CLOSED] = " AND c.status IN ('closed', 'cancelled')",
	[DESK_FIND_ALL] = "",
};
static const char *const STATUS_NAME[] = {"open", "found", "closed", "all"};
/* ?3: '%text%' (sql_like.h), or NULL with no search; ?4: the FIR number
 * as the report's bytes hold it (its field's tag and length first, so
 * that only a whole FIR number matches, not a word of a note). */
static const char FILTER_SQL[] =
	" AND (?1 = '' OR c.region = ?1) AND (?2 = '' OR c.agency = ?2)"
	" AND (?3 IS NULL OR c.child_name LIKE ?3 ESCAPE '\\' OR c.other_names LIKE ?3 ESCAPE '\\'"
	"  OR c.station LIKE ?3 ESCAPE '\\' OR c.train LIKE ?3 ESCAPE '\\' OR instr(m.envelope, ?4) > 0"
	"  OR " LINKED_SQL_NAME_LIKE_3 ")";
/* As the board's list: a found child linked to a report is that report's
 * case, not a card of its own (found by its names through the report,
 * above; its page is still its own). */
static const char SHOWN_SQL[] = " AND " LINKED_SQL_SHOWN;
static const char ORDER_SQL[] =
	" ORDER BY c.priority DESC, c.first_seen_ms DESC, c.report_id LIMIT ?5 OFFSET ?6";
/* The longest STATUS_SQL and "SELECT count(*) FROM ()" fit in the 64. */
#define FIND_SQL_MAX (DESK_DB_CASE_SQL_LEN + sizeof(SHOWN_SQL) + sizeof(FILTER_SQL) + sizeof(ORDER_SQL) + 64)
/* CaseReference.fir_number: field 1, length-delimited. */
#define FIR_TAG 0x0a
/* One byte of length: a FIR number is short. */
#define FIR_MAX 127
/* Page numbers beyond any list: OFFSET stays far from overflowing. */
#define PAGE_MAX 100000

static void arg(const struct desk_request *r, const char *key, char *out, size_t size)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
	if (v == NULL || strlen(v) >= size)
		v = "";
	snprintf(out, size, "%s", v);
}

void desk_find_parse(const struct desk_request *r, struct desk_find *f)
{
	char status[16], page[16];
	*f = (struct desk_find){.status = DESK_FIND_OPEN, .page = 1};
	arg(r, "q", f->q, sizeof(f->q));
	arg(r, "region", f->region, sizeof(f->region));
	arg(r, "agency", f->agency, sizeof(f->agency));
	arg(r, "status", status, sizeof(status));
	arg(r, "page", page, sizeof(page));
	for (int s = 0; s < DESK_FIND_STATUS_COUNT; s++) {
		if (strcmp(status, STATUS_NAME[s]) == 0)
			f->status = (enum desk_find_status)s;
	}
	char *end;
	long n = strtol(page, &end, 10);
	if (*page && *end == '\0' && n >= 1 && n <= PAGE_MAX)
		f->page = (size_t)n;
}

bool desk_find_is_default(const struct desk_find *f)
{
	return f->status == DESK_FIND_OPEN && !*f->q && !*f->region && !*f->agency;
}

static void bind_search(sqlite3_stmt *q, const struct desk_find *f)
{
	char like[2 * DESK_FIND_TEXT_MAX + 3];
	uint8_t fir[FIR_MAX + 2];
	size_t n = strlen(f->q);
	if (n == 0)
		return;  /* ?3 and ?4 stay NULL */
	sql_like_pattern(f->q, like, sizeof(like));
	sqlite3_bind_text(q, 3, like, -1, SQLITE_TRANSIENT);
	if (n > FIR_MAX)
		return;
	fir[0] = FIR_TAG;
	fir[1] = (uint8_t)n;
	memcpy(fir + 2, f->q, n);
	sqlite3_bind_blob(q, 4, fir, (int)n + 2, SQLITE_TRANSIENT);
}

/* The cases of @f; @paged: a page of them, else SELECT count(*) of all. */
static int prepare(sqlite3 *db, const struct desk_find *f, bool paged, sqlite3_stmt **q)
{
	char sql[FIND_SQL_MAX];
	if (paged)
		snprintf(sql, sizeof(sql), "%s%s%s%s%s", desk_db_case_sql, STATUS_SQL[f->status], SHOWN_SQL,
			 FILTER_SQL, ORDER_SQL);
	else
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s%s%s%s)", desk_db_case_sql,
			 STATUS_SQL[f->status], SHOWN_SQL, FILTER_SQL);
	if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(*q, 1, f->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(*q, 2, f->agency, -1, SQLITE_STATIC);
	bind_search(*q, f);
	sqlite3_bind_int64(*q, 5, DESK_FIND_PAGE);
	sqlite3_bind_int64(*q, 6, (sqlite3_int64)((f->page - 1) * DESK_FIND_PAGE));
	return 0;
}

static int count(sqlite3 *db, const struct desk_find *f)
{
	sqlite3_stmt *q;
	if (prepare(db, f, false, &q) < 0)
		return -EIO;
	int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -EIO;
	sqlite3_finalize(q);
	return n;
}

int desk_find_cases(sqlite3 *db, const struct desk_find *f, desk_case_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	if (prepare(db, f, true, &q) < 0)
		return -EIO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		desk_db_each_row(q, fn, ctx);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? count(db, f) : -EIO;
}
