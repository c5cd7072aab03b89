/* Questions asked in the key bar: a line of text (a name, a region), or
 * yes or no. The screen behind them stays as it was. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>

#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_ui.h"
#include "common/minmax.h"

/* The label and the text typed so far, the end of it in view. */
static void show_line(const char *label, const char *text)
{
	int y = LINES - 1, lw = board_text_width(label);
	move(y, 0);
	attrset(A_BOLD | A_REVERSE);
	board_text_put(stdscr, label, COLS - 1, false);
	attrset(A_NORMAL);
	int room = COLS - 1 - lw;
	const char *p = text;
	while (room > 0 && board_text_width(p) > room)
		board_text_next(&p);  /* scroll: the cursor end matters */
	if (room > 0)
		board_text_put(stdscr, p, room, false);
	clrtoeol();
	int x = lw + (room > 0 ? board_text_width(p) : 0);
	move(y, x < COLS ? x : COLS - 1);
	refresh();
}

/* Waits for a key, quietly through the poll timeouts; false on a signal. */
static bool read_key(struct board_key *k)
{
	while (!board_stopping()) {
		int r = get_wch(&k->ch);
		if (r == ERR)
			continue;
		k->code = r == KEY_CODE_YES;
		return true;
	}
	return false;
}

/* Applies @k to @edit; returns 1 to accept, -1 to cancel, 0 to go on. */
static int edit_key(struct board *b, struct board_key k, char *edit, size_t size)
{
	if (k.code) {
		if (k.ch == KEY_ENTER)
			return 1;
		if (k.ch == KEY_BACKSPACE || k.ch == KEY_DC)
			board_text_backspace(edit);
		if (k.ch == KEY_RESIZE)
			board_draw(b);
		return 0;
	}
	switch (k.ch) {
	case L'\r': case L'\n': return 1;
	case 27: return -1;                               /* Esc */
	case 127: case 8: board_text_backspace(edit); return 0; /* Backspace, ^H */
	case 21: edit[0] = '\0'; return 0;                /* ^U */
	default:
		if (k.ch >= 32)
			board_text_append(edit, size, (uint32_t)k.ch);
		return 0;
	}
}

bool board_prompt_text(struct board *b, const char *label, char *buf, size_t size)
{
	char edit[256];
	size_t room = MIN(sizeof(edit), size);
	snprintf(edit, room, "%s", buf);
	curs_set(1);
	int done = 0;
	struct board_key k;
	while (done == 0) {
		show_line(label, edit);
		done = read_key(&k) ? edit_key(b, k, edit, room) : -1;
	}
	curs_set(0);
	if (done > 0)
		snprintf(buf, size, "%s", edit);
	return done > 0;
}

bool board_prompt_yes(struct board *b, const char *question)
{
	struct board_key k;
	for (;;) {
		move(LINES - 1, 0);
		attrset(board_theme_attr(PAIR_ALERT));
		board_text_put(stdscr, question, COLS, true);
		attrset(A_NORMAL);
		refresh();
		if (!read_key(&k))
			return false;
		if (k.code && k.ch == KEY_RESIZE) {
			board_draw(b);
			continue;
		}
		return !k.code && (k.ch == L'y' || k.ch == L'Y');
	}
}
