/* The words a person reads, in their language (issue 17).
 *
 * Every user-visible string of the desk and the board is written in English
 * as _("...") where it is shown, or N_("...") in a static table (and passed
 * through _() when shown), so that xgettext finds it and a catalog (po/)
 * gives it in another language. The language is per thread: the desk sets it
 * for each request from the account or the browser's Accept-Language, the
 * board once from the locale. Format strings keep their conversions in the
 * same order in every language. */
#ifndef RAKSHA_COMMON_I18N_H
#define RAKSHA_COMMON_I18N_H

#include <stddef.h>
#include <stdint.h>

/* Returns @msgid in the calling thread's language, or @msgid itself when the
 * language has no translation for it. Never NULL; never to be freed. */
const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));

/* Returns @one or @many, translated, chosen for @n by the language's plural
 * rule (English and Hindi: @one for n == 1). */
const char *i18n_plural(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* Writes @ms (milliseconds since 1970) into @out as a date and time the
 * Indian way, in IST, in the thread's language: "07 Dec 2026, 1:34 pm".
 * Writes "" for @ms <= 0. */
void i18n_date_time(int64_t ms, char *out, size_t size);

#define _(s) i18n_text(s)
#define N_(s) (s)

#endif
