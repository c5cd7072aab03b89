/* The statistics page's sections (desk_stats_tables.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_stats_svg.h"
#include "desk/desk_stats_tables.h"

/* A share as per mille on the chart's axis. */
#define SHARE_AXIS 1000

void desk_stats_span(int64_t ms, char *out, size_t size)
{
	long long s = (long long)((ms + 500) / 1000);
	if (ms < 0)
		snprintf(out, size, "-");
	else if (s < 60)
		snprintf(out, size, _("%lld s"), s);
	else if (s < 3600)
		snprintf(out, size, _("%lld min %lld s"), s / 60, s % 60);
	else
		snprintf(out, size, _("%lld h %lld min"), s / 3600, s % 3600 / 60);
}

static void count_text(int64_t v, char *out, size_t size)
{
	snprintf(out, size, "%lld", (long long)v);
}

static void share_text(int64_t per_mille, char *out, size_t size)
{
	snprintf(out, size, _("%lld.%lld %%"), (long long)per_mille / 10, (long long)per_mille % 10);
}

static void cell_count(struct desk_html *h, const char *key, int64_t v)
{
	desk_html_printf(h, "<td data-k=\"%s\" data-v=\"%lld\">%lld</td>", key, (long long)v, (long long)v);
}

static void cell_span(struct desk_html *h, const char *key, int64_t ms)
{
	char text[64], v[32] = "";
	desk_stats_span(ms, text, sizeof(text));
	if (ms >= 0)
		snprintf(v, sizeof(v), "%lld", (long long)ms);
	desk_html_printf(h, "<td data-k=\"%s\" data-v=\"%s\">%s</td>", key, v, text);
}

static bool active(const struct case_stats *k)
{
	return k->reports > 0 || k->acks_given > 0;
}

static void ack_row(struct desk_html *h, const char *unit, struct case_stats *k, const char *kind)
{
	desk_html_printf(h, "<tr data-unit=\"%s\" data-kind=\"%s\"><th scope=\"row\">%s</th>", unit, kind, unit);
	cell_count(h, "reports", k->reports);
	cell_count(h, "open", k->open);
	cell_count(h, "unacknowledged", k->unacked);
	cell_span(h, "first_ack.median_ms", stats_samples_percentile(&k->first_ack, 50));
	cell_span(h, "first_ack.p90_ms", stats_samples_percentile(&k->first_ack, 90));
	cell_count(h, "first_ack.count", (int64_t)k->first_ack.n);
	cell_count(h, "acks_given", k->acks_given);
	cell_span(h, "ack_given.median_ms", stats_samples_percentile(&k->gave_ack, 50));
	cell_span(h, "ack_given.p90_ms", stats_samples_percentile(&k->gave_ack, 90));
	desk_html_printf(h, "</tr>\n");
}

/* The table of real cases, or (@drill) of drills, of the units with any. */
static void ack_table(struct desk_html *h, struct stats *s, bool drill)
{
	desk_html_printf(h, "<div class=\"scroll\"><table class=\"stats\" id=\"%s\"><caption>%s</caption>\n"
			 "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			 "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
			 drill ? "t-ack-drills" : "t-ack",
			 drill ? _("Drills (exercises), counted apart from the cases above") : _("Cases"),
			 _("Unit"), _("Reports"), _("Open"), _("Nobody acknowledged"), _("Median"),
			 _("90th percentile"), _("Acknowledged"), _("Acknowledged by this unit"), _("Its median"),
			 _("Its 90th percentile"));
	for (size_t i = 0; i < s->n_units; i++) {
		struct case_stats *k = drill ? &s->units[i].drill : &s->units[i].real;
		if (active(k))
			ack_row(h, s->units[i].name, k, drill ? "drill" : "real");
	}
	desk_html_printf(h, "</tbody></table></div>\n");
}

/* The groups of a chart and their values: at most STATS_MAX_UNITS (or
 * agents, or days: STATS_MAX_DAYS), each series' values one after the
 * other. */
struct groups {
	const char **labels;
	int64_t *v;
	size_t n, per;
};

static bool groups_new(struct groups *g, size_t per, size_t n_series)
{
	g->n = 0;
	g->per = per;
	g->labels = calloc(per ? per : 1, sizeof(*g->labels));
	g->v = calloc((per ? per : 1) * n_series, sizeof(*g->v));
	return g->labels != NULL && g->v != NULL;
}

