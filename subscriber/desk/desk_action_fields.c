/* The action forms' fields (desk_action_fields.h). The limits are the
 * desk's, under the validator's (16 KiB a string, lib/check_strings.h),
 * which checks the envelope again before it is queued. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <raksha/raksha.h>

#include "common/i18n.h"
#include "desk/desk.h"
#include "desk/desk_action_fields.h"
#include "desk/desk_form.h"

const struct desk_ack_state desk_ack_states[DESK_ACK_STATES] = {
	{"received", N_("Received"), RAKSHA__V1__ACK_STATE__ACK_STATE_RECEIVED},
	{"acting", N_("Acting: we are on it"), RAKSHA__V1__ACK_STATE__ACK_STATE_ACTING},
	{"done", N_("Done"), RAKSHA__V1__ACK_STATE__ACK_STATE_DONE},
};

struct field_rule {
	const char *name, *label, *rule;
	size_t max;
	int (*is_char)(int c);  /* each byte's class, NULL: any text */
};

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_coach(int c)
{
	return is_upper(c) || is_digit(c);
}

static const struct field_rule rules[DESK_FIELDS] = {
	[FIELD_STATION] = {"station_code", N_("Station code"), N_("1 to 5 capital letters, as BPL"), 5, is_upper},
	[FIELD_TRAIN] = {"train_number", N_("Train number"), N_("up to 5 digits, as 12627"), 5, is_digit},
	[FIELD_COACH] = {"coach", N_("Coach"), N_("up to 4 capital letters or digits, as S4"), 4, is_coach},
	[FIELD_WHERE] = {"description", N_("Where exactly"), N_("up to 200 bytes"), 200, NULL},
	[FIELD_HANDED] = {"handed_over_to", N_("Handed over to"), N_("up to 200 bytes"), 200, NULL},
	[FIELD_NOTES] = {"notes", N_("Note"), N_("up to 1000 bytes"), DESK_NOTES_MAX, NULL},
};

static bool follows(const struct field_rule *f, const char *s)
{
	if (strlen(s) > f->max)
		return false;
	for (const char *c = s; f->is_char != NULL && *c != '\0'; c++)
		if (!f->is_char((unsigned char)*c))
			return false;
	return true;
}

int desk_action_fields_read(const char *body, unsigned want, struct desk_action_values *out, char *err,
			    size_t errlen)
{
	static char whole[DESK_BODY_MAX + 1];  /* the desk answers one request at a time */
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < DESK_FIELDS; i++) {
		if (!(want & (1u << i)) || !desk_form_get(body, rules[i].name, whole, sizeof(whole)))
			continue;
		if (desk_action_field_check(i, whole, err, errlen) < 0)
			return i;
		size_t n = strlen(whole);  /* at most rules[i].max, under DESK_NOTES_MAX */
		if (n < sizeof(out->v[i]))
			memcpy(out->v[i], whole, n + 1);
	}
	return -1;
}

int desk_action_field_check(enum desk_field i, const char *s, char *err, size_t errlen)
{
	if (follows(&rules[i], s))
		return 0;
	snprintf(err, errlen, _("%s (%s): must be %s"), _(rules[i].label), rules[i].name, _(rules[i].rule));
	return -EINVAL;
}

void desk_action_custody(struct desk_html *h, const char *form, bool checked)
{
	desk_html_printf(h, "<label><input type=\"checkbox\" name=\"in_custody\" id=\"%s-in_custody\" "
			 "value=\"yes\"%s> %s</label>\n", form, checked ? " checked" : "",  /* i18n: markup */
			 _("The child is with us now (in custody)"));
}

void desk_action_ack_states(struct desk_html *h, int checked)
{
	for (size_t i = 0; i < DESK_ACK_STATES; i++)
		desk_html_printf(h, "<label><input type=\"radio\" name=\"state\" id=\"state-%s\" value=\"%s\"%s> "
				 "%s</label>\n", desk_ack_states[i].word, desk_ack_states[i].word,
				 desk_ack_states[i].state == checked ? " checked" : "", _(desk_ack_states[i].label));  /* i18n: markup */
}

void desk_action_field_inputs(struct desk_html *h, const char *form, const struct desk_action_values *v,
			      unsigned want, int bad, const char *err)
{
	for (int i = 0; i < DESK_FIELDS; i++) {
		if (!(want & (1u << i)))
			continue;
		const char *value = v ? v->v[i] : "";
		const char *name = rules[i].name;
		desk_html_printf(h, "<label for=\"%s-%s\">%s</label>", form, name, _(rules[i].label));
		if (i == bad)
			desk_html_printf(h, "<p class=\"error\" id=\"error-%s\">%s</p>", name, err);
		if (i == FIELD_NOTES)
			desk_html_printf(h, "<textarea id=\"%s-%s\" name=\"%s\" maxlength=\"%zu\">%s</textarea>\n",
					 form, name, name, rules[i].max, value);
		else
			desk_html_printf(h, "<input id=\"%s-%s\" name=\"%s\" maxlength=\"%zu\" value=\"%s\">\n",
					 form, name, name, rules[i].max, value);
	}
}

void desk_action_field_hidden(struct desk_html *h, const struct desk_action_values *v)
{
	for (int i = 0; i < DESK_FIELDS; i++)
		desk_html_printf(h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n", rules[i].name,
				 v->v[i]);
}
