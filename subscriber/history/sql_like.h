/* A text searched for as part of a column with SQLite's LIKE: the board's
 * search (board/board_cases.c) and the desk's (desk/desk_find.c). */
#ifndef RAKSHA_HISTORY_SQL_LIKE_H
#define RAKSHA_HISTORY_SQL_LIKE_H

#include <stddef.h>

/* '%@s%' in @out (@size bytes, at least 3), LIKE's wildcards and its
 * escape taken literally: for "LIKE ? ESCAPE '\'". What does not fit is
 * cut. */
void sql_like_pattern(const char *s, char *out, size_t size);

#endif
