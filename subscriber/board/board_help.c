/* The help screen: every key, and what the colours and marks mean. */
#define _XOPEN_SOURCE 700
#include "board/board_text.h"
#include "common/i18n.h"
#include "board/board_ui.h"

/* TRANSLATORS: the help screen, a line each; keep each within 78 columns. */
static const char *const HELP[] = {
	N_("Raksha board: keys"),
	"",
	N_("Up Down  j k    move through the list; scroll the case"),
	N_("PgUp PgDn       a page;  Home End: first, last"),
	N_("Enter           the case in full: every field, the photo, the timeline"),
	N_("Esc  q          back; in the list q quits, Esc first clears / r g s"),
	N_("a               acknowledge: \"we are on it\" (an Ack, acting, from this unit)"),
	N_("f               record the child FOUND (asks y/n: it ends the case)"),
	N_("c               record the case CLOSED (asks y/n)"),
	N_("m  d            in a case: confirm its best possible match (a link; asks y/n),"),
	N_("                or dismiss it (here only: the agent suggests it no more)"),
	N_("/               only cases with a text in a name or other name (A=a),"),
	N_("                station, train, coach, reporting unit or case id"),
	N_("r  g            only cases reported from a region, an agency"),
	N_("                / r g begin with the one in force; Ctrl-U Enter: all"),
	N_("s               which cases: open, all, found, closed, in turn"),
	N_("o               who is offline now, and since when (the agents' presence)"),
	N_("Ctrl-L          draw the screen again"),
	"",
	N_("Most urgent first (CRIT, URG, HIGH, ELEV, ROUT), then the newest first."),
	N_("Bold, ACK 'no': nobody has acknowledged it.  ACK N: N units have; N*: we too."),
	N_("ESC En: escalated to level n.  AGE: since the agent received the report."),
	N_("FOUND: a found child nobody reported; (found): a found child is linked to it."),
	N_("What you send goes to the outbox first; without a link it waits there and"),
	N_("leaves when the link returns ('queued' in the title bar). The title's link"),
	N_("is the agent's, since when; 'offline N': N agents are offline now."),
	"",
	N_("Any key: back."),
};

static void draw_help(void)
{
	erase();
	int n = (int)(sizeof(HELP) / sizeof(HELP[0]));
	for (int i = 0; i < n && i < LINES; i++) {
		move(i, 1);
		attrset(i == 0 ? A_BOLD : A_NORMAL);
		board_text_put(stdscr, HELP[i][0] ? _(HELP[i]) : "", COLS - 2, false);
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
