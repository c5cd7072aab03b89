/* The catalogs read (common/i18n_mo.h) and the language of each thread: a
 * pointer to one of them, _Thread_local, so that the desk's requests and
 * the board each say their own words without a process-wide locale. */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/i18n_mo.h"

#ifndef RAKSHA_LOCALEDIR
#define RAKSHA_LOCALEDIR "/usr/local/share/locale"
#endif

struct catalog {
	char tag[I18N_TAG_MAX];
	struct i18n_mo mo;
};

static struct catalog catalogs[I18N_LANGS_MAX];
static size_t n_catalogs;
static _Thread_local const struct catalog *current;  /* NULL: English */

static const char *lookup(const char *id)
{
	if (current == NULL)
		return NULL;
	const struct i18n_mo_entry *e = i18n_mo_find(&current->mo, id);
	return e ? e->str : NULL;
}

const char *i18n_text(const char *msgid)
{
	const char *s = lookup(msgid);
	return s ? s : msgid;
}

static unsigned plural_form(enum i18n_plural_rule rule, unsigned long n)
{
	if (rule == I18N_PLURAL_NONE)
		return 0;
	if (rule == I18N_PLURAL_ABOVE_ONE)
		return n > 1;
	return n != 1;
}

const char *i18n_plural(const char *one, const char *many, unsigned long n)
{
	const struct i18n_mo_entry *e = current ? i18n_mo_find(&current->mo, one) : NULL;
	const char *s = e ? i18n_mo_form(e, plural_form(current->mo.plural, n)) : NULL;
	if (s != NULL)
		return s;
	return n == 1 ? one : many;
}

const char *i18n_context(const char *ctx, const char *msgid)
{
	char key[256];
	int n = snprintf(key, sizeof(key), "%s\004%s", ctx, msgid);
	if (n < 0 || (size_t)n >= sizeof(key))
		return msgid;
	const char *s = lookup(key);
	return s ? s : msgid;
}

const char *i18n_month(int month)
{
	static const char *const months[] = {
		NC_("month", "Jan"), NC_("month", "Feb"), NC_("month", "Mar"), NC_("month", "Apr"),
		NC_("month", "May"), NC_("month", "Jun"), NC_("month", "Jul"), NC_("month", "Aug"),
		NC_("month", "Sep"), NC_("month", "Oct"), NC_("month", "Nov"), NC_("month", "Dec"),
	};
	if (month < 0 || month > 11)
		return "?";
	return i18n_context("month", months[month]);
}

const char *i18n_half_day(int pm)
{
	return pm ? i18n_context("time", NC_("time", "pm")) : i18n_context("time", NC_("time", "am"));
}

/* @ms's wall clock in IST (UTC+05:30, all year, wherever the PC's clock
 * is set); false for @ms <= 0. */
static bool ist(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000) + 19800;
	return ms > 0 && gmtime_r(&t, tm) != NULL;
}

static void clock_text(const struct tm *tm, char *out, size_t size)
{
	int hour = tm->tm_hour % 12;
	snprintf(out, size, "%d:%02d %s", hour ? hour : 12, tm->tm_min, i18n_half_day(tm->tm_hour >= 12));
}

static void day_text(const struct tm *tm, char *out, size_t size)
{
	snprintf(out, size, "%02d %s %d", tm->tm_mday, i18n_month(tm->tm_mon), tm->tm_year + 1900);
}

void i18n_date_time(int64_t ms, char *out, size_t size)
{
	struct tm tm;
	char day[64], clock[64];
	out[0] = '\0';
	if (!ist(ms, &tm))
		return;
	day_text(&tm, day, sizeof(day));
	clock_text(&tm, clock, sizeof(clock));
	snprintf(out, size, "%s, %s", day, clock);
}

void i18n_date(int64_t ms, char *out, size_t size)
{
	struct tm tm;
	out[0] = '\0';
	if (ist(ms, &tm))
		day_text(&tm, out, size);
}

