/* A poster's words in two languages at once (desk_poster.c): the reporting
 * state's and English, side by side, whatever language the officer who
 * prints it reads the desk in. Each label is written N_("English") in the
 * poster's table (xgettext finds it; its Hindi is the desk catalog's) and
 * shown through desk_poster_text(). */
#ifndef RAKSHA_DESK_POSTER_WORDS_H
#define RAKSHA_DESK_POSTER_WORDS_H

#include "desk/desk_html.h"

/* The language besides English of the posters of state @state (an
 * Origin.state, ISO 3166-2:IN without "IN-": "mp"), as an ISO 639-1 code:
 * "hi" for mp, "mr" for mh, "bn" for wb, ...; "en" for a state not in the
 * table, or NULL (the poster is then English alone). */
const char *desk_poster_language(const char *state);

/* @msgid (English) in language @lang ("en": @msgid itself), or @msgid
 * when that language has no catalog or no translation for it. Never NULL.
 * The one place that asks for a language other than the thread's (the
 * officer's): common/i18n.h's i18n_text_in(). */
const char *desk_poster_text(const char *lang, const char *msgid) __attribute__((format_arg(2)));

/* Writes @msgid as a poster's label: in @lang then English, each in a span
 * with its lang (the browser picks the script's font), separated by " / "
 * when they differ; English alone when they are the same (no translation
 * yet, or @lang is "en"). */
void desk_poster_label(struct desk_html *h, const char *lang, const char *msgid);

/* desk_poster_label() of a text made from a label (a height: "121 सेमी"
 * and "121 cm"): @local in @lang, then @english, or @english alone when
 * they are the same. */
void desk_poster_pair(struct desk_html *h, const char *lang, const char *local, const char *english);

#endif
