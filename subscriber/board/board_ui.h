/* What the board's screens share: the state of one board, and the parts
 * that draw and read keys. */
#ifndef RAKSHA_BOARD_UI_H
#define RAKSHA_BOARD_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "agent/config.h"
#include "board/board_case.h"
#include "board/board_cases.h"
#include "board/board_curses.h"
#include "board/board_db.h"
#include "agent/unit_pub.h"
#include "history/presence_list.h"

enum board_view { VIEW_LIST, VIEW_DETAIL };

struct board_detail;

struct board {
	const struct agent_config *c;
	struct board_db *db;           /* NULL until the agent's database is there */
	char waiting[320];             /* why there is no database yet */
	struct unit_pub *pub;
	struct board_filter filter;
	struct board_list list;
	int open, unacked;             /* all open cases, whatever the filter */
	struct presence_list presence; /* every agent's, this one's among them */
	size_t selected, top;          /* the list's cursor and its first row shown, */
	                               /* positions in the whole list (list.total) */
	enum board_view view;
	struct board_detail *detail;   /* while VIEW_DETAIL */
	char message[256];             /* what the last action did, until the next key */
	bool message_alert;
	bool quit;
};

/* A key: a character (@code false) or a KEY_* code (@code true). */
struct board_key {
	bool code;
	wint_t ch;
};

/* True once SIGINT, SIGTERM or SIGHUP asked the board to stop. */
bool board_stopping(void);

/* Draws the whole screen for the current view (board.c). */
void board_draw(struct board *b);

/* Re-reads the list (and the open case) from the database (board.c). */
void board_reload(struct board *b);
/* Reads the list's rows around the screen, after scrolling beyond them. */
void board_reload_span(struct board *b);

/* Sets the message line; @alert draws it as a warning. */
void board_say(struct board *b, bool alert, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The title bar (row 0), the message line and the key bar (the last two
 * rows), with @keys as the help in the key bar (board_bars.c). */
void board_bars_draw(struct board *b, const char *keys);

/* The list of cases (board_list.c). */
void board_list_draw(struct board *b);
void board_list_key(struct board *b, struct board_key k);
/* The rows of the list to read: from *@first, *@count of them, around what
 * the screen shows. */
void board_list_span(const struct board *b, size_t *first, size_t *count);

/* One case in full (board_detail.c). */
int board_detail_open(struct board *b, const uint8_t id[RAKSHA_UUID_LEN]);
void board_detail_reload(struct board *b);
void board_detail_draw(struct board *b);
void board_detail_key(struct board *b, struct board_key k);
void board_detail_close(struct board *b);
/* The case the detail shows, or NULL. */
const uint8_t *board_detail_case(const struct board *b, const char **name);
/* The case the detail shows in full (its links and possible matches), or
 * NULL. */
const struct board_case *board_detail_loaded(const struct board *b);

/* Questions in the key bar (board_prompt.c). board_prompt_text() edits @buf
 * (@size bytes): Enter keeps the text, Esc leaves @buf as it was. */
bool board_prompt_text(struct board *b, const char *label, char *buf, size_t size);
bool board_prompt_yes(struct board *b, const char *question);

/* The keys every screen has: a, f, c, ?, resize (board_keys.c). Returns
 * true if it handled @k. */
bool board_keys_common(struct board *b, struct board_key k);

/* The help screen, until a key is pressed (board_help.c). */
void board_help_show(struct board *b);

/* The agents' presence (board_presence.c): read again from the database;
 * the title's link, the agent's own, into @out (true if up); how many
 * agents are offline; the `o` screen of who is offline and since when. */
void board_presence_reload(struct board *b);
bool board_presence_link(const struct board *b, char *out, size_t size);
size_t board_presence_offline(const struct board *b);
void board_presence_show(struct board *b);

#endif