static void groups_free(struct groups *g)
{
	free(g->labels);
	free(g->v);
}

/* Series @i of @g, named @name, coloured @class. */
static struct desk_svg_series series_of(struct groups *g, size_t i, const char *name, const char *class)
{
	return (struct desk_svg_series){.name = name, .class = class, .v = g->v + i * g->per};
}

static bool any_drill(const struct stats *s)
{
	for (size_t i = 0; i < s->n_units; i++)
		if (s->units[i].drill.reports > 0)
			return true;
	return false;
}

static void ack_chart(struct desk_html *h, struct stats *s, struct groups *g, bool drills)
{
	for (size_t i = 0; i < s->n_units; i++) {
		struct unit_stats *u = &s->units[i];
		if (u->real.reports == 0 && u->drill.reports == 0)
			continue;
		g->labels[g->n] = u->name;
		g->v[g->n] = stats_samples_percentile(&u->real.first_ack, 50);
		g->v[g->per + g->n] = stats_samples_percentile(&u->real.first_ack, 90);
		g->v[2 * g->per + g->n] = stats_samples_percentile(&u->drill.first_ack, 50);
		g->v[3 * g->per + g->n] = stats_samples_percentile(&u->drill.first_ack, 90);
		g->n++;
	}
	struct desk_svg_series series[] = {
		series_of(g, 0, _("Median"), "s0"), series_of(g, 1, _("90th percentile"), "s1"),
		series_of(g, 2, _("Drills: median"), "s2"), series_of(g, 3, _("Drills: 90th percentile"), "s3"),
	};
	struct desk_svg_chart c = {.id = "chart-ack", .title = _("Time to first acknowledgement, per unit"),
				   .labels = g->labels, .n = g->n, .series = series,
				   .n_series = drills ? 4 : 2, .format = desk_stats_span};
	desk_svg_bars(h, &c);
}

void desk_stats_acks(struct desk_html *h, struct stats *s)
{
	struct groups g = {0};
	desk_html_printf(h, "<section id=\"ack\"><h2>%s</h2>\n<p>%s</p>\n", _("Time to first acknowledgement"),
			 _("From a report's arrival to the first acknowledgement by any unit, for the cases "
			   "reported in the period; and how fast each unit acknowledged the cases it saw."));
	if (groups_new(&g, s->n_units, 4))
		ack_chart(h, s, &g, any_drill(s));
	else
		h->failed = true;
	groups_free(&g);
	ack_table(h, s, false);
	if (any_drill(s))
		ack_table(h, s, true);
	desk_html_printf(h, "</section>\n");
}

/* A day of the period: ISO in data-day (what a script or a test compares),
 * in the officer's language as shown ("07 Dec 2026"), and without its year
 * under the chart's columns ("07 Dec"). */
struct day_name {
	char iso[16], shown[64], brief[64];
};

static void day_name(int64_t start_ms, struct day_name *n)
{
	stats_day_date(start_ms, n->iso, sizeof(n->iso));
	i18n_date(start_ms, n->shown, sizeof(n->shown));
	snprintf(n->brief, sizeof(n->brief), "%s", n->shown);
	char *year = strrchr(n->brief, ' ');
	if (year != NULL)
		*year = '\0';
}

static void day_row(struct desk_html *h, const struct stats_day *d, const struct day_name *n)
{
	desk_html_printf(h, "<tr data-day=\"%s\"><th scope=\"row\">%s</th>", n->iso, n->shown);
	cell_count(h, "opened", d->real.opened);
	cell_count(h, "closed", d->real.closed);
	cell_count(h, "drills.opened", d->drill.opened);
	cell_count(h, "drills.closed", d->drill.closed);
	desk_html_printf(h, "</tr>\n");
}

static void days_table(struct desk_html *h, const struct stats *s, const struct day_name *names)
{
	desk_html_printf(h, "<div class=\"scroll\"><table class=\"stats\" id=\"t-days\"><thead><tr>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>\n",
			 _("Day"), _("Opened"), _("Closed"), _("Drills opened"), _("Drills closed"));
	for (size_t i = 0; i < s->n_days; i++)
		day_row(h, &s->days[i], &names[i]);
	desk_html_printf(h, "</tbody></table></div>\n");
}

