/* The agents' presence on the board: the title's link is the agent's own,
 * as its presence in its database says (the agent logs its own status on
 * every change of its link), not the board's connection; `o` shows who is
 * offline now and since when. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_ui.h"
#include "common/text.h"

void board_presence_reload(struct board *b)
{
	struct history_filter all = {0};  /* every agent's presence the database holds */
	if (b->db != NULL && presence_list_update(b->db->db, &all, &b->presence) < 0)
		board_say(b, true, _("cannot read the agents' presence: %s"), sqlite3_errmsg(b->db->db));
}

/* "10:05 am" today, "04 Dec 2026, 10:05 am" before (IST: i18n_date_time()). */
static void short_time(int64_t ms, char *out, size_t size)
{
	int64_t day = (ms / 1000 + 19800) / 86400, today = ((int64_t)time(NULL) + 19800) / 86400;
	if (day == today)
		i18n_time(ms, out, size);
	else
		i18n_date_time(ms, out, size);
}

static const struct presence_agent *own(const struct board *b)
{
	char unit[sizeof(b->presence.agents[0].unit)];
	snprintf(unit, sizeof(unit), "%s/%s/%s", b->c->state, b->c->region, b->c->agency);
	return presence_list_find(&b->presence, unit, b->c->id);
}

bool board_presence_link(const struct board *b, char *out, size_t size)
{
	const struct presence_agent *a = own(b);
	char why[160], when[96];
	if (a == NULL) {  /* an agent that logs no presence of its own: the board's link */
		bool up = unit_pub_connected(b->pub, why, sizeof(why));
		snprintf(out, size, "%s", up ? _("link up") : _("link DOWN"));
		return up;
	}
	short_time(a->since_ms, when, sizeof(when));
	snprintf(out, size, a->online ? _("link up since %s") : _("link DOWN since %s"), when);
	return a->online;
}

size_t board_presence_offline(const struct board *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->presence.n; i++)
		n += !b->presence.agents[i].online;
	return n;
}

static void draw_offline(struct board *b)
{
	char line[800], when[96], id[160], unit[200];
	erase();
	move(0, 1);
	attrset(A_BOLD);
	snprintf(line, sizeof(line), _("Offline now: %zu of %zu agent(s), the longest first"),
		 board_presence_offline(b), b->presence.n);
	board_text_put(stdscr, line, COLS - 2, false);
	attrset(A_NORMAL);
	int y = 2;
	for (size_t i = 0; i < b->presence.n && y < LINES - 1; i++) {
		const struct presence_agent *a = &b->presence.agents[i];
		if (a->online)
			continue;
		short_time(a->since_ms, when, sizeof(when));
		text_escape(a->id, id, sizeof(id));  /* names from topics, made safe */
		text_escape(a->unit, unit, sizeof(unit));
		snprintf(line, sizeof(line), _("%-32s %-28s since %s"), id, unit, when);
		move(y++, 1);
		attrset(board_theme_attr(PAIR_ALERT));
		board_text_put(stdscr, line, COLS - 2, false);
	}
	attrset(A_NORMAL);
	move(LINES - 1, 1);
	board_text_put(stdscr, _("Any key: back."), COLS - 2, false);
	refresh();
}

void board_presence_show(struct board *b)
{
	presence_list_sort(&b->presence);
	while (!board_stopping()) {
		draw_offline(b);
		wint_t ch;
		int r = get_wch(&ch);
		if (r != ERR && !(r == KEY_CODE_YES && ch == KEY_RESIZE))
			return;
	}
}
