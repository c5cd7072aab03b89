/* The action forms on a case page (desk_action.h): Acknowledge with a state
 * and a note, Found with where and to whom. Plain forms, no script needed;
 * every button a 44 px target (desk_style.c). */
#include <string.h>

#include <raksha/raksha.h>

#include "desk/desk_action.h"
#include "desk/desk_action_fields.h"

static void ack_form(struct desk_html *h, const struct desk_request *r, const char *id)
{
	desk_html_printf(h, "<form class=\"actions\" method=\"post\" action=\"/case/%s/ack\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<fieldset><legend>"
			 "Acknowledge</legend>\n", id, r->session->csrf);
	desk_action_ack_states(h, RAKSHA__V1__ACK_STATE__ACK_STATE_ACTING);
	desk_action_field_inputs(h, "ack", NULL, 1u << FIELD_NOTES, -1, NULL);
	desk_html_printf(h, "<button type=\"submit\" id=\"ack\">Acknowledge</button></fieldset></form>\n");
}

static void found_form(struct desk_html *h, const struct desk_request *r, const char *id)
{
	desk_html_printf(h, "<form class=\"actions\" method=\"post\" action=\"/case/%s/found\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n<fieldset><legend>"
			 "Found</legend>\n", id, r->session->csrf);
	desk_action_field_inputs(h, "found", NULL, ~0u, -1, NULL);
	desk_html_printf(h, "<button type=\"submit\" id=\"found\">Found&hellip;</button></fieldset>"
			 "</form>\n");
}

void desk_action_forms(struct desk_html *h, const struct desk_request *r, const char *id,
		       const struct desk_case *c)
{
	if (c->status == NULL || strcmp(c->status, "open") != 0)
		return;
	ack_form(h, r, id);
	found_form(h, r, id);
}
