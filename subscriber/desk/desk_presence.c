/* GET /presence: the units' agents, who is offline and since when (the
 * longest first), then who is online, from their presence in the agent's
 * database as raksha-replay presence reads it (history/presence_list.h).
 * Times are arrivals here: an offline that is a Will arrives when the
 * broker gave up on the agent's link. */
#include "common/i18n.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "history/presence_list.h"

static void agent_row(struct desk_html *h, const struct presence_agent *a, int64_t now_ms)
{
	char since[DESK_WHEN_MAX], ago[DESK_WHEN_MAX];
	desk_page_when(a->since_ms, since, sizeof(since));
	desk_page_ago(a->since_ms, now_ms, ago, sizeof(ago));
	desk_html_printf(h, "<li class=\"%s\"><span class=\"state\">%s</span> <span class=\"unit\">%s</span>"
			 " <span class=\"agent\">%s</span> <span class=\"since\">",
			 a->online ? "online" : "offline", a->online ? _("online") : _("OFFLINE"), a->unit,  /* i18n: markup */
			 a->id);
	desk_html_printf(h, _("since %s (%s)"), since, ago);
	desk_html_printf(h, "</span></li>\n");
}

enum MHD_Result desk_page_presence(struct desk_request *r, sqlite3 *db)
{
	struct desk_html h = {0};
	struct presence_list l = {0};
	struct history_filter all = {0};
	int rc = presence_list_update(db, &all, &l);
	presence_list_sort(&l);
	desk_page_start(&h, r, _("Units"));
	desk_html_printf(&h, "<h1>%s</h1>\n", _("Units"));
	if (rc < 0)
		desk_html_printf(&h, "<p class=\"error\">%s</p>\n", _("The agent's database cannot be read now."));
	else if (l.n == 0)
		desk_html_printf(&h, "<p>%s</p>\n", _("No agent's presence has arrived yet."));
	desk_html_printf(&h, "<ul class=\"presence\">\n");
	for (size_t i = 0; i < l.n; i++)
		agent_row(&h, &l.agents[i], r->now_ms);
	desk_html_printf(&h, "</ul>\n");
	presence_list_free(&l);
	desk_page_end(&h);
	return desk_reply_html(r, 200, &h, NULL);
}
