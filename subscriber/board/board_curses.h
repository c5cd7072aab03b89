/* ncursesw for the board's files. Its pkg-config flags (-D_XOPEN_SOURCE=600
 * -D_DEFAULT_SOURCE) are left out of the build, because they would reach
 * every file of raksha-agent and clash with the feature macros those define;
 * so each board file that draws defines _XOPEN_SOURCE itself, before any
 * include, which is what turns on the wide-character API (cchar_t,
 * get_wch, waddnwstr) and wcwidth(). */
#ifndef RAKSHA_BOARD_CURSES_H
#define RAKSHA_BOARD_CURSES_H

#if !defined(_XOPEN_SOURCE) || _XOPEN_SOURCE < 500
#error "define _XOPEN_SOURCE 700 before the first include"
#endif

#include <curses.h>

#endif
