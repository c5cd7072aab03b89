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

/* "45 s ago", "12 min ago", "3 h ago", "2 days ago", in the request's language. */
void desk_page_ago(int64_t ms, int64_t now_ms, char *out, size_t size);

/* Bytes of a date (desk_page_when()) or an age (desk_page_ago()) in any
 * language: Devanagari takes three bytes a letter. */
#define DESK_WHEN_MAX 96

/* "29 Nov 2026, 10:05 am" in IST and the request's language
 * (i18n_date_time()); "" for 0. */
void desk_page_when(int64_t ms, char *out, size_t size);

/* "9", "8-10"; "" when not given. */
void desk_page_age(const Raksha__V1__Child *c, char *out, size_t size);

/* "female", "male", ..., translated; "" when not given. */
const char *desk_page_gender(int gender);
/* The same word in English (its msgid), for a text in another language than
 * the thread's (a poster's); "" as desk_page_gender(). */
const char *desk_page_gender_word(int gender);

/* "critical", "urgent", "high", "elevated", "routine" (0 as high), translated. */
const char *desk_page_priority(int priority);

/* @word, one of the schema's ("open", "acting", "suspect": desk_words.c),
 * in the request's language; another word as it is. Never NULL. */
const char *desk_page_word(const char *word);

/* The account behind the request's session (NULL: none, or deleted). */
const struct desk_user *desk_page_user(const struct desk_request *r);

#endif
