/* The statistics page's charts (desk_stats.c), drawn by the desk as SVG in
 * the page: no script, no style attribute (CSP default-src 'self'), only
 * classes that the stylesheet colours (desk_style_stats.c). Every text
 * (a unit's name, a day, a value) goes through desk_html's %s. Lengths are
 * whole units of the viewBox, scaled by the browser to the screen. */
#ifndef RAKSHA_DESK_STATS_SVG_H
#define RAKSHA_DESK_STATS_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "desk/desk_html.h"

/* Writes @v (a series' value) as a person reads it into @out. */
typedef void (*desk_svg_format)(int64_t v, char *out, size_t size);

/* One series of a chart: a value for each group (a unit, a day, a level);
 * a negative one is none (no bar). @name is shown in the legend, @class
 * colours its bars ("s0".."s3": desk_style_stats.c). */
struct desk_svg_series {
	const char *name, *class;
	const int64_t *v;
};

struct desk_svg_chart {
	const char *id, *title;
	const char *const *labels;     /* one a group */
	size_t n;                      /* groups */
	const struct desk_svg_series *series;
	size_t n_series;
	desk_svg_format format;
	int64_t max;                   /* the axis' end if fixed (a share: 1000); 0: from the values */
};

/* The axis' end for values up to @max: the first of 1, 2, 5, 10, 20, 50...
 * at or above it (1 for none or below). */
int64_t desk_svg_axis_max(int64_t max);

/* @v's length on an axis of @px for values up to @axis_max: 0 for none
 * (negative), at least 1 for a value above 0, at most @px. */
int desk_svg_length(int64_t v, int64_t axis_max, int px);

/* The chart as horizontal bars, a group a row (its label above its bars):
 * units and agents. Without groups, a line saying there is nothing. */
void desk_svg_bars(struct desk_html *h, const struct desk_svg_chart *c);

/* The chart as columns along a time axis, a group a day. Without groups,
 * the same line. */
void desk_svg_columns(struct desk_html *h, const struct desk_svg_chart *c);

#endif
