/* The board's life: terminal, database, link, and the loop that keeps the
 * screen up to date with what the agent writes. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "common/i18n.h"
#include "board/board.h"
#include "board/board_clock.h"
#include "board/board_text.h"
#include "board/board_theme.h"
#include "board/board_ui.h"
#include "common/clock.h"
#include "common/log.h"

/* How often the database is asked whether the agent wrote (and the ages
 * on the screen move on). */
#define POLL_MS 500

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

bool board_stopping(void)
{
	return stop_signal != 0;
}

/* No SA_RESTART: a signal wakes the key read at once. The signals are
 * blocked while paho's threads are made, so that they reach this one. */
static void catch_signals(sigset_t *set)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigemptyset(set);
	int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(set, sigs[i]);
	}
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

void board_say(struct board *b, bool alert, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->message, sizeof(b->message), fmt, ap);
	va_end(ap);
	b->message_alert = alert;
}

/* Opens the database once it is there; says why not until then. */
static void find_database(struct board *b)
{
	char err[256];
	int r = board_db_open(b->c->database, &b->db, err, sizeof(err));
	if (r == 0) {
		b->waiting[0] = '\0';
		return;
	}
	b->db = NULL;
	snprintf(b->waiting, sizeof(b->waiting), "%s %s: %s", r == -ENOENT || r == -EAGAIN ?
		 _("Waiting for the agent's database") : _("Cannot read the database"), b->c->database,
		 r == -ENOENT ? _("not there yet (is raksha-agent running?)") : err);
}

/* Keeps the cursor on the same case when rows come and go. */
static void keep_selection(struct board *b, const uint8_t *was)
{
	const struct board_list *l = &b->list;
	for (size_t i = 0; was != NULL && i < l->n; i++) {
		if (memcmp(l->rows[i].report_id, was, RAKSHA_UUID_LEN) == 0) {
			b->selected = l->first + i;
			return;
		}
	}
	if (b->selected >= l->total)
		b->selected = l->total ? l->total - 1 : 0;
}

/* Reads the rows around the screen; with @recount also their count, as
 * after a commit or a new filter. */
static void load_list(struct board *b, bool recount)
{
	uint8_t was[RAKSHA_UUID_LEN];
	const struct board_row *cursor = board_cases_at(&b->list, b->selected);
	if (cursor != NULL)
		memcpy(was, cursor->report_id, RAKSHA_UUID_LEN);
	const struct agent_config *c = b->c;
	struct board_unit me = {c->state, c->region, c->agency};
	size_t first, count;
	board_list_span(b, &first, &count);
	int r = recount ? board_cases_load(b->db->db, &b->filter, &me, first, count, &b->list)
			: board_cases_move(b->db->db, &b->filter, &me, first, count, &b->list);
	if (r < 0)
		board_say(b, true, _("cannot read the cases: %s"), sqlite3_errmsg(b->db->db));
	keep_selection(b, cursor != NULL ? was : NULL);
}

void board_reload(struct board *b)
{
	if (b->db == NULL)
		return;
	load_list(b, true);
	board_cases_counts(b->db->db, &b->open, &b->unacked);
	board_presence_reload(b);
	if (b->view == VIEW_DETAIL)
		board_detail_reload(b);
}

void board_reload_span(struct board *b)
{
	if (b->db != NULL)
		load_list(b, false);
}

/* Re-reads what the agent changed since the last look. */
static void refresh_data(struct board *b)
{
	if (b->db == NULL)
		find_database(b);
	if (b->db == NULL)
		return;
	int changed = board_db_changed(b->db);
	if (changed < 0) {  /* replaced or damaged under us: start again */
		board_db_close(b->db);
		b->db = NULL;
		board_cases_free(&b->list);
		presence_list_free(&b->presence);  /* read again from the start */
		return;
	}
	if (changed)
		board_reload(b);
}

void board_draw(struct board *b)
{
	erase();
	if (b->view == VIEW_DETAIL) {
		board_detail_draw(b);
		return;  /* it refreshes the screen itself: its pad lies over stdscr */
	}
	board_list_draw(b);
	board_bars_draw(b, _("Enter:open a:ack f:found c:close /:find r:region g:agency s:status ?:help"
			     " q:quit"));
	refresh();
}

static void handle_key(struct board *b, struct board_key k)
{
	b->message[0] = '\0';  /* a message stays until the officer moves on */
	if (board_keys_common(b, k))
		return;
	if (b->view == VIEW_DETAIL)
		board_detail_key(b, k);
	else
		board_list_key(b, k);
}

static void run_loop(struct board *b)
{
	while (!b->quit && !board_stopping()) {
		refresh_data(b);
		unit_pub_tick(b->pub, clock_wall_ms());
		board_draw(b);
		struct board_key k;
		int r = get_wch(&k.ch);
		if (r == ERR)
			continue;  /* the poll interval passed, or a signal */
		k.code = r == KEY_CODE_YES;
		handle_key(b, k);
	}
}

/* The sysexits code for unit_pub_open()'s error @r (board.h). */
static int pub_exit_code(int r)
{
	switch (r) {
	case -EINVAL: return EX_CONFIG;
	case -ENOKEY: return EX_NOINPUT;
	case -ENOMEM: return EX_OSERR;
	case -EIO: return EX_UNAVAILABLE;
	default: return EX_CANTCREAT;
	}
}

/* The catalogs, and the language the environment asks for (LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG: common/i18n.h), read by the board itself so
 * that Hindi works where the hi_IN locale was never generated. */
static void board_language(void)
{
	char err[512];
	if (i18n_init(i18n_localedir(), err, sizeof(err)) == -EINVAL)
		log_line(LOG_WARNING, "raksha-agent board: %s; that language is English", err);
	i18n_use(i18n_pick_env());
}

/* newterm(), unlike initscr(), returns when the terminal type is unknown. */
static SCREEN *start_screen(void)
{
	SCREEN *s = newterm(NULL, stdout, stdin);
	if (s == NULL)
		return NULL;
	set_term(s);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(50);  /* Esc answers at once; arrow keys still arrive whole */
	timeout(POLL_MS);
	board_theme_init();
	return s;
}

int board_run(const struct agent_config *c)
{
	setlocale(LC_ALL, "");
	board_text_init();
	board_language();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		log_line(LOG_ERR, "raksha-agent board: needs a terminal");
		return EX_USAGE;
	}
	sigset_t set;
	catch_signals(&set);
	struct board b = {.c = c};
	char err[300];
	int r = unit_pub_open(c, "board", &b.pub, err, sizeof(err));
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (r < 0) {
		log_line(LOG_ERR, "raksha-agent board: %s", err);
		return pub_exit_code(r);
	}
	SCREEN *screen = start_screen();
	if (screen == NULL) {
		unit_pub_close(b.pub);
		const char *term = getenv("TERM");
		log_line(LOG_ERR, "raksha-agent board: unknown terminal type '%s'", term ? term : "");
		return EX_UNAVAILABLE;
	}
	run_loop(&b);
	endwin();
	delscreen(screen);
	board_detail_close(&b);
	board_cases_free(&b.list);
	presence_list_free(&b.presence);
	board_db_close(b.db);
	unit_pub_close(b.pub);
	i18n_free();
	return EX_OK;
}
