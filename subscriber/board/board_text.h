/* Text in terminal columns. Names arrive as UTF-8 in any script (Devanagari
 * with its combining vowel signs, wide CJK); the board lays them out by the
 * columns they take, never by bytes, and never cuts a character in two. */
#ifndef RAKSHA_BOARD_TEXT_H
#define RAKSHA_BOARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board/board_curses.h"

/* Learns from the locale (after setlocale()) whether the terminal speaks
 * UTF-8. If it does not, every character outside ASCII is drawn as '?', one
 * column wide: a name cannot be read then, but the layout holds. */
void board_text_init(void);
bool board_text_utf8(void);

/* The next character of the UTF-8 text at *@s, advancing *@s past it. A
 * byte that does not start a valid sequence comes back as U+FFFD, one byte
 * consumed. Returns 0 at the end of the string. */
uint32_t board_text_next(const char **s);

/* Columns the whole of @s takes. */
int board_text_width(const char *s);

/* How many bytes of @s fit in @cols columns, in whole characters: a
 * combining mark stays with the character it belongs to. */
size_t board_text_fit(const char *s, int cols);

/* Where to break @s to show it in lines of @cols columns: returns the bytes
 * of the first line (at the last space that fits, else as many characters as
 * fit) and sets *@next to the start of the rest, spaces skipped. */
size_t board_text_wrap(const char *s, int cols, const char **next);

/* Draws @s at @w's cursor in at most @cols columns, with tab, CR and LF
 * drawn as spaces; with @pad, fills the rest of @cols with spaces. Returns
 * the columns drawn. */
int board_text_put(WINDOW *w, const char *s, int cols, bool pad);

/* As board_text_put(), only the first @len bytes of @s. */
int board_text_putn(WINDOW *w, const char *s, size_t len, int cols, bool pad);

/* Appends @cp as UTF-8 to the string in @buf (@size bytes with its NUL).
 * Returns false, changing nothing, if it does not fit or is not a
 * character. */
bool board_text_append(char *buf, size_t size, uint32_t cp);

/* Removes the last character (with the combining marks after it) of @buf. */
void board_text_backspace(char *buf);

#endif
