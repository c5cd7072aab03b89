/* The statistics page's drawing and export helpers: the charts' axis and
 * bar lengths (subscriber/desk/desk_stats_svg.c), a chart without data, a
 * group per unit or day, every label escaped in the SVG (a name written as
 * markup is text, in an element and in an attribute); the CSV writer's
 * quoting and its neutralised formulas (desk_csv.c); the words for a span
 * (desk_stats_tables.c); the IST days of the statistics
 * (subscriber/history/stats_sums.c). */
#include <stdlib.h>
#include <string.h>

#include "desk/desk_csv.h"
#include "desk/desk_stats_svg.h"
#include "desk/desk_stats_tables.h"
#include "history/stats.h"
#include "tests/lib/tap.h"

static void count_text(int64_t v, char *out, size_t size)
{
	snprintf(out, size, "%lld", (long long)v);
}

static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static void axis(void)
{
	is_int(desk_svg_axis_max(0), 1, "axis: no value, an axis to 1");
	is_int(desk_svg_axis_max(-5), 1, "  a negative one too");
	is_int(desk_svg_axis_max(1), 1, "  1: 1");
	is_int(desk_svg_axis_max(2), 2, "  2: 2");
	is_int(desk_svg_axis_max(3), 5, "  3: 5");
	is_int(desk_svg_axis_max(6), 10, "  6: 10");
	is_int(desk_svg_axis_max(11), 20, "  11: 20");
	is_int(desk_svg_axis_max(20), 20, "  20: 20 (a value at the end)");
	is_int(desk_svg_axis_max(59999), 100000, "  59 999 ms: 100 000");
	is_int(desk_svg_axis_max(INT64_MAX), 1000000000000000000, "  the largest: 10^18, no overflow");
	is_int(desk_svg_length(-1, 10, 200), 0, "length: none, nothing");
	is_int(desk_svg_length(0, 10, 200), 0, "  0: nothing");
	is_int(desk_svg_length(1, 1000000000, 200), 1, "  a tiny value: still seen (1)");
	is_int(desk_svg_length(5, 10, 200), 100, "  half: half");
	is_int(desk_svg_length(10, 10, 200), 200, "  the axis' end: all of it");
	is_int(desk_svg_length(11, 10, 200), 200, "  beyond it: no further");
	is_int(desk_svg_length(INT64_MAX / 2, INT64_MAX - 1, 230), 115, "  huge values: no overflow");
}

static void charts(void)
{
	struct desk_html h = {0};
	const char *labels[] = {"<script>alert(1)</script>", "x\" onmouseover=\"alert(2)", "mp/bhopal/grp"};
	int64_t p50[] = {1000, -1, 30000}, p90[] = {2000, -1, 60000};
	struct desk_svg_series series[] = {{"median <b>", "s0", p50}, {"p90", "s1", p90}};
	struct desk_svg_chart c = {.id = "chart-ack", .title = "Time <i>", .labels = labels, .n = 3,
				   .series = series, .n_series = 2, .format = count_text};
	desk_svg_bars(&h, &c);
	ok(!h.failed && h.buf != NULL, "bars: drawn");
	const char *svg = h.buf ? h.buf : "";
	is_int(occurrences(svg, "<g class=\"group\""), 3, "  a group per unit");
	is_int(occurrences(svg, "<rect class=\"bar s0\""), 2, "  a bar per value, none for none");
	ok(strstr(svg, "<script>") == NULL && strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	   "  a unit's name written as markup is text in the SVG");
	ok(strstr(svg, "onmouseover=\"") == NULL && strstr(svg, "x&quot; onmouseover=&quot;alert(2)") != NULL,
	   "  a quote cannot leave its data-label attribute");
	ok(strstr(svg, "<b>") == NULL && strstr(svg, "<i>") == NULL, "  nor a series' name or the title");
	ok(strstr(svg, "style=") == NULL, "  no style attribute (CSP)");
	ok(strstr(svg, "width=\"138\"") != NULL && strstr(svg, "width=\"69\"") != NULL,
	   "  60000 and 30000 on an axis to 100000: 138 and 69 of its 230");
	ok(strstr(svg, ">100000</text>") != NULL, "  the axis ending at 100000 for 60000");
	desk_html_free(&h);
	c.n = 0;
	desk_svg_bars(&h, &c);
	ok(h.buf != NULL && strstr(h.buf, "Nothing in this period.") != NULL && strstr(h.buf, "<svg") == NULL,
	   "bars without data: a line saying so, no SVG");
	desk_html_free(&h);
	desk_svg_columns(&h, &c);
	ok(h.buf != NULL && strstr(h.buf, "Nothing in this period.") != NULL && strstr(h.buf, "<svg") == NULL,
	   "columns without data: the same");
	desk_html_free(&h);
}

