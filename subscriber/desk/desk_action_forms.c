/* The action forms on a case page (desk_action.h): Acknowledge at the top,
 * a state a tap; below the child's fields a sighting, Found, close and
 * cancel, each folded (<details>) so that the child comes first on a phone.
 * Plain forms, no script needed; every button a 44 px target
 * (desk_style.c). */
#include <string.h>

#include <raksha/raksha.h>

#include "common/i18n.h"
#include "desk/desk_action.h"
#include "desk/desk_action_fields.h"
#include "desk/desk_page.h"
#include "desk/desk_report.h"

/* Acknowledge: one tap a state, each its own submit button (the note, if
 * any, written first); "acting" keeps the id the board's word had. */
static void ack_form(struct desk_html *h, const struct desk_request *r, const char *id)
{
	desk_html_printf(h, "<form class=\"actions\" method=\"post\" action=\"/case/%s/ack\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<fieldset><legend>"
			 "%s</legend>\n", id, r->session->csrf, _("Acknowledge"));
	desk_action_field_inputs(h, "ack", NULL, 1u << FIELD_NOTES, -1, NULL);
	desk_html_printf(h, "<div class=\"states\">");
	for (size_t i = 0; i < DESK_ACK_STATES; i++) {
		const char *word = desk_ack_states[i].word;
		bool acting = desk_ack_states[i].state == RAKSHA__V1__ACK_STATE__ACK_STATE_ACTING;
		desk_html_printf(h, "<button type=\"submit\" name=\"state\" value=\"%s\" id=\"%s%s\">%s</button>",
				 word, acting ? "ack" : "ack-", acting ? "" : word, _(desk_ack_states[i].label));  /* i18n: markup */
	}
	desk_html_printf(h, "</div></fieldset></form>\n");
}

static void found_form(struct desk_html *h, const struct desk_request *r, const char *id)
{
	desk_html_printf(h, "<details class=\"action act-found\"><summary>%s&hellip;</summary>\n", _("Found"));
	desk_html_printf(h, "<form class=\"actions\" method=\"post\" action=\"/case/%s/found\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<fieldset><legend>"
			 "%s</legend>\n", id, r->session->csrf, _("Found"));
	desk_action_field_inputs(h, "found", NULL, ~0u, -1, NULL);
	desk_html_printf(h, "<button type=\"submit\" id=\"found\">%s&hellip;</button></fieldset>"
			 "</form></details>\n", _("Found"));
}

static void sighting_form(struct desk_html *h, const struct desk_request *r, const char *id)
{
	desk_html_printf(h, "<details class=\"action act-sighting\"><summary>%s&hellip;</summary>\n", _("Seen"));
	desk_html_printf(h, "<form class=\"actions\" method=\"post\" action=\"/case/%s/sighting\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<fieldset><legend>"
			 "%s</legend>\n", id, r->session->csrf, _("Seen: a sighting of this child"));
	desk_action_field_inputs(h, "sighting", NULL, ~(1u << FIELD_HANDED), -1, NULL);
	desk_action_custody(h, "sighting", false);
	desk_html_printf(h, "<button type=\"submit\" id=\"sighting\">%s</button>"
			 "</fieldset></form></details>\n", _("Report the sighting"));
}

/* Close or cancel, for a supervisor of the owning unit. */
static void end_form(struct desk_html *h, const struct desk_request *r, const char *id, const char *verb,
		     const char *label)
{
	desk_html_printf(h, "<details class=\"action act-%s\"><summary>%s&hellip;</summary>\n", verb, label);
	desk_html_printf(h, "<form class=\"actions\" method=\"post\" action=\"/case/%s/%s\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<fieldset><legend>%s"
			 "</legend>\n", id, verb, r->session->csrf, label);
	desk_action_field_inputs(h, verb, NULL, 1u << FIELD_NOTES, -1, NULL);
	desk_html_printf(h, "<button type=\"submit\" id=\"%s\">%s&hellip;</button></fieldset></form>"
			 "</details>\n", verb, label);
}

static void end_forms(struct desk_html *h, const struct desk_request *r, const char *id,
		      const struct desk_case *c)
{
	if (desk_action_may_close(r, desk_page_user(r), c)) {
		end_form(h, r, id, "close", _("Close"));
		end_form(h, r, id, "cancel", _("Cancel"));
		return;
	}
	const Raksha__V1__Origin *o = c->report ? c->report->origin : NULL;
	desk_html_printf(h, "<p id=\"who-closes\">");
	desk_html_printf(h, _("Only a supervisor of the unit that reported it (%s/%s/%s) can close or cancel this case."),
			 o ? o->state : "?", o ? o->region : "?", o ? o->agency : "?");
	desk_html_printf(h, "</p>\n");
}

void desk_action_forms(struct desk_html *h, const struct desk_request *r, const char *id,
		       const struct desk_case *c)
{
	if (c->status != NULL && strcmp(c->status, "open") == 0)
		ack_form(h, r, id);
}

void desk_action_more_forms(struct desk_html *h, const struct desk_request *r, const char *id,
			    const struct desk_case *c)
{
	if (c->status == NULL || strcmp(c->status, "open") != 0)
		return;
	desk_html_printf(h, "<h2>%s</h2>\n", _("More actions"));
	desk_report_links(h, id, c);
	sighting_form(h, r, id);
	found_form(h, r, id);
	end_forms(h, r, id, c);
}
