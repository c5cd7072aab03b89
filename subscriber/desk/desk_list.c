/* GET /cases: the open cases, as the board lists them: most urgent first,
 * then the newest; each a card that links to its page. The query filters
 * and pages them (desk_find.h). */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_db.h"
#include "desk/desk_find.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "desk/desk_report.h"

struct listing {
	struct desk_html *h;
	int64_t now_ms;
};

static bool given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* "last seen BPL 12627 coach S4 29 Nov 10:05"; nothing when none is known. */
static void where(const struct desk_case *c, struct desk_html *h)
{
	char when[DESK_WHEN_MAX];
	desk_page_when(c->last_seen_ms, when, sizeof(when));
	if (!given(c->station) && !given(c->train) && !given(c->coach) && !*when)
		return;
	desk_html_printf(h, "<span class=\"where\">");
	if (given(c->coach))
		desk_html_printf(h, _("last seen %s %s coach %s %s"), c->station, c->train, c->coach, when);
	else
		desk_html_printf(h, _("last seen %s %s %s"), c->station, c->train, when);
	desk_html_printf(h, "</span>");
}

/* A found child (its own case, no report yet): where it is, who holds it. */
static void found(const struct desk_case *c, struct desk_html *h)
{
	desk_html_printf(h, "<span class=\"where\"><span class=\"found\">%s</span> ", _("found child"));
	desk_html_printf(h, _("at %s %s, %s"), c->station, c->place,
			 c->in_custody ? _("in custody of the finder") : _("seen, not held"));
	desk_html_printf(h, "</span>");
}

static void child(const struct desk_case *c, struct desk_html *h)
{
	char age[24] = "";
	const char *gender = "";
	if (c->child != NULL) {
		desk_page_age(c->child, age, sizeof(age));
		gender = desk_page_gender(c->child->gender);
	}
	desk_html_printf(h, "<span class=\"child\">");
	if (*age)
		desk_html_printf(h, _("age %s"), age);
	desk_html_printf(h, "%s%s</span>", *age && *gender ? ", " : "", gender);
}

static void marks(const struct desk_case *c, struct desk_html *h)
{
	desk_html_printf(h, "<span class=\"marks\"><span class=\"prio p%d\">%s</span>",
			 c->priority, desk_page_priority(c->priority));
	desk_html_printf(h, "<span class=\"acks\">");
	desk_html_printf(h, _("acks %d"), c->acks);
	desk_html_printf(h, "</span>");
	if (c->escalation > 0) {
		desk_html_printf(h, "<span class=\"esc\">");
		desk_html_printf(h, _("escalated %d"), c->escalation);
		desk_html_printf(h, "</span>");
	}
	if (c->exercise)
		desk_html_printf(h, "<span class=\"drill\">%s</span>", _("DRILL"));
	desk_html_printf(h, "</span>");
}

/* The first photo's thumbnail (made by the desk: desk_thumb.h), not the
 * photo: a list of 200 on a slow link. */
static void thumb(const struct desk_case *c, const char *id, struct desk_html *h)
{
	if (c->child == NULL || c->child->n_photos == 0)
		return;
	desk_html_printf(h, "<img class=\"thumb\" src=\"/case/%s/thumb/0\" alt=\"\" loading=\"lazy\">", id);
}

static void row(void *ctx, const struct desk_case *c)
{
	struct listing *l = ctx;
	char id[RAKSHA_UUID_TEXT_LEN + 1], ago[32];
	raksha_uuid_format(c->id, id);
	desk_page_ago(c->first_seen_ms, l->now_ms, ago, sizeof(ago));
	desk_html_printf(l->h, "<li><a class=\"case p%d\" href=\"/case/%s\">", c->priority, id);
	thumb(c, id, l->h);
	desk_html_printf(l->h, "<span class=\"name\">%s</span>", c->name);
	child(c, l->h);
	if (c->found)
		found(c, l->h);
	else
		where(c, l->h);
	desk_html_printf(l->h, "<span class=\"from\">");
	if (given(c->unit))
		desk_html_printf(l->h, _("from %s/%s (%s), %s"), c->region, c->agency, c->unit, ago);
	else
		desk_html_printf(l->h, _("from %s/%s, %s"), c->region, c->agency, ago);
	desk_html_printf(l->h, "</span>");
	marks(c, l->h);
	desk_html_printf(l->h, "</a></li>\n");
}

enum MHD_Result desk_page_list(struct desk_request *r, sqlite3 *db)
{
	struct desk_html h = {0};
	struct listing l = {&h, r->now_ms};
	struct desk_find f;
	desk_find_parse(r, &f);
	desk_page_start(&h, r, _("Cases"));
	desk_html_printf(&h, "<h1>%s</h1>\n", f.status == DESK_FIND_OPEN ? _("Open cases") : _("The cases"));
	desk_report_new_links(&h);
	desk_find_form(&h, &f);
	/* Read before the list, so the list holds at least what data-seq
	 * says: live.js then fetches the list again only for something newer
	 * (not once more on every page load, which on a phone costs a page). */
	int64_t seq = desk_db_max_seq(db);
	desk_html_printf(&h, "<ol class=\"cases\" data-seq=\"%lld\">\n", (long long)seq);
	int total = desk_find_cases(db, &f, row, &l);
	desk_html_printf(&h, "</ol>\n");
	if (total < 0)
		desk_html_printf(&h, "<p class=\"error\">%s</p>\n", _("The agent's database cannot be read now."));
	else if (total == 0)
		desk_html_printf(&h, "<p>%s</p>\n", desk_find_is_default(&f) ? _("No open cases.") : _("No case matches."));
	else
		desk_find_pager(&h, &f, total);
	desk_page_end(&h);
	return desk_reply_html(r, 200, &h, NULL);
}
