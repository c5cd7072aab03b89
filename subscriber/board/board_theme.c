#define _XOPEN_SOURCE 700
#include "common/i18n.h"
#include "board/board_theme.h"
#include "common/minmax.h"

static int colors;
static bool default_colors;

void board_theme_init(void)
{
	if (!has_colors() || start_color() == ERR || COLORS < 8 || COLOR_PAIRS < PAIR_PHOTO_FIRST)
		return;
	colors = COLORS;
	/* The terminal's own background behind the board, where it allows. */
	default_colors = use_default_colors() == OK;
	short bg = default_colors ? -1 : COLOR_BLACK;
	init_pair(PAIR_CRITICAL, COLOR_RED, bg);  /* and bold: the list reverses its PRI cell */
	init_pair(PAIR_URGENT, COLOR_RED, bg);
	init_pair(PAIR_HIGH, COLOR_YELLOW, bg);
	init_pair(PAIR_ELEVATED, COLOR_CYAN, bg);
	init_pair(PAIR_ROUTINE, default_colors ? -1 : COLOR_WHITE, bg);
	init_pair(PAIR_ACKED, COLOR_GREEN, bg);
	init_pair(PAIR_ALERT, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
}

int board_theme_colors(void)
{
	return colors;
}

bool board_theme_default_colors(void)
{
	return default_colors;
}

attr_t board_theme_attr(enum theme_pair pair)
{
	if (colors > 0)
		return COLOR_PAIR(pair) | (pair == PAIR_ALERT ? A_BOLD : 0);
	switch (pair) {
	case PAIR_CRITICAL:
	case PAIR_URGENT:
		return A_BOLD | A_UNDERLINE;
	case PAIR_ALERT:
	case PAIR_BAR:
		return A_REVERSE;
	default:
		return A_NORMAL;
	}
}

static int step(int priority)
{
	/* PRIORITY_UNSPECIFIED is treated as PRIORITY_HIGH (docs/schema.md);
	 * a number from a newer schema counts as the nearest we know. */
	if (priority <= 0)
		return 3;
	return MIN(priority, 5);
}

attr_t board_theme_priority(int priority)
{
	static const enum theme_pair pairs[] = {PAIR_ROUTINE, PAIR_ROUTINE, PAIR_ELEVATED,
						PAIR_HIGH, PAIR_URGENT, PAIR_CRITICAL};
	int p = step(priority);
	return board_theme_attr(pairs[p]) | (p == 5 && colors > 0 ? A_BOLD : 0);
}

const char *board_theme_priority_name(int priority)
{
	/* TRANSLATORS: the list's PRI column: at most 4 columns wide. */
	static const char *const names[] = {N_("HIGH"), N_("ROUT"), N_("ELEV"), N_("HIGH"), N_("URG"), N_("CRIT")};
	return _(names[step(priority)]);
}
