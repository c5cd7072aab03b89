/* GET /stats: the supervisors' statistics over a period they choose, the
 * figures of raksha-replay stats (history/stats.h: the same code), each
 * as a chart and as a table. */
#include <stdlib.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "desk/desk_stats.h"
#include "desk/desk_stats_tables.h"
#include "desk/desk_users.h"

/* A date field of the period's form, its error beside it. */
static void date_field(struct desk_html *h, const char *name, const char *label, const char *value,
		       const char *error)
{
	desk_html_printf(h, "<label for=\"%s\">%s</label><input type=\"date\" id=\"%s\" name=\"%s\" value=\"%s\"",
			 name, label, name, name, value);
	if (error == NULL)
		desk_html_printf(h, " required>\n");
	else
		desk_html_printf(h, " required aria-describedby=\"%s-error\">\n<p class=\"error\" id=\"%s-error\">%s</p>\n",
				 name, name, _(error));
}

static void period_form(struct desk_html *h, const struct desk_stats_period *p)
{
	char from[64], to[64];
	i18n_date_time(p->from_ms, from, sizeof(from));
	i18n_date_time(p->to_ms, to, sizeof(to));
	desk_html_printf(h, "<form class=\"period\" method=\"get\" action=\"/stats\">\n");
	date_field(h, "from", _("First day"), p->from, p->from_error);
	date_field(h, "to", _("Last day"), p->to, p->to_error);
	desk_html_printf(h, "<button type=\"submit\">%s</button></form>\n", _("Show"));
	desk_html_printf(h, "<p id=\"period\" data-from-ms=\"%lld\" data-to-ms=\"%lld\">", (long long)p->from_ms,
			 (long long)p->to_ms);
	desk_html_printf(h, _("From %s to %s, by the arrival of each message at this desk's agent."), from, to);
	desk_html_printf(h, "</p>\n<p><a class=\"button\" id=\"csv\" href=\"/stats.csv?from=%s&amp;to=%s\">%s</a></p>\n",
			 p->from, p->to, _("The period's cases as CSV"));
}

static enum MHD_Result page(struct desk_request *r, const struct desk_stats_period *p, struct stats *s, int rc)
{
	struct desk_html h = {0};
	desk_page_start(&h, r, _("Statistics"));
	desk_html_printf(&h, "<h1>%s</h1>\n", _("Statistics"));
	period_form(&h, p);
	if (rc < 0) {
		desk_html_printf(&h, "<p class=\"error\">%s</p>\n", _("The agent's database cannot be read now."));
	} else {
		desk_stats_acks(&h, s);
		desk_stats_days(&h, s);
		desk_stats_escalations(&h, s);
		desk_stats_online(&h, s);
	}
	desk_page_end(&h);
	return desk_reply_html(r, 200, &h, NULL);
}

enum MHD_Result desk_page_stats(struct desk_request *r, sqlite3 *db)
{
	if (!desk_stats_allowed(r))
		return desk_stats_refuse(r);
	struct desk_stats_period p;
	struct history_filter all = {0};
	desk_stats_period(r, r->now_ms, &p);
	struct stats *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return desk_refuse(r, 500, _("The desk is out of memory."));
	s->from_ms = p.from_ms;
	s->to_ms = p.to_ms;
	int rc = stats_gather(db, &all, s);
	if (rc < 0)
		log_line(LOG_WARNING, "raksha-desk: statistics: the agent's database cannot be read");
	stats_sort_units(s);
	enum MHD_Result ok = page(r, &p, s, rc);
	stats_free(s);
	return ok;
}
