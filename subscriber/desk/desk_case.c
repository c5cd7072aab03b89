/* GET /case/ID: every field of the case's latest report (or found
 * child's sighting) and its photos (desk_case_fields.c), its possible
 * matches and links (desk_case_match.c), who acknowledged it, and its
 * timeline (desk_timeline.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_action.h"
#include "desk/desk_case.h"
#include "desk/desk_db.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"

struct case_page {
	struct desk_request *r;
	struct desk_html *h;
	sqlite3 *db;
	bool found;
	char id[RAKSHA_UUID_TEXT_LEN + 1];
};

static void ack_row(void *ctx, const struct desk_ack *a)
{
	struct case_page *p = ctx;
	char ago[DESK_WHEN_MAX];
	desk_page_ago(a->at_ms, p->r->now_ms, ago, sizeof(ago));
	desk_html_printf(p->h, "<li>%s/%s %s: %s, %s</li>\n", a->region, a->agency, a->unit, desk_page_word(a->state), ago);
}

static void summary(struct case_page *p, const struct desk_case *c)
{
	char ago[DESK_WHEN_MAX];
	desk_page_ago(c->first_seen_ms, p->r->now_ms, ago, sizeof(ago));
	desk_html_printf(p->h, "<h1>%s</h1>\n<p class=\"marks\"><span class=\"prio p%d\">%s</span>"
			 "<span>%s</span><span class=\"acks\">", c->name, c->priority,
			 desk_page_priority(c->priority), desk_page_word(c->status));
	desk_html_printf(p->h, _("acks %d"), c->acks);
	desk_html_printf(p->h, "</span>");
	if (c->escalation > 0) {
		desk_html_printf(p->h, "<span class=\"esc\">");
		desk_html_printf(p->h, _("escalated %d"), c->escalation);
		desk_html_printf(p->h, "</span>");
	}
	if (c->found)
		desk_html_printf(p->h, "<span class=\"found\">%s</span>", _("found child"));
	if (c->exercise)
		desk_html_printf(p->h, "<span class=\"drill\">%s</span>", _("DRILL"));
	desk_html_printf(p->h, "</p>\n<p>");
	if (c->found)
		desk_html_printf(p->h, _("Found %s by %s/%s."), ago, c->region, c->agency);
	else
		desk_html_printf(p->h, _("Reported %s by %s/%s."), ago, c->region, c->agency);
	desk_html_printf(p->h, "</p>\n");
}

static void show(void *ctx, const struct desk_case *c)
{
	struct case_page *p = ctx;
	p->found = true;
	desk_page_start(p->h, p->r, c->name);
	summary(p, c);
	desk_action_forms(p->h, p->r, p->id, c);
	desk_case_matches(p->h, p->db, c, p->id, p->r->session);
	desk_case_fields(p->h, c, p->id);
	desk_action_more_forms(p->h, p->r, p->id, c);
}

enum MHD_Result desk_page_case(struct desk_request *r, sqlite3 *db, const char *id)
{
	uint8_t uuid[RAKSHA_UUID_LEN];
	struct desk_html h = {0};
	struct case_page p = {r, &h, db, false, ""};
	if (raksha_uuid_parse(id, uuid) < 0)
		return desk_refuse(r, 404, _("There is no such case."));
	raksha_uuid_format(uuid, p.id);
	int n = desk_db_case(db, uuid, show, &p);
	if (n < 0 || !p.found) {
		desk_html_free(&h);
		return desk_refuse(r, n < 0 ? 503 : 404, n < 0 ? _("The agent's database cannot be read now.")
							 : _("There is no such case."));
	}
	desk_html_printf(&h, "<h2>%s</h2>\n<ul class=\"acks\">\n", _("Acknowledged by"));
	desk_db_acks(db, uuid, ack_row, &p);
	desk_html_printf(&h, "</ul>\n");
	desk_timeline(&h, db, uuid);
	desk_html_printf(&h, "<p><a class=\"button\" href=\"/case/%s/poster\">%s</a></p>\n", p.id, _("Poster"));
	desk_html_printf(&h, "<p><a class=\"button\" href=\"/cases\">%s</a></p>\n", _("All open cases"));
	desk_page_end(&h);
	return desk_reply_html(r, 200, &h, NULL);
}
