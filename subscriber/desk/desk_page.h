/* What every page of the desk has: the head (the desk's own stylesheet,
 * nothing from elsewhere), the bar with the officer's name and the logout
 * button, and words for the schema's numbers. */
#ifndef RAKSHA_DESK_PAGE_H
#define RAKSHA_DESK_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "desk/desk.h"

/* The document's start up to its <main>; with a session, the bar names
 * the officer and holds the logout form (POST, CSRF token). */
void desk_page_start(struct desk_html *h, const struct desk_request *r, const char *title);

/* </main> and the document's end. */
void desk_page_end(struct desk_html *h);

/* "45 s ago", "12 min ago", "3 h ago", "2 days ago". */
void desk_page_ago(int64_t ms, int64_t now_ms, char *out, size_t size);

/* "29 Nov 10:05", local time; "" for 0. */
void desk_page_when(int64_t ms, char *out, size_t size);

/* "9", "8-10"; "" when not given. */
void desk_page_age(const Raksha__V1__Child *c, char *out, size_t size);

/* "female", "male", ...; "" when not given. */
const char *desk_page_gender(int gender);

/* "critical", "urgent", "high", "elevated", "routine" (0 as high). */
const char *desk_page_priority(int priority);

/* The account behind the request's session (NULL: none, or deleted). */
const struct desk_user *desk_page_user(const struct desk_request *r);

#endif
