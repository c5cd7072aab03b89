/* Local replay: the selection, then (--follow) whatever the agent commits
 * after it, noticed through PRAGMA data_version. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/log.h"
#include "replay/replay.h"

#define FOLLOW_POLL_MS 250

volatile sig_atomic_t replay_stop;

struct printer {
	const struct args *a;
	int64_t last_seq;
	struct raksha_envelope_arena *arena;  /* every row's decode, one after another */
};

static int print(void *ctx, const struct history_row *row)
{
	struct printer *p = ctx;
	if (replay_stop)
		return 1;
	p->last_seq = row->seq;
	return output_row(stdout, p->a->format, row, p->arena);
}

int replay_open_db(const struct args *a, sqlite3 **db)
{
	char err[256];
	int r = history_open(a->db, db, err, sizeof(err));
	if (r == 0)
		return 0;
	log_line(LOG_ERR, "raksha-replay: %s: %s", a->db, err);
	return r == -ENOENT ? EX_NOINPUT : EX_DATAERR;
}

static int64_t data_version(sqlite3 *db)
{
	sqlite3_stmt *q;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* The newest seq of the table @f reads (0 if empty). */
static int64_t newest_seq(sqlite3 *db, const struct history_filter *f)
{
	sqlite3_stmt *q;
	int64_t v = 0;
	if (sqlite3_prepare_v2(db, f->rejected ? "SELECT max(seq) FROM rejected" : "SELECT max(seq) FROM messages",
			       -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int follow(sqlite3 *db, struct history_filter f, struct printer *p)
{
	int64_t seen = data_version(db);
	const struct timespec pause = {0, FOLLOW_POLL_MS * 1000000L};
	while (!replay_stop) {
		nanosleep(&pause, NULL);
		int64_t v = data_version(db);
		if (v == seen)
			continue;
		seen = v;
		f.after_seq = p->last_seq;
		int64_t n = history_each(db, &f, print, p);
		if (n < 0)
			return n == -EIO ? EX_IOERR : EX_SOFTWARE;
		if (fflush(stdout) != 0) {
			log_line(LOG_ERR, "raksha-replay: cannot write the output");
			return EX_IOERR;
		}
	}
	return EX_OK;
}

int replay_local(const struct args *a)
{
	sqlite3 *db;
	int r = replay_open_db(a, &db);
	if (r != 0)
		return r;
	/* Without an arena (out of memory) each row takes malloc's way. */
	struct printer p = {.a = a, .arena = raksha_envelope_arena_new()};
	/* --follow goes on after what is there now, not after the last row
	 * printed: --limit may have left older rows out, and they are not new. */
	int64_t start = a->follow ? newest_seq(db, &a->filter) : 0;
	/* A case's history shows what the agent refused of it, unless it
	 * follows: that goes on by the messages' seq. */
	struct history_filter once = a->filter;
	once.with_refused = once.has_report && !a->follow;
	if (once.with_refused && !history_refused_by_case(db)) {
		log_line(LOG_NOTICE, "raksha-replay: %s: older than schema 4, its rejected store does not say"
			 " which case a refused change was for: the case without its refused changes", a->db);
		once.with_refused = false;
	}
	int64_t n = history_each(db, &once, print, &p);
	fflush(stdout);
	if (n < 0) {
		log_line(LOG_ERR, "raksha-replay: %s", n == -EIO ? "cannot write the output, or read "
			 "the database" : strerror((int)-n));
		r = EX_IOERR;
	} else if (a->follow) {
		struct history_filter f = a->filter;
		f.limit = 0;
		if (p.last_seq < start)
			p.last_seq = start;
		r = follow(db, f, &p);
	}
	raksha_envelope_arena_free(p.arena);
	sqlite3_close(db);
	return r;
}
