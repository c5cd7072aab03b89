/* The statistics' charts as SVG (desk_stats_svg.h). */
#include "common/i18n.h"
#include "desk/desk_stats_svg.h"

/* Horizontal bars: the viewBox's width, the longest bar (the rest holds
 * its value), the axis' labels, a group's label, a bar and the gap after
 * a group. */
#define BARS_W 340
#define BARS_LEN 230
#define BARS_AXIS 22
#define BARS_LABEL 20
#define BARS_BAR 16
#define BARS_GAP 10
/* Columns: the space of the axis' labels on the left, the plot's height,
 * the days' labels below, a column and the gap after a group. */
#define COLS_LEFT 70
#define COLS_TOP 10
#define COLS_H 160
#define COLS_BELOW 24
#define COLS_BAR 8
#define COLS_GAP 6
/* Days labelled along the axis, at most: every k-th. */
#define COLS_LABELS 12

int64_t desk_svg_axis_max(int64_t max)
{
	int64_t m = 1;
	while (m < max && m <= INT64_MAX / 10) {
		if (2 * m >= max)
			return 2 * m;
		if (5 * m >= max)
			return 5 * m;
		m *= 10;
	}
	return m;
}

int desk_svg_length(int64_t v, int64_t axis_max, int px)
{
	if (v <= 0 || axis_max <= 0)
		return 0;
	if (v >= axis_max)
		return px;
	int len = (int)((double)v * px / (double)axis_max);  /* v * px may not fit an int64_t */
	return len < 1 ? 1 : len;
}

static int64_t axis_of(const struct desk_svg_chart *c)
{
	int64_t max = 0;
	if (c->max > 0)
		return c->max;
	for (size_t s = 0; s < c->n_series; s++)
		for (size_t g = 0; g < c->n; g++)
			if (c->series[s].v[g] > max)
				max = c->series[s].v[g];
	return desk_svg_axis_max(max);
}

static void legend(struct desk_html *h, const struct desk_svg_chart *c)
{
	desk_html_printf(h, "<ul class=\"legend\">");
	for (size_t s = 0; s < c->n_series; s++)
		desk_html_printf(h, "<li><span class=\"key %s\"></span>%s</li>", c->series[s].class,
				 c->series[s].name);
	desk_html_printf(h, "</ul>\n");
}

/* The figure's start, or the line saying there is nothing: false then.
 * Charts keep their size, a phone's width for bars (narrowed to fit a
 * smaller screen); columns (@natural) in a box that scrolls sideways on a
 * phone, so that a month's days stay readable, the latest shown first. */
static bool start(struct desk_html *h, const struct desk_svg_chart *c, int w, int hgt, bool natural)
{
	desk_html_printf(h, "<figure class=\"chart\"><figcaption>%s</figcaption>\n", c->title);
	if (c->n == 0) {
		desk_html_printf(h, "<p class=\"empty\">%s</p></figure>\n", _("Nothing in this period."));
		return false;
	}
	legend(h, c);
	if (natural)
		desk_html_printf(h, "<div class=\"scroll latest\"><svg id=\"%s\" class=\"chart columns\" width=\"%d\" "
				 "height=\"%d\"", c->id, w, hgt);
	else
		desk_html_printf(h, "<svg id=\"%s\" class=\"chart bars\" width=\"%d\" height=\"%d\"", c->id, w, hgt);
	desk_html_printf(h, " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" "
			 "xmlns=\"http://www.w3.org/2000/svg\">\n", w, hgt, c->title);
	return true;
}

/* A bar of series @s in group @g: its title says what and how much. */
static void bar(struct desk_html *h, const struct desk_svg_chart *c, size_t s, size_t g, int xywh[4])
{
	char value[64];
	c->format(c->series[s].v[g], value, sizeof(value));
	desk_html_printf(h, "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
			 "<title>%s, %s: %s</title></rect>\n", c->series[s].class, xywh[0], xywh[1], xywh[2],
			 xywh[3], c->labels[g], c->series[s].name, value);
}

