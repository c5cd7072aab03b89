/* The three lines around every screen: the title bar with the counts and
 * the link, the message line with the filter, and the key bar. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_ui.h"

/* Left-aligned @left and right-aligned @right on row @y, @right winning
 * when both do not fit. */
static void two_sides(int y, const char *left, const char *right, attr_t la, attr_t ra)
{
	int cols = COLS, rw = board_text_width(right);
	if (rw > cols)
		rw = cols;
	move(y, 0);
	attrset(la);
	board_text_put(stdscr, left, cols - rw, true);
	attrset(ra);
	board_text_put(stdscr, right, rw, false);
	attrset(A_NORMAL);
}

static void title_bar(struct board *b)
{
	char left[160], right[320], link[160], offline[64] = "";
	attr_t bar = board_theme_attr(PAIR_BAR);
	snprintf(left, sizeof(left), _(" Raksha board · %s"), b->c->id);
	if (!board_text_utf8())
		snprintf(left, sizeof(left), _(" Raksha board - %s"), b->c->id);
	bool up = board_presence_link(b, link, sizeof(link));
	size_t down = board_presence_offline(b);
	if (down > 0)
		snprintf(offline, sizeof(offline), _("offline %zu  "), down);
	int queued = unit_pub_queued(b->pub);
	char waiting[64] = "";
	if (queued > 0)
		snprintf(waiting, sizeof(waiting), _("  queued %d"), queued);
	if (b->db == NULL)
		snprintf(right, sizeof(right), _("no database  %s%s "), link, waiting);
	else
		snprintf(right, sizeof(right), _("open %d  not acked %d  %s%s%s "), b->open, b->unacked,
			 offline, link, waiting);
	two_sides(0, left, right, bar | A_BOLD, up ? bar | A_BOLD : board_theme_attr(PAIR_ALERT));
}

/* What the list is narrowed to, so that nobody takes a filtered list for
 * all there is. */
static void filter_text(const struct board *b, char *out, size_t size)
{
	const struct board_filter *f = &b->filter;
	int n = snprintf(out, size, _("showing %s cases: %zu"), board_status_name(f->status), b->list.total);
	if (f->region[0] && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, _(", region %s"), f->region);
	if (f->agency[0] && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, _(", agency %s"), f->agency);
	if (f->search[0] && n > 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, _(", name '%s'"), f->search);
}

static void message_line(struct board *b)
{
	char filter[400];
	int y = LINES - 2;
	filter_text(b, filter, sizeof(filter));
	move(y, 0);
	if (b->message[0] == '\0') {
		attrset(A_DIM);
		board_text_put(stdscr, filter, COLS, true);
		attrset(A_NORMAL);
		return;
	}
	/* The message first: it is what the officer just did. */
	attrset(b->message_alert ? board_theme_attr(PAIR_ALERT) : board_theme_attr(PAIR_ACKED) | A_BOLD);
	int used = board_text_put(stdscr, b->message, COLS, false);
	attrset(A_DIM);
	if (used + 3 < COLS) {
		board_text_put(stdscr, "   ", 3, false);
		board_text_put(stdscr, filter, COLS - used - 3, true);
	}
	attrset(A_NORMAL);
}

void board_bars_draw(struct board *b, const char *keys)
{
	if (LINES < 3)
		return;
	title_bar(b);
	message_line(b);
	move(LINES - 1, 0);
	attrset(board_theme_attr(PAIR_BAR));
	board_text_put(stdscr, keys, COLS, true);
	attrset(A_NORMAL);
}
