/* The case page's possible matches and links: on a report's page the found
 * children matching suggested for it, on a found child's page the reports;
 * each with its score and why, a link to the other case and the form that
 * confirms it. The form is the contract with the action route (POST
 * /case/ID/link, desk_action*.c): hidden csrf and other (the other case's
 * id), its button's id link-OTHERID; the route asks again before it links. */
#include "common/i18n.h"
#include "desk/desk_case.h"
#include "desk/desk_db_timeline.h"
#include "desk/desk_page.h"

struct matching {
	struct desk_html *h;
	const char *id, *csrf;
	bool found;
	int n;
};

static void suggested(void *ctx, const struct desk_match *m)
{
	struct matching *x = ctx;
	char other[RAKSHA_UUID_TEXT_LEN + 1];
	raksha_uuid_format(m->other, other);
	if (x->n++ == 0)
		desk_html_printf(x->h, "<h2>%s</h2>\n<ul class=\"matches\">\n", _("Possible matches"));
	desk_html_printf(x->h, "<li class=\"match\"><a href=\"/case/%s\">%s %s</a>, ", other,
			 x->found ? _("report") : _("found child"), m->name);
	desk_html_printf(x->h, _("score %d: %s"), m->score, m->why);
	desk_html_printf(x->h, "<form method=\"post\" action=\"/case/%s/link\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			 "<input type=\"hidden\" name=\"other\" value=\"%s\">"
			 "<button type=\"submit\" id=\"link-%s\">%s</button></form></li>\n",
			 x->id, x->csrf, other, other, _("Same child: link them"));
}

static void linked(void *ctx, const struct desk_match *m)
{
	struct matching *x = ctx;
	char other[RAKSHA_UUID_TEXT_LEN + 1], when[32];
	raksha_uuid_format(m->other, other);
	desk_page_when(m->at_ms, when, sizeof(when));
	desk_html_printf(x->h, "<p class=\"linked\">%s <a href=\"/case/%s\">%s %s</a> (",
			 _("linked: same child as"), other, x->found ? _("report") : _("found child"), m->name);
	desk_html_printf(x->h, _("by %s, %s"), m->by, when);
	desk_html_printf(x->h, "%s%s)</p>\n", *m->why ? ": " : "", m->why);
}

void desk_case_matches(struct desk_html *h, sqlite3 *db, const struct desk_case *c, const char *id,
		       const struct desk_session *s)
{
	struct matching x = {h, id, s->csrf, c->found, 0};
	if (desk_db_links(db, c->id, c->found, linked, &x) < 0)
		desk_html_printf(h, "<p class=\"error\">%s</p>\n", _("Its links cannot be read now."));
	if (desk_db_matches(db, c->id, c->found, suggested, &x) < 0)
		desk_html_printf(h, "<p class=\"error\">%s</p>\n", _("Its possible matches cannot be read now."));
	if (x.n > 0)
		desk_html_printf(h, "</ul>\n");
}
