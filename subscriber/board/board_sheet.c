#define _XOPEN_SOURCE 700
#include "board/board_sheet.h"
#include "board/board_text.h"

/* Writes @len bytes of @text at the sheet's line, @x columns in. */
static void put(struct sheet *s, int x, const char *text, size_t len, int cols, attr_t attr)
{
	if (s->pad == NULL || cols <= 0)
		return;
	wmove(s->pad, s->row, s->col + x);
	wattrset(s->pad, attr);
	board_text_putn(s->pad, text, len, cols, false);
	wattrset(s->pad, A_NORMAL);
}

/* Lays @text out from column @x on, the later lines from @x too. */
static void wrapped(struct sheet *s, int x, const char *text, attr_t attr)
{
	int cols = s->width - x;
	const char *p = text, *next;
	do {
		size_t n = board_text_wrap(p, cols > 0 ? cols : 1, &next);
		put(s, x, p, n, cols, attr);
		s->row++;
		p = next;
	} while (*p != '\0');
}

void board_sheet_field(struct sheet *s, const char *label, const char *value, attr_t attr)
{
	if (value == NULL || value[0] == '\0')
		return;
	put(s, 0, label, board_text_fit(label, SHEET_LABEL - 1), SHEET_LABEL - 1, A_BOLD);
	wrapped(s, SHEET_LABEL, value, attr);
}

void board_sheet_text(struct sheet *s, const char *text, attr_t attr, int indent)
{
	const char *next;
	size_t n = board_text_wrap(text, s->width, &next);
	put(s, 0, text, n, s->width, attr);
	s->row++;
	if (*next != '\0')
		wrapped(s, indent < s->width ? indent : 0, next, attr);
}

void board_sheet_blank(struct sheet *s)
{
	s->row++;
}