static void bars_axis(struct desk_html *h, const struct desk_svg_chart *c, int64_t axis, int bottom)
{
	char end[64];
	c->format(axis, end, sizeof(end));
	desk_html_printf(h, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"0\" y2=\"%d\"/>"
			 "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			 "<text class=\"tick\" x=\"0\" y=\"14\">0</text>"
			 "<text class=\"tick end\" x=\"%d\" y=\"14\">%s</text>\n", BARS_AXIS - 4, bottom,
			 BARS_LEN, BARS_AXIS - 4, BARS_LEN, bottom, BARS_LEN, end);
}

static void bars_group(struct desk_html *h, const struct desk_svg_chart *c, size_t g, int64_t axis, int y)
{
	desk_html_printf(h, "<g class=\"group\" data-label=\"%s\"><text class=\"label\" x=\"0\" y=\"%d\">%s</text>\n",
			 c->labels[g], y + BARS_LABEL - 5, c->labels[g]);
	y += BARS_LABEL;
	for (size_t s = 0; s < c->n_series; s++, y += BARS_BAR) {
		char value[64];
		int64_t v = c->series[s].v[g];
		int xywh[4] = {0, y, desk_svg_length(v, axis, BARS_LEN), BARS_BAR - 3};
		if (xywh[2] > 0)
			bar(h, c, s, g, xywh);
		c->format(v, value, sizeof(value));
		desk_html_printf(h, "<text class=\"value\" x=\"%d\" y=\"%d\">%s</text>\n", xywh[2] + 6,
				 y + BARS_BAR - 4, value);
	}
	desk_html_printf(h, "</g>\n");
}

void desk_svg_bars(struct desk_html *h, const struct desk_svg_chart *c)
{
	int per = BARS_LABEL + (int)c->n_series * BARS_BAR + BARS_GAP;
	int height = BARS_AXIS + (int)c->n * per;
	if (!start(h, c, BARS_W, height, false))
		return;
	int64_t axis = axis_of(c);
	bars_axis(h, c, axis, height);
	for (size_t g = 0; g < c->n; g++)
		bars_group(h, c, g, axis, BARS_AXIS + (int)g * per);
	desk_html_printf(h, "</svg></figure>\n");
}

static void columns_axis(struct desk_html *h, const struct desk_svg_chart *c, int64_t axis, int width)
{
	char end[64];
	c->format(axis, end, sizeof(end));
	desk_html_printf(h, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			 "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			 "<text class=\"tick end\" x=\"%d\" y=\"%d\">%s</text>"
			 "<text class=\"tick end\" x=\"%d\" y=\"%d\">0</text>\n",
			 COLS_LEFT, COLS_TOP + COLS_H, width, COLS_TOP + COLS_H, COLS_LEFT, COLS_TOP, width,
			 COLS_TOP, COLS_LEFT - 4, COLS_TOP + 12, end, COLS_LEFT - 4, COLS_TOP + COLS_H);
}

static void columns_group(struct desk_html *h, const struct desk_svg_chart *c, size_t g, int64_t axis,
			  size_t every)
{
	int x = COLS_LEFT + COLS_GAP + (int)g * ((int)c->n_series * COLS_BAR + COLS_GAP);
	desk_html_printf(h, "<g class=\"group\" data-label=\"%s\">\n", c->labels[g]);
	for (size_t s = 0; s < c->n_series; s++) {
		int len = desk_svg_length(c->series[s].v[g], axis, COLS_H);
		int xywh[4] = {x + (int)s * COLS_BAR, COLS_TOP + COLS_H - len, COLS_BAR - 1, len};
		if (len > 0)
			bar(h, c, s, g, xywh);
	}
	if (g % every == 0)
		desk_html_printf(h, "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>\n", x,
				 COLS_TOP + COLS_H + COLS_BELOW - 6, c->labels[g]);
	desk_html_printf(h, "</g>\n");
}

void desk_svg_columns(struct desk_html *h, const struct desk_svg_chart *c)
{
	int width = COLS_LEFT + COLS_GAP + (int)c->n * ((int)c->n_series * COLS_BAR + COLS_GAP);
	size_t every = c->n / COLS_LABELS + 1;
	if (!start(h, c, width, COLS_TOP + COLS_H + COLS_BELOW, true))
		return;
	int64_t axis = axis_of(c);
	columns_axis(h, c, axis, width);
	for (size_t g = 0; g < c->n; g++)
		columns_group(h, c, g, axis, every);
	desk_html_printf(h, "</svg></div></figure>\n");
}