static void days_chart(struct desk_html *h, const struct stats *s, struct groups *g, const struct day_name *names)
{
	for (size_t i = 0; i < s->n_days; i++) {
		const struct stats_day *d = &s->days[i];
		g->labels[i] = names[i].brief;
		g->v[i] = d->real.opened;
		g->v[g->per + i] = d->real.closed;
		g->v[2 * g->per + i] = d->drill.opened;
		g->v[3 * g->per + i] = d->drill.closed;
	}
	g->n = s->n_days;
	struct desk_svg_series series[] = {
		series_of(g, 0, _("Opened"), "s0"), series_of(g, 1, _("Closed"), "s1"),
		series_of(g, 2, _("Drills opened"), "s2"), series_of(g, 3, _("Drills closed"), "s3"),
	};
	struct desk_svg_chart c = {.id = "chart-days", .title = _("Cases opened and closed per day"),
				   .labels = g->labels, .n = g->n, .series = series,
				   .n_series = any_drill(s) ? 4 : 2, .format = count_text};
	desk_svg_columns(h, &c);
}

void desk_stats_days(struct desk_html *h, const struct stats *s)
{
	struct groups g = {0};
	struct day_name *names = calloc(s->n_days ? s->n_days : 1, sizeof(*names));
	desk_html_printf(h, "<section id=\"days\"><h2>%s</h2>\n<p>%s</p>\n", _("Cases opened and closed"),
			 _("Each day (IST): the reports that arrived, and the cases that were closed, cancelled "
			   "or reunited, whenever they were opened."));
	if (names == NULL || !groups_new(&g, s->n_days, 4)) {
		h->failed = true;
		groups_free(&g);
		free(names);
		return;
	}
	for (size_t i = 0; i < s->n_days; i++)
		day_name(s->days[i].start_ms, &names[i]);
	days_chart(h, s, &g, names);
	days_table(h, s, names);
	groups_free(&g);
	free(names);
	desk_html_printf(h, "</section>\n");
}

static void escalation_row(struct desk_html *h, const struct unit_stats *u)
{
	desk_html_printf(h, "<tr data-unit=\"%s\"><th scope=\"row\">%s</th>", u->name, u->name);
	cell_count(h, "escalated.1", u->real.escalated[0]);
	cell_count(h, "escalated.2", u->real.escalated[1]);
	cell_count(h, "escalated.3+", u->real.escalated[2]);
	cell_count(h, "drills.escalated.1", u->drill.escalated[0]);
	cell_count(h, "drills.escalated.2", u->drill.escalated[1]);
	cell_count(h, "drills.escalated.3+", u->drill.escalated[2]);
	desk_html_printf(h, "</tr>\n");
}

static void escalation_chart(struct desk_html *h, const struct stats *s, struct groups *g)
{
	static const char *const levels[] = {N_("Level 1"), N_("Level 2"), N_("Level 3 or more")};
	for (size_t l = 0; l < 3; l++) {
		g->labels[l] = _(levels[l]);
		for (size_t i = 0; i < s->n_units; i++) {
			g->v[l] += s->units[i].real.escalated[l];
			g->v[g->per + l] += s->units[i].drill.escalated[l];
		}
	}
	g->n = 3;
	struct desk_svg_series series[] = {
		series_of(g, 0, _("Cases"), "s0"), series_of(g, 1, _("Drills"), "s2"),
	};
	struct desk_svg_chart c = {.id = "chart-escalations", .title = _("Cases escalated, by level reached"),
				   .labels = g->labels, .n = g->n, .series = series,
				   .n_series = any_drill(s) ? 2 : 1, .format = count_text};
	desk_svg_bars(h, &c);
}

