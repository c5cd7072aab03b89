/* The detail view's text, laid out in lines of a pad that scrolls. Laid
 * out twice: once without a pad to count the lines (the pad's height),
 * once into it. */
#ifndef RAKSHA_BOARD_SHEET_H
#define RAKSHA_BOARD_SHEET_H

#include "board/board_curses.h"

struct sheet {
	WINDOW *pad;   /* NULL: only count the lines */
	int row;       /* the next line */
	int col;       /* the left edge of the text */
	int width;     /* columns from there */
};

/* Columns of the labels in front of fields. */
#define SHEET_LABEL 12

/* "Label       value", the value wrapped under itself; nothing for an
 * empty value. */
void board_sheet_field(struct sheet *s, const char *label, const char *value, attr_t attr);

/* A paragraph wrapped in the width, its later lines indented by @indent. */
void board_sheet_text(struct sheet *s, const char *text, attr_t attr, int indent);

void board_sheet_blank(struct sheet *s);

#endif
