/* Which language a person asked for: a browser's Accept-Language (RFC
 * 9110 12.5.4), or a terminal's environment as gettext reads it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/minmax.h"

/* One "tag;q=0.8" of the header at @p: its tag (NUL-ended copy) and its
 * q-value in thousandths (1000 without one, 0 for a bad one). */
static const char *range(const char *p, char *tag, size_t size, int *q)
{
	p += strspn(p, " \t,");
	size_t n = strcspn(p, " \t,;");
	snprintf(tag, size, "%.*s", (int)MIN(n, size - 1), p);
	p += n;
	*q = 1000;
	const char *end = p + strcspn(p, ",");
	const char *qs = strstr(p, "q=");
	if (qs != NULL && qs < end) {
		char *rest;
		double v = strtod(qs + 2, &rest);
		*q = rest != qs + 2 && v >= 0 && v <= 1 ? (int)(v * 1000 + 0.5) : 0;
	}
	return end;
}

const char *i18n_pick_accept(const char *header)
{
	const char *best = "en";
	int best_q = 0;
	if (header == NULL)
		return best;
	for (const char *p = header; *p;) {
		char tag[I18N_TAG_MAX * 2];
		int q;
		p = range(p, tag, sizeof(tag), &q);
		const char *known = tag[0] ? i18n_known(tag) : NULL;
		if (known != NULL && q > best_q) {
			best = known;
			best_q = q;
		}
	}
	return best;
}

static const char *from_locale(const char *value)
{
	if (strcmp(value, "C") == 0 || strncmp(value, "C.", 2) == 0 || strcmp(value, "POSIX") == 0)
		return "en";
	return i18n_known(value);
}

const char *i18n_pick_env(void)
{
	const char *list = getenv("LANGUAGE");
	for (const char *p = list ? list : ""; *p;) {
		char tag[I18N_TAG_MAX * 2];
		size_t n = strcspn(p, ":");
		snprintf(tag, sizeof(tag), "%.*s", (int)MIN(n, sizeof(tag) - 1), p);
		const char *known = tag[0] ? i18n_known(tag) : NULL;
		if (known != NULL)
			return known;
		p += n + (p[n] == ':');
	}
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && *v != '\0') {
			const char *known = from_locale(v);
			return known ? known : "en";
		}
	}
	return "en";
}
