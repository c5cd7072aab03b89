/* The POST routes of the actions (desk_action.h): the fields checked
 * first (nothing is queued for a bad one), a confirmation page for what
 * cannot be undone, then the envelope through the agent's outbox naming
 * the officer, a log line naming the account, and a redirect to the case,
 * whose page then says once "sent" or "queued" (the session's notice). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_action.h"
#include "desk/desk_action_fields.h"
#include "desk/desk_form.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "desk/desk_said.h"

struct action {
	struct desk_request *r;
	const struct desk_user *u;
	char id[RAKSHA_UUID_TEXT_LEN + 1];
	uint8_t uuid[RAKSHA_UUID_LEN];
	const char *verb;
	struct desk_action_values v;
	int ack_state;
	bool open, may_close, in_custody;
	uint8_t other[RAKSHA_UUID_LEN];  /* link: the other case */
};

static void look(void *ctx, const struct desk_case *c)
{
	struct action *a = ctx;
	a->open = c->status != NULL && strcmp(c->status, "open") == 0;
	a->may_close = desk_action_may_close(a->r, a->u, c);
}

static const char *const verbs[] = {"ack", "found", "close", "cancel", "link", "sighting"};

bool desk_action_verb(const char *verb)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verb, verbs[i]) == 0)
			return true;
	return false;
}

static bool is_found(const struct action *a)
{
	return strcmp(a->verb, "found") == 0;
}

static bool is_sighting(const struct action *a)
{
	return strcmp(a->verb, "sighting") == 0;
}

static bool is_ack(const struct action *a)
{
	return strcmp(a->verb, "ack") == 0;
}

static bool is_link(const struct action *a)
{
	return strcmp(a->verb, "link") == 0;
}

static bool is_end(const struct action *a)
{
	return strcmp(a->verb, "close") == 0 || strcmp(a->verb, "cancel") == 0;
}

static enum unit_action kind_of(const struct action *a)
{
	if (is_found(a))
		return ACTION_FOUND;
	if (strcmp(a->verb, "close") == 0)
		return ACTION_CLOSED;
	if (strcmp(a->verb, "cancel") == 0)
		return ACTION_CANCELLED;
	if (is_sighting(a))
		return ACTION_SIGHTING;
	return ACTION_ACK;
}

static unsigned want(const struct action *a)
{
	if (is_link(a))
		return 0;
	if (is_sighting(a))
		return ~(1u << FIELD_HANDED);
	return is_found(a) ? ~0u : 1u << FIELD_NOTES;
}

/* The form again (422), @err beside field @bad. */
static enum MHD_Result form_again(struct action *a, int bad, const char *err)
{
	struct desk_html h = {0};
	desk_page_start(&h, a->r, _("Not sent: a field needs correcting"));
	desk_html_printf(&h, "<h1>%s</h1>\n<p class=\"error\" id=\"refused\">%s</p>\n"
			 "<form class=\"actions\" method=\"post\" action=\"/case/%s/%s\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", _("Not sent"), err, a->id, a->verb,
			 a->r->session->csrf);
	if (is_ack(a))
		desk_action_ack_states(&h, a->ack_state);
	if (is_sighting(a))
		desk_action_custody(&h, a->verb, a->in_custody);
	desk_action_field_inputs(&h, a->verb, &a->v, want(a), bad, err);
	desk_html_printf(&h, "<button type=\"submit\" id=\"again\">%s</button></form>\n"
			 "<p><a class=\"button\" href=\"/case/%s\">%s</a></p>\n", _("Send"), a->id, _("Back to the case"));
	desk_page_end(&h);
	return desk_reply_html(a->r, 422, &h, NULL);
}

static const char *question(const struct action *a)
{
	if (is_found(a))
		return _("Mark this child found?");
	if (is_link(a))
		return _("Link these two cases as one child?");
	return strcmp(a->verb, "close") == 0 ? _("Close this case?") : _("Cancel this case?");
}

/* Found, close, cancel and link cannot be undone: every unit is told, and
 * the case leaves the open list (a link joins two cases for good). */
static enum MHD_Result confirm_page(struct action *a)
{
	struct desk_html h = {0};
	char other[RAKSHA_UUID_TEXT_LEN + 1];
	desk_page_start(&h, a->r, _("Confirm"));
	desk_html_printf(&h, "<h1>%s</h1>\n<p>%s</p>\n"
			 "<form class=\"actions\" method=\"post\" action=\"/case/%s/%s\"><input "
			 "type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" "
			 "name=\"confirm\" value=\"yes\">\n", question(a),
			 is_link(a) ? _("This cannot be undone: every unit is told.")
				    : _("This cannot be undone: every unit is told, and the case leaves the open list."),
			 a->id, a->verb, a->r->session->csrf);
	desk_action_field_hidden(&h, &a->v);
	if (is_link(a)) {
		raksha_uuid_format(a->other, other);
		desk_html_printf(&h, "<input type=\"hidden\" name=\"other\" value=\"%s\">\n", other);
	}
	desk_html_printf(&h, "<button type=\"submit\" id=\"confirm\">%s</button></form>\n"
			 "<p><a class=\"button\" id=\"back\" href=\"/case/%s\">%s</a></p>\n",
			 _("Yes"), a->id, _("No, back to the case"));
	desk_page_end(&h);
	return desk_reply_html(a->r, 200, &h, NULL);
}