static void columns(void)
{
	struct desk_html h = {0};
	enum { DAYS = 30 };
	const char *labels[DAYS];
	int64_t opened[DAYS] = {0}, closed[DAYS] = {0};
	for (size_t i = 0; i < DAYS; i++)
		labels[i] = "12-07";
	opened[29] = 3;
	closed[29] = 1;
	struct desk_svg_series series[] = {{"opened", "s0", opened}, {"closed", "s1", closed}};
	struct desk_svg_chart c = {.id = "chart-days", .title = "days", .labels = labels, .n = DAYS,
				   .series = series, .n_series = 2, .format = count_text};
	desk_svg_columns(&h, &c);
	const char *svg = h.buf ? h.buf : "";
	is_int(occurrences(svg, "<g class=\"group\""), DAYS, "columns: a group per day");
	is_int(occurrences(svg, "<rect class=\"bar"), 2, "  columns only where there is something");
	is_int(occurrences(svg, "<text class=\"label\""), 10, "  every third day labelled (30 days)");
	ok(strstr(svg, "y=\"74\" width=\"7\" height=\"96\"") != NULL, "  the 3 opened on an axis to 5: 96 of 160 px, from the base up");
	desk_html_free(&h);
}

/* The CSV of one row of @cells. */
static const char *row(const char *const *cells, size_t n)
{
	static char out[1024];
	struct desk_csv b = {0};
	for (size_t i = 0; i < n; i++)
		desk_csv_cell(&b, cells[i], i == n - 1);
	desk_csv_put(&b, "", 1);
	snprintf(out, sizeof(out), "%s", b.failed ? "(failed)" : b.buf);
	free(b.buf);
	return out;
}

static void csv(void)
{
	const char *plain[] = {"abc", "सीमा कुमारी", NULL, "9"};
	is_str(row(plain, 4), "abc,सीमा कुमारी,,9\r\n", "CSV: plain fields as they are, Devanagari too, NULL empty");
	const char *quoted[] = {"a,b", "say \"hi\"", "two\nlines", "cr\r"};
	is_str(row(quoted, 4), "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n",
	       "  a comma, a quote (doubled), a line break quoted (RFC 4180)");
	const char *formulas[] = {"=HYPERLINK(\"http://x\",\"y\")", "+91 755", "-2+3", "@SUM(A1)", "\tx", "\rx"};
	is_str(row(formulas, 6), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+91 755\",\"'-2+3\",\"'@SUM(A1)\","
	       "\"'\tx\",\"'\rx\"\r\n", "  = + - @ tab CR first: quoted after a ' (text, not a formula)");
	const char *inner[] = {"a=b", "x-1"};
	is_str(row(inner, 2), "a=b,x-1\r\n", "  the same characters further in: as they are");
	ok(!desk_csv_formula("") && desk_csv_formula("=") && !desk_csv_formula(" =1"), "  what starts a formula");
}

static void spans(void)
{
	char out[64];
	desk_stats_span(-1, out, sizeof(out));
	is_str(out, "-", "span: none");
	desk_stats_span(0, out, sizeof(out));
	is_str(out, "0 s", "  0");
	desk_stats_span(59499, out, sizeof(out));
	is_str(out, "59 s", "  59.499 s");
	desk_stats_span(59500, out, sizeof(out));
	is_str(out, "1 min 0 s", "  59.5 s rounds to a minute");
	desk_stats_span(250000, out, sizeof(out));
	is_str(out, "4 min 10 s", "  250 s");
	desk_stats_span(7500000, out, sizeof(out));
	is_str(out, "2 h 5 min", "  7500 s");
}

static void days(void)
{
	struct stats *s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	/* 2026-12-01 00:00 IST is 2026-11-30 18:30 UTC. */
	int64_t dec1 = 1796063400000;
	s->to_ms = dec1 + 3 * STATS_DAY_MS;
	is_int(stats_days_span(s, dec1), 0, "days: 1 to 3 December");
	is_int(s->n_days, 3, "  three of them");
	is_int(s->days[0].start_ms, dec1, "  the first at 00:00 IST");
	char date[16];
	stats_day_date(s->days[2].start_ms, date, sizeof(date));
	is_str(date, "2026-12-03", "  the last 3 December");
	ok(stats_day_of(s, dec1 - 1) == NULL, "  23:59:59.999 IST on 30 November: none of them");
	ok(stats_day_of(s, dec1) == &s->days[0], "  00:00 IST: the first (18:30 UTC the day before)");
	ok(stats_day_of(s, dec1 + STATS_DAY_MS - 1) == &s->days[0], "  23:59:59.999 IST: still the first");
	ok(stats_day_of(s, s->to_ms) == NULL, "  the window's end: outside");
	stats_free(s);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	s->to_ms = dec1 + 20000 * (int64_t)STATS_DAY_MS;
	is_int(stats_days_span(s, dec1), 0, "days: a window of 20 000 days");
	is_int(s->n_days, STATS_MAX_DAYS, "  its last STATS_MAX_DAYS");
	ok(stats_day_of(s, dec1) == NULL, "  the first days left out");
	stats_free(s);
}

int main(void)
{
	axis();
	charts();
	columns();
	csv();
	spans();
	days();
	return tap_done();
}
