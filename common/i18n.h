/* The words a person reads, in their language (issue 17).
 *
 * Every user-visible string of the desk and the board is written in English
 * as _("...") where it is shown, or N_("...") in a static table (and passed
 * through _() when shown), so that xgettext finds it and a catalog (po/)
 * gives it in another language. The language is per thread: the desk sets it
 * for each request from the account or the browser's Accept-Language, the
 * board once from the locale. Format strings keep their conversions in the
 * same order in every language.
 *
 * The catalogs are GNU .mo files (msgfmt's, from po/LANG.po) under a locale
 * folder, LANG/LC_MESSAGES/raksha.mo, read by common/i18n_mo.c itself rather
 * than by glibc's gettext: glibc picks a catalog through the process's
 * locale, which is one for the whole process (the desk serves a Hindi and an
 * English officer at once) and exists only if the machine generated
 * hi_IN.UTF-8 (a district PC often has only C.UTF-8). Read once at start,
 * the catalogs are never written again, so threads share them unlocked. */
#ifndef RAKSHA_COMMON_I18N_H
#define RAKSHA_COMMON_I18N_H

#include <stddef.h>
#include <stdint.h>

#define I18N_TAG_MAX 16     /* bytes of a language's tag ("hi", "pt_BR") */
#define I18N_LANGS_MAX 32   /* catalogs read from one locale folder */

/* Returns @msgid in the calling thread's language, or @msgid itself when the
 * language has no translation for it. Never NULL; never to be freed. */
const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));

/* Returns @msgid in language @lang ("hi", "hi-IN": its first subtag counts),
 * whatever the calling thread's language: for a text in two languages at
 * once (the desk's posters). Returns @msgid itself for English, a language
 * with no catalog read, NULL, or a message that catalog lacks. Never NULL;
 * never to be freed. */
const char *i18n_text_in(const char *lang, const char *msgid) __attribute__((format_arg(2)));

/* Returns @one or @many, translated, chosen for @n by the language's plural
 * rule (English and Hindi: @one for n == 1). */
const char *i18n_plural(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* @msgid of context @ctx (a word whose English is ambiguous: "May" the
 * month), in the thread's language; @msgid itself without a translation. */
const char *i18n_context(const char *ctx, const char *msgid) __attribute__((format_arg(2)));

/* Writes @ms (milliseconds since 1970) into @out as a date and time the
 * Indian way, in IST, in the thread's language: "07 Dec 2026, 1:34 pm"
 * (the month's abbreviation and am/pm from the catalog). Writes "" for
 * @ms <= 0. */
void i18n_date_time(int64_t ms, char *out, size_t size);

/* The day only, as i18n_date_time() writes it: "07 Dec 2026" (IST, the
 * thread's language); "" for @ms <= 0. */
void i18n_date(int64_t ms, char *out, size_t size);

/* The time of day only, as i18n_date_time() writes it: "1:34 pm" (IST, the
 * thread's language); "" for @ms <= 0. */
void i18n_time(int64_t ms, char *out, size_t size);

/* Month @month (0 January .. 11) abbreviated, and "am" or "pm" (@pm), as
 * i18n_date_time() writes them in the thread's language: for a script
 * that writes dates the same way (the desk's live.js). */
const char *i18n_month(int month);
const char *i18n_half_day(int pm);

/* Reads every catalog LANG/LC_MESSAGES/raksha.mo under @localedir (at
 * most I18N_LANGS_MAX); call once, before any other thread starts. A
 * catalog refused (common/i18n_mo.h: a damaged or hostile file) is left
 * out and the others are read. Returns the number read, or -EINVAL with
 * @err (@errlen bytes) naming the first file refused and its byte (those
 * read before and after stay), -ENOENT if @localedir is not there. */
int i18n_init(const char *localedir, char *err, size_t errlen);

/* Forgets every catalog (English only again). Only when no other thread
 * uses them. */
void i18n_free(void);

/* The locale folder: $RAKSHA_LOCALEDIR if set (the tests, a build tree),
 * else the one the build installs to (PREFIX/share/locale). */
const char *i18n_localedir(void);

/* Makes @tag ("hi", "hi-IN", "hi_IN.UTF-8": its first subtag counts) the
 * calling thread's language. Returns 0, or -ENOENT for a language with no
 * catalog read (and English, "en", "C", NULL: English, 0 for "en"). */
int i18n_use(const char *tag);

/* The calling thread's language: "en" or a catalog's tag. */
const char *i18n_current(void);

/* The languages there are: "en" first, then each catalog read, in tag
 * order; @i past the end: NULL. */
const char *i18n_language(size_t i);

/* The name of language @tag in itself ("English", "हिन्दी"): its catalog's
 * translation of "English" in the context "language name". */
const char *i18n_language_name(const char *tag);

/* The language there is for @tag ("hi-IN", "hi_IN.UTF-8", "en-GB"), as
 * i18n_language() names it ("hi", "en"); NULL for one there is not. */
const char *i18n_known(const char *tag);

/* The best language for an HTTP Accept-Language @header ("hi-IN,hi;q=0.9,
 * en;q=0.8"): the highest q-value (ties: the first) among the languages
 * there are; "en" when none is, or for NULL. */
const char *i18n_pick_accept(const char *header);

/* The language of the environment, as gettext orders it: the first known
 * one of LANGUAGE's list, else LC_ALL, LC_MESSAGES, LANG (the first set);
 * "en" for C, POSIX, none set or none known. Unlike glibc, LANGUAGE counts
 * even when the locale it names was never generated (see above). */
const char *i18n_pick_env(void);

#define _(s) i18n_text(s)
#define N_(s) (s)
/* A word in a context (i18n_context()), in a static table. */
#define NC_(c, s) (s)

#endif
