/* The help screen: every key, and what the colours and marks mean. */
#define _XOPEN_SOURCE 700
#include "board/board_text.h"
#include "board/board_ui.h"

static const char *const HELP[] = {
	"Raksha board: keys",
	"",
	"Up Down  j k    move through the list; scroll the case",
	"PgUp PgDn       a page;  Home End: first, last",
	"Enter           the case in full: every field, the photo, the timeline",
	"Esc  q          back; in the list q quits, Esc first clears / r g s",
	"a               acknowledge: \"we are on it\" (an Ack, acting, from this unit)",
	"f               record the child FOUND (asks y/n: it ends the case)",
	"c               record the case CLOSED (asks y/n)",
	"/               only cases with a text in a name or other name (A=a),",
	"                station, train, coach, reporting unit or case id",
	"r  g            only cases reported from a region, an agency",
	"                / r g begin with the one in force; Ctrl-U Enter: all",
	"s               which cases: open, all, found, closed, in turn",
	"o               who is offline now, and since when (the agents' presence)",
	"Ctrl-L          draw the screen again",
	"",
	"Most urgent first (CRIT, URG, HIGH, ELEV, ROUT), then the newest first.",
	"Bold, ACK 'no': nobody has acknowledged it.  ACK N: N units have; N*: we too.",
	"ESC En: escalated to level n.  AGE: since the agent received the report.",
	"What you send goes to the outbox first; without a link it waits there and",
	"leaves when the link returns ('queued' in the title bar). The title's link",
	"is the agent's, since when; 'offline N': N agents are offline now.",
	"",
	"Any key: back.",
};

static void draw_help(void)
{
	erase();
	int n = (int)(sizeof(HELP) / sizeof(HELP[0]));
	for (int i = 0; i < n && i < LINES; i++) {
		move(i, 1);
		attrset(i == 0 ? A_BOLD : A_NORMAL);
		board_text_put(stdscr, HELP[i], COLS - 2, false);
	}
	attrset(A_NORMAL);
	refresh();
}

void board_help_show(struct board *b)
{
	(void)b;
	while (!board_stopping()) {
		draw_help();
		wint_t ch;
		int r = get_wch(&ch);
		if (r != ERR && !(r == KEY_CODE_YES && ch == KEY_RESIZE))
			return;
	}
}
