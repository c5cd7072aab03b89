#include <stdio.h>

#include "common/age_text.h"

static const struct age_step {
	int64_t below;  /* seconds; the last step takes every age */
	int64_t unit;   /* seconds */
	const char *suffix[2];  /* by enum age_text_form */
} steps[] = {
	{60, 1, {"s", " s ago"}},
	{3600, 60, {"m", " min ago"}},
	{2 * 86400, 3600, {"h", " h ago"}},
	{INT64_MAX, 86400, {"d", " days ago"}},
};

void age_text_format(int64_t ms, int64_t now_ms, enum age_text_form form, char *out, size_t size)
{
	int64_t s = (now_ms - ms) / 1000;
	if (s < 0)
		s = 0;  /* another PC's clock ahead of ours */
	const struct age_step *step = steps;
	while (s >= step->below)
		step++;
	snprintf(out, size, "%lld%s", (long long)(s / step->unit), step->suffix[form]);
}