void i18n_time(int64_t ms, char *out, size_t size)
{
	struct tm tm;
	out[0] = '\0';
	if (ist(ms, &tm))
		clock_text(&tm, out, size);
}

const char *i18n_localedir(void)
{
	const char *d = getenv("RAKSHA_LOCALEDIR");
	return d && *d ? d : RAKSHA_LOCALEDIR;
}

static int by_tag(const void *a, const void *b)
{
	return strcmp(((const struct catalog *)a)->tag, ((const struct catalog *)b)->tag);
}

/* LANG/LC_MESSAGES/raksha.mo under @dir, if @tag names a language. */
static int load_one(const char *dir, const char *tag, char *err, size_t errlen)
{
	char path[4096];
	if (tag[0] == '.' || strlen(tag) >= I18N_TAG_MAX || n_catalogs >= I18N_LANGS_MAX)
		return 0;
	snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/raksha.mo", dir, tag);
	struct catalog *c = &catalogs[n_catalogs];
	int r = i18n_mo_load(&c->mo, path, err, errlen);
	if (r == -ENOENT)
		return 0;  /* another program's locale folder, e.g. /usr/share/locale/de */
	if (r < 0)
		return r;
	snprintf(c->tag, sizeof(c->tag), "%s", tag);
	n_catalogs++;
	return 1;
}

int i18n_init(const char *localedir, char *err, size_t errlen)
{
	char why[512];
	int first_bad = 0;
	DIR *d = opendir(localedir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", localedir, strerror(errno));
		return -ENOENT;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int r = load_one(localedir, e->d_name, why, sizeof(why));
		if (r < 0 && first_bad == 0) {
			first_bad = r;
			snprintf(err, errlen, "%s", why);
		}
	}
	closedir(d);
	qsort(catalogs, n_catalogs, sizeof(catalogs[0]), by_tag);
	return first_bad < 0 ? first_bad : (int)n_catalogs;
}

void i18n_free(void)
{
	for (size_t i = 0; i < n_catalogs; i++)
		i18n_mo_free(&catalogs[i].mo);
	n_catalogs = 0;
	current = NULL;
}

/* The catalog of @tag's first subtag ("hi" of "hi-IN", "hi_IN.UTF-8"). */
static const struct catalog *find(const char *tag)
{
	char lang[I18N_TAG_MAX];
	size_t n = strcspn(tag, "-_.@");
	if (n == 0 || n >= sizeof(lang))
		return NULL;
	for (size_t i = 0; i < n; i++)
		lang[i] = (char)(tag[i] >= 'A' && tag[i] <= 'Z' ? tag[i] - 'A' + 'a' : tag[i]);
	lang[n] = '\0';
	for (size_t i = 0; i < n_catalogs; i++)
		if (strcmp(catalogs[i].tag, lang) == 0)
			return &catalogs[i];
	return NULL;
}

const char *i18n_text_in(const char *lang, const char *msgid)
{
	const struct catalog *c = lang != NULL ? find(lang) : NULL;
	const struct i18n_mo_entry *e = c != NULL ? i18n_mo_find(&c->mo, msgid) : NULL;
	return e ? e->str : msgid;
}

int i18n_use(const char *tag)
{
	current = tag ? find(tag) : NULL;
	if (current != NULL || tag == NULL)
		return 0;
	return i18n_known(tag) ? 0 : -ENOENT;
}

const char *i18n_current(void)
{
	return current ? current->tag : "en";
}

const char *i18n_language(size_t i)
{
	if (i == 0)
		return "en";
	return i <= n_catalogs ? catalogs[i - 1].tag : NULL;
}

const char *i18n_language_name(const char *tag)
{
	const struct catalog *saved = current;
	current = find(tag);
	const char *name = i18n_context("language name", "English");
	current = saved;
	return name;
}

const char *i18n_known(const char *tag)
{
	const struct catalog *c = find(tag);
	if (c != NULL)
		return c->tag;
	return strncmp(tag, "en", 2) == 0 && strcspn(tag, "-_.@;, ") == 2 ? "en" : NULL;
}
