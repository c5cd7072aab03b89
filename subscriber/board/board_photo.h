/* A photo drawn in character cells with chafa, for the case's detail view. */
#ifndef RAKSHA_BOARD_PHOTO_H
#define RAKSHA_BOARD_PHOTO_H

#include <stdbool.h>
#include <stdint.h>

#include "board/board_curses.h"
#include "board/board_image.h"

/* The picture as cells: a symbol (block elements, or ASCII on a terminal
 * that is not UTF-8) and its colours as terminal colour numbers (-1: the
 * terminal's default). */
struct photo {
	int cols, rows;
	uint32_t *symbols;
	short *fg, *bg;
};

/* What the terminal can show: COLORS (0 for none), the colour pairs left
 * for photos, and whether it speaks UTF-8. */
struct photo_terminal {
	int colors, pairs;
	bool utf8;
};

/* Renders @img in at most @max_cols x @max_rows cells, keeping its shape
 * (a cell is about twice as high as it is wide). Colours are foreground and
 * background per cell when the terminal has pairs enough for every cell,
 * else foreground only (a few dozen pairs), else none.
 * Returns 0, -EINVAL (no room, or an empty image) or -ENOMEM. */
int board_photo_render(const struct image *img, int max_cols, int max_rows,
		       const struct photo_terminal *t, struct photo *out);

/* Draws @p with its top left corner at @y, @x of @w, in colour if the
 * terminal has enough colour pairs left (else in its symbols only). */
void board_photo_draw(WINDOW *w, int y, int x, const struct photo *p);

/* Forgets the colour pairs handed out for earlier photos; call before
 * drawing a screen anew. */
void board_photo_reset_pairs(void);

void board_photo_free(struct photo *p);

#endif
