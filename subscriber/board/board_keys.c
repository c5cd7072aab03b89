/* The keys of every screen: acknowledge, found, closed, help. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>

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
		board_say(b, true, "no case chosen");
		return;
	}
	/* Found and closed end the case on every board of the state: asked. */
	if (action != ACTION_ACK) {
		char question[300];
		snprintf(question, sizeof(question), "Record %s %s? This ends the case everywhere. y/n ",
			 name, action == ACTION_FOUND ? "FOUND" : "CLOSED");
		if (!board_prompt_yes(b, question)) {
			board_say(b, false, "nothing sent");
			return;
		}
	}
	uint8_t copy[RAKSHA_UUID_LEN];  /* a reload while sending may free the row */
	memcpy(copy, id, sizeof(copy));
	board_say(b, false, "sending...");
	board_draw(b);
	char said[256];
	int r = unit_pub_send(b->pub, action, copy, NULL, said, sizeof(said));
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
	case L'?': board_help_show(b); return true;
	case L'o': board_presence_show(b); return true;
	case 12: clearok(curscr, TRUE); return true;  /* Ctrl-L: the screen was garbled */
	default: return false;
	}
}