static int read_state(struct action *a)
{
	char word[16];
	if (!is_ack(a))
		return 0;
	if (!desk_form_get(a->r->body, "state", word, sizeof(word)))
		return -1;
	for (size_t i = 0; i < DESK_ACK_STATES; i++)
		if (strcmp(word, desk_ack_states[i].word) == 0)
			a->ack_state = desk_ack_states[i].state;
	return a->ack_state ? 0 : -1;
}

static const char *done_word(const struct action *a)
{
	if (is_found(a))
		return "marked found";
	if (is_link(a))
		return "linked a found child to";
	if (is_sighting(a))
		return "reported a sighting of";
	if (is_end(a))
		return strcmp(a->verb, "close") == 0 ? "closed" : "cancelled";
	return "acknowledged";
}

static enum MHD_Result publish(struct action *a)
{
	char said[640], shown[384], where[sizeof("/case/") + RAKSHA_UUID_TEXT_LEN];
	const struct desk_action_values *v = &a->v;
	Raksha__V1__Place place = RAKSHA__V1__PLACE__INIT;
	place.time_ms = a->r->now_ms;
	place.station_code = (char *)v->v[FIELD_STATION];
	place.train_number = (char *)v->v[FIELD_TRAIN];
	place.coach = (char *)v->v[FIELD_COACH];
	place.description = (char *)v->v[FIELD_WHERE];
	struct unit_act_detail d = {a->ack_state, v->v[FIELD_NOTES], v->v[FIELD_HANDED], &place,
				    a->in_custody};
	if (!is_found(a) && !is_sighting(a))
		d.place = NULL;
	struct unit_officer officer = {a->u->full_name[0] ? a->u->full_name : a->u->name, a->u->badge};
	struct unit_said s;
	int sent;
	if (is_link(a))
		sent = unit_pub_link(a->r->desk->pub, a->other, a->uuid, &officer, &s);
	else
		sent = unit_pub_act(a->r->desk->pub, kind_of(a), a->uuid, &d, &officer, &s);
	unit_said_text(&s, said, sizeof(said));
	log_line(sent < 0 ? LOG_ERR : LOG_NOTICE, "raksha-desk: '%s' %s case %s from %s: %s", a->u->name,
		 done_word(a), a->id, a->r->addr, said);
	/* the page's words in the account's language; the log above keeps unit_pub's English */
	desk_said(&s, shown, sizeof(shown));
	if (sent < 0 && sent != -EACCES)
		return form_again(a, -1, shown);  /* the validator refused it: nothing queued */
	snprintf(a->r->session->notice, sizeof(a->r->session->notice), "%s", shown);
	snprintf(where, sizeof(where), "/case/%s", a->id);
	return desk_redirect(a->r, where, NULL);
}

static bool is_yes(const struct desk_request *r, const char *name)
{
	char v[8];
	return desk_form_get(r->body, name, v, sizeof(v)) && strcmp(v, "yes") == 0;
}

static bool read_other(struct action *a)
{
	char other[RAKSHA_UUID_TEXT_LEN + 8];
	return desk_form_get(a->r->body, "other", other, sizeof(other)) && raksha_uuid_parse(other, a->other) == 0;
}

/* The report first, the found child in other. Returns 1 (one case found). */
static int swap(struct action *a)
{
	uint8_t t[RAKSHA_UUID_LEN];
	memcpy(t, a->uuid, sizeof(t));
	memcpy(a->uuid, a->other, sizeof(t));
	memcpy(a->other, t, sizeof(t));
	return 1;
}

enum MHD_Result desk_action_post(struct desk_request *r, sqlite3 *db, const char *id, const char *verb)
{
	char err[200];
	struct action a = {.r = r, .u = desk_page_user(r), .verb = verb};
	if (a.u == NULL || raksha_uuid_parse(id, a.uuid) < 0)
		return desk_refuse(r, 404, _("There is no such case."));
	bool other_ok = is_link(&a) && read_other(&a);
	int n = desk_db_case(db, a.uuid, look, &a);
	if (n != 1 && other_ok && desk_db_case(db, a.other, look, &a) == 1)
		n = swap(&a);  /* posted from the found child's page: the report is the other */
	if (n != 1)
		return desk_refuse(r, 404, _("There is no such case."));
	if (!a.open)
		return desk_refuse(r, 409, _("This case is no longer open: nothing was sent."));
	if (is_end(&a) && !a.may_close)
		return desk_refuse(r, 403, _("Only a supervisor of the unit that reported this case can close "
					     "or cancel it: nothing was sent."));
	raksha_uuid_format(a.uuid, a.id);
	if (is_link(&a) && !other_ok)
		return form_again(&a, -1, _("Other case (other): must be a case's id (UUID)"));
	a.in_custody = is_yes(r, "in_custody");
	bool state_ok = read_state(&a) == 0;
	int bad = desk_action_fields_read(r->body, want(&a), &a.v, err, sizeof(err));
	if (bad >= 0)
		return form_again(&a, bad, err);
	if (!state_ok)
		return form_again(&a, -1, _("State (state): must be received, acting or done"));
	/* A sighting adds to the case, an Ack can be said again: neither needs it. */
	if (!is_ack(&a) && !is_sighting(&a) && !is_yes(r, "confirm"))
		return confirm_page(&a);
	return publish(&a);
}
