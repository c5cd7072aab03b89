/* How long ago (common/age_text.c), in the board's short form and the
 * desk's long one: each step's last value and the first of the next, and a
 * time ahead of the clock. */
#include <string.h>

#include "common/age_text.h"
#include "tests/lib/tap.h"

#define NOW INT64_C(1795926900000)

static const struct {
	int64_t ago_ms;
	const char *short_text;
	const char *long_text;
} cases[] = {
	{-5000, "0s", "0 s ago"},  /* another PC's clock 5 s ahead */
	{0, "0s", "0 s ago"},
	{999, "0s", "0 s ago"},
	{59999, "59s", "59 s ago"},
	{60000, "1m", "1 min ago"},
	{3599999, "59m", "59 min ago"},
	{3600000, "1h", "1 h ago"},
	{48 * INT64_C(3600000) - 1, "47h", "47 h ago"},
	{48 * INT64_C(3600000), "2d", "2 days ago"},
	{10 * INT64_C(86400000) + 5, "10d", "10 days ago"},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		age_text_format(NOW - cases[i].ago_ms, NOW, AGE_TEXT_SHORT, out, sizeof(out));
		is_str(out, cases[i].short_text, "%lld ms ago, short", (long long)cases[i].ago_ms);
		age_text_format(NOW - cases[i].ago_ms, NOW, AGE_TEXT_LONG, out, sizeof(out));
		is_str(out, cases[i].long_text, "%lld ms ago, long", (long long)cases[i].ago_ms);
	}
	char small[4];
	age_text_format(NOW - 3600000, NOW, AGE_TEXT_LONG, small, sizeof(small));
	is_str(small, "1 h", "cut to the buffer, ended");
	return tap_done();
}
