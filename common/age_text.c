#include <stdio.h>

#include "common/age_text.h"
#include "common/i18n.h"

static const struct age_step {
	int64_t below;  /* seconds; the last step takes every age */
	int64_t unit;   /* seconds */
	const char *suffix[2];  /* by enum age_text_form, after the number, translated */
} steps[] = {
	/* TRANSLATORS: the board's narrow AGE column: 45s, 12m, 3h, 2d; the
	 * desk's: 45 s ago... Each follows a number. */
	{60, 1, {N_("s"), N_(" s ago")}},
	{3600, 60, {N_("m"), N_(" min ago")}},
	{2 * 86400, 3600, {N_("h"), N_(" h ago")}},
	{INT64_MAX, 86400, {N_("d"), N_(" days ago")}},
};

void age_text_format(int64_t ms, int64_t now_ms, enum age_text_form form, char *out, size_t size)
{
	int64_t s = (now_ms - ms) / 1000;
	if (s < 0)
		s = 0;  /* another PC's clock ahead of ours */
	const struct age_step *step = steps;
	while (s >= step->below)
		step++;
	snprintf(out, size, "%lld%s", (long long)(s / step->unit), _(step->suffix[form]));
}
