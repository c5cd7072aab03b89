/* The list's filters and search (GET /cases?q=&region=&agency=&status=&page=):
 * read from the request's query, done in SQL as the board does
 * (board/board_cases.c), a page of DESK_FIND_PAGE cases at a time. */
#ifndef RAKSHA_DESK_FIND_H
#define RAKSHA_DESK_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "desk/desk.h"
#include "desk/desk_db.h"

/* More than a phone's officer scrolls through; the next page has the rest. */
#define DESK_FIND_PAGE 200
#define DESK_FIND_TEXT_MAX 128

enum desk_find_status { DESK_FIND_OPEN, DESK_FIND_FOUND, DESK_FIND_CLOSED, DESK_FIND_ALL,
			DESK_FIND_STATUS_COUNT };

struct desk_find {
	char q[DESK_FIND_TEXT_MAX], region[DESK_FIND_TEXT_MAX], agency[DESK_FIND_TEXT_MAX];
	enum desk_find_status status;
	size_t page;   /* from 1 */
};

/* The filter @r's query asks for; what it does not give (or gives too
 * long, or unknown) is the default: open cases, no search, page 1. */
void desk_find_parse(const struct desk_request *r, struct desk_find *f);

/* True if @f is the plain list: open cases, no search, no filter. */
bool desk_find_is_default(const struct desk_find *f);

/* Calls @fn for the cases of @f's page, most urgent first, then the
 * newest. Returns how many cases match in all, or -EIO. The search
 * matches a part of the name, another name, the station, the train or
 * (exactly as typed) the FIR number in the report, or a part of a name of
 * a found child linked to it. A found child linked to a report is not a
 * case of its own here (history/linked_sql.h), as on the board. */
int desk_find_cases(sqlite3 *db, const struct desk_find *f, desk_case_fn fn, void *ctx);

/* The form (GET, so that a search is a link to keep or share), filled
 * with @f. */
void desk_find_form(struct desk_html *h, const struct desk_find *f);

/* "Page 2 of 3" with links to the previous and next pages of @f's list
 * of @total cases; nothing when it fits one page. */
void desk_find_pager(struct desk_html *h, const struct desk_find *f, int total);

#endif
