/* The keys of every screen: acknowledge, found, closed, confirm or dismiss
 * a possible match, help. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>

#include "agent/dismissed.h"
#include "common/i18n.h"
#include "board/board_ui.h"

/* The case the key is about: the open detail's, else the list's cursor. */
static const uint8_t *current_case(struct board *b, const char **name)
{
	if (b->view == VIEW_DETAIL)
		return board_detail_case(b, name);
	const struct board_row *r = board_cases_at(&b->list, b->selected);
	if (r == NULL)
		return NULL;
	*name = r->name;
	return r->report_id;
}

static void act(struct board *b, enum unit_action action)
{
	const char *name = "";
	const uint8_t *id = current_case(b, &name);
	if (id == NULL) {
		board_say(b, true, "%s", _("no case chosen"));
		return;
	}
	/* Found and closed end the case on every board of the state: asked. */
	if (action != ACTION_ACK) {
		char question[600];
		snprintf(question, sizeof(question), _("Record %s %s? This ends the case everywhere. y/n "),
			 name, action == ACTION_FOUND ? _("FOUND") : _("CLOSED"));
		if (!board_prompt_yes(b, question)) {
			board_say(b, false, "%s", _("nothing sent"));
			return;
		}
	}
	uint8_t copy[RAKSHA_UUID_LEN];  /* a reload while sending may free the row */
	memcpy(copy, id, sizeof(copy));
	board_say(b, false, "%s", _("sending..."));
	board_draw(b);
	char said[640];
	struct unit_said s;
	int r = unit_pub_send(b->pub, action, copy, NULL, &s);
	unit_said_text(&s, said, sizeof(said));
	board_say(b, r <= 0, "%s", said);
}

/* The best possible match of the case shown, its found child's id and its
 * report's into @found and @report; NULL if it has none. */
static const struct board_match *best_match(struct board *b, uint8_t *found, uint8_t *report,
					    const struct board_case **out)
{
	const struct board_case *c = board_detail_loaded(b);
	if (c == NULL || c->matches.n == 0) {
		board_say(b, true, "%s", _("no possible match here (m and d are for one in a case's detail)"));
		return NULL;
	}
	const struct board_match *m = &c->matches.v[0];
	memcpy(found, c->found ? c->report_id : m->other_id, RAKSHA_UUID_LEN);
	memcpy(report, c->found ? m->other_id : c->report_id, RAKSHA_UUID_LEN);
	*out = c;
	return m;
}

/* The best possible match of the case shown, dismissed: said to the agent
 * beside its database (agent/dismissed.h), nothing on the bus. */
static void dismiss_match(struct board *b)
{
	uint8_t found[RAKSHA_UUID_LEN], report[RAKSHA_UUID_LEN];
	const struct board_case *c;
	const struct board_match *m = best_match(b, found, report, &c);
	if (m == NULL)
		return;
	int r = dismissed_put(b->c->database, found, report);
	if (r < 0)
		board_say(b, true, _("NOT dismissed: %s"), strerror(-r));
	else
		board_say(b, false, _("possible match (score %d) dismissed; the agent takes it in a second"), m->score);
}

/* The best possible match of the case shown, confirmed: a link published,
 * after a y. Nothing is linked otherwise. */
static void confirm_match(struct board *b)
{
	uint8_t found[RAKSHA_UUID_LEN], report[RAKSHA_UUID_LEN];
	const struct board_case *c;
	const struct board_match *m = best_match(b, found, report, &c);
	if (m == NULL)
		return;
	char question[800];
	snprintf(question, sizeof(question), _("Link %s and %s as one child (score %d)? y/n "),
		 c->child && *c->child->name ? c->child->name : _("this case"), *m->name ? m->name : _("the other case"),
		 m->score);
	if (!board_prompt_yes(b, question)) {
		board_say(b, false, "%s", _("nothing sent"));
		return;
	}
	board_say(b, false, "%s", _("sending..."));
	board_draw(b);
	char said[640];
	struct unit_said s;
	int r = unit_pub_link(b->pub, found, report, NULL, &s);
	unit_said_text(&s, said, sizeof(said));
	board_say(b, r <= 0, "%s", said);
}

bool board_keys_common(struct board *b, struct board_key k)
{
	if (k.code && k.ch == KEY_RESIZE)
		return true;  /* the next draw lays the screen out anew */
	if (k.code)
		return false;
	switch (k.ch) {
	case L'a': act(b, ACTION_ACK); return true;
	case L'f': act(b, ACTION_FOUND); return true;
	case L'c': act(b, ACTION_CLOSED); return true;
	case L'm': confirm_match(b); return true;
	case L'd': dismiss_match(b); return true;
	case L'?': board_help_show(b); return true;
	case L'o': board_presence_show(b); return true;
	case 12: clearok(curscr, TRUE); return true;  /* Ctrl-L: the screen was garbled */
	default: return false;
	}
}