void desk_stats_escalations(struct desk_html *h, const struct stats *s)
{
	struct groups g = {0};
	desk_html_printf(h, "<section id=\"escalations\"><h2>%s</h2>\n<p>%s</p>\n", _("Escalations"),
			 _("The cases reported in the period that nobody acted on in time, by the highest "
			   "level they reached: a case at level 2 counts at level 1 too."));
	if (!groups_new(&g, 3, 2)) {
		h->failed = true;
		groups_free(&g);
		return;
	}
	escalation_chart(h, s, &g);
	groups_free(&g);
	desk_html_printf(h, "<div class=\"scroll\"><table class=\"stats\" id=\"t-escalations\"><thead><tr>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			 "<th scope=\"col\">%s</th></tr></thead><tbody>\n", _("Unit"), _("Level 1"), _("Level 2"),
			 _("Level 3 or more"), _("Drills: level 1"), _("Drills: level 2"),
			 _("Drills: level 3 or more"));
	for (size_t i = 0; i < s->n_units; i++)
		if (s->units[i].real.reports > 0 || s->units[i].drill.reports > 0)
			escalation_row(h, &s->units[i]);
	desk_html_printf(h, "</tbody></table></div></section>\n");
}

/* A share online, per mille (for the chart), -1 if unknown. */
static int64_t per_mille(int64_t online_ms, int64_t known_ms)
{
	return known_ms > 0 ? (online_ms * 1000 + known_ms / 2) / known_ms : -1;
}

/* The cell of a share: its words, and the share itself in data-v. */
static void cell_share(struct desk_html *h, int64_t online_ms, int64_t known_ms)
{
	char text[32], v[32];
	share_text(per_mille(online_ms, known_ms), text, sizeof(text));
	snprintf(v, sizeof(v), "%.6f", (double)online_ms / (double)known_ms);
	desk_html_printf(h, "<td data-k=\"online_share\" data-v=\"%s\">%s</td>", v, text);
}

static void online_chart(struct desk_html *h, const struct stats *s, struct groups *g)
{
	for (size_t i = 0; i < s->n_units_online; i++) {
		const struct unit_online *u = &s->units_online[i];
		g->labels[g->n] = u->unit;
		g->v[g->n++] = per_mille(u->online_ms, u->known_ms);
	}
	struct desk_svg_series series[] = {series_of(g, 0, _("Online"), "s0")};
	struct desk_svg_chart c = {.id = "chart-online", .title = _("Share of the period online, per unit"),
				   .labels = g->labels, .n = g->n, .series = series, .n_series = 1,
				   .format = share_text, .max = SHARE_AXIS};
	desk_svg_bars(h, &c);
}

static void units_online_table(struct desk_html *h, const struct stats *s)
{
	desk_html_printf(h, "<div class=\"scroll\"><table class=\"stats\" id=\"t-units-online\"><thead><tr>"
			 "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>\n", _("Unit"),
			 _("Online"));
	for (size_t i = 0; i < s->n_units_online; i++) {
		const struct unit_online *u = &s->units_online[i];
		desk_html_printf(h, "<tr data-unit=\"%s\"><th scope=\"row\">%s</th>", u->unit, u->unit);
		cell_share(h, u->online_ms, u->known_ms);
		desk_html_printf(h, "</tr>\n");
	}
	desk_html_printf(h, "</tbody></table></div>\n");
}

static void agents_table(struct desk_html *h, const struct stats *s)
{
	desk_html_printf(h, "<div class=\"scroll\"><table class=\"stats\" id=\"t-online\"><caption>%s</caption>"
			 "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
			 "</thead><tbody>\n", _("Each agent"), _("Agent"), _("Unit"), _("Online"));
	for (size_t i = 0; i < s->n_agents; i++) {
		const struct agent_stats *a = &s->agents[i];
		if (a->known_ms <= 0)
			continue;
		desk_html_printf(h, "<tr data-agent=\"%s\" data-unit=\"%s\"><th scope=\"row\">%s</th><td>%s</td>",
				 a->id, a->unit, a->id, a->unit);
		cell_share(h, a->online_ms, a->known_ms);
		desk_html_printf(h, "</tr>\n");
	}
	desk_html_printf(h, "</tbody></table></div>\n");
}

void desk_stats_online(struct desk_html *h, const struct stats *s)
{
	struct groups g = {0};
	desk_html_printf(h, "<section id=\"online\"><h2>%s</h2>\n<p>%s</p>\n", _("Units online"),
			 _("Each unit's share of the period online, its agents together, each since its first "
			   "status in the period, from the presence this desk's agent received."));
	if (!groups_new(&g, s->n_units_online, 1)) {
		h->failed = true;
		groups_free(&g);
		return;
	}
	online_chart(h, s, &g);
	groups_free(&g);
	units_online_table(h, s);
	agents_table(h, s);
	desk_html_printf(h, "</section>\n");
}
