/* Where the report forms are reached from: the list (a new report, a
 * child found alone) and a case's page (a full sighting, a new version, a
 * status update). */
#include "common/i18n.h"
#include "desk/desk_report.h"

void desk_report_new_links(struct desk_html *h)
{
	desk_html_printf(h, "<p class=\"rlinks\"><a class=\"button\" id=\"new-report\" href=\"/report/new\">%s</a>"
			 "<a class=\"button\" id=\"new-found\" href=\"/found/new\">%s</a></p>\n",
			 _("New report"), _("A child found alone"));
}

void desk_report_links(struct desk_html *h, const char *id, const struct desk_case *c)
{
	desk_html_printf(h, "<p class=\"rlinks\"><a class=\"button\" id=\"to-seen\" href=\"/case/%s/seen\">%s</a>",
			 id, _("Seen: the full form, with photos"));
	if (!c->found)
		desk_html_printf(h, "<a class=\"button\" id=\"to-revise\" href=\"/case/%s/revise\">%s</a>", id,
				 _("New version of the report"));
	desk_html_printf(h, "<a class=\"button\" id=\"to-update\" href=\"/case/%s/update\">%s</a></p>\n", id,
			 _("Status update"));
}
