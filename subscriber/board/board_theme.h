/* The board's colours: priorities, acknowledgement, warnings. Without
 * colours (a monochrome terminal, TERM=vt100) bold and underline stand in. */
#ifndef RAKSHA_BOARD_THEME_H
#define RAKSHA_BOARD_THEME_H

#include <stdbool.h>

#include "board/board_curses.h"

enum theme_pair {
	PAIR_CRITICAL = 1,
	PAIR_URGENT,
	PAIR_HIGH,
	PAIR_ELEVATED,
	PAIR_ROUTINE,
	PAIR_ACKED,
	PAIR_ALERT,      /* escalations, a link that is down, what failed */
	PAIR_BAR,        /* the title and key bars */
	PAIR_PHOTO_FIRST = 16,  /* from here on, board_photo_draw() hands pairs out */
};

/* Sets the pairs up; call after initscr(). */
void board_theme_init(void);

/* COLORS, or 0 if the terminal has none. */
int board_theme_colors(void);

/* True if -1 (the terminal's own colour) may be used in a pair. */
bool board_theme_default_colors(void);

/* The attribute of @pair: its colour, or what stands in for it. */
attr_t board_theme_attr(enum theme_pair pair);

/* Priority as stored in cases.priority (schemas: higher is more urgent;
 * 0 counts as high): its attribute and its four-letter name. */
attr_t board_theme_priority(int priority);
const char *board_theme_priority_name(int priority);

#endif
