/* The board's list of cases (subscriber/board/board_cases.c) over a real
 * agent database of 6,002 reports stored through the agent's store.c: the
 * oldest, the one with other names, is past the 5,000 the board once read,
 * so its search found nothing (issue 15). Now the search, the filters and
 * the count are SQLite's: it is found by its name, other names, station,
 * train, unit and id; the whole list is counted and paged to its end; LIKE's
 * % and _ in a search are letters. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/raksha.h>

#include "agent/store.h"
#include "board/board_cases.h"
#include "board/board_db.h"
#include "board/board_names.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

#define NEWER 6000
#define DAY_MS (INT64_C(24) * 3600 * 1000)

static const struct board_unit ME = {"mp", "bhopal", "grp"};

/* Stores sample report @sm received at @ms, with a fresh message id. */
static int put(struct store *s, struct sample *sm, int64_t ms)
{
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = ms};  /* as if sent and checked then */
	if (sample_encode(sm, ms, &o, &buf, &len) < 0)
		return -1;
	int r = store_envelope_in(s, sm->topic, &sm->env, buf, len, ms + 5);
	free(buf);
	return r == 1 ? 0 : -1;
}

/* NEWER urgent reports, each newer than the one before, from indore/rpf;
 * one of them, in the middle, named "Ravid_10%". */
static int fill(struct store *s, void *ctx)
{
	(void)ctx;
	for (int i = 0; i < NEWER; i++) {
		struct sample sm;
		char name[32];
		sample_make(&sm, RAKSHA_KIND_REPORT);
		snprintf(name, sizeof(name), i == NEWER / 2 ? "Ravid_10%%" : "Child %d", i);
		sm.child.name = name;
		sm.child.n_other_names = 0;
		sm.place.station_code = "INDB";
		sm.place.train_number = "";
		sm.place.coach = "";
		sm.origin.region = "indore";
		sm.origin.agency = "rpf";
		sm.origin.unit = "RPF Indore";
		snprintf(sm.topic, sizeof(sm.topic), "raksha/v1/mp/indore/rpf/report");
		if (raksha_uuid7(sm.report_id) < 0 || put(s, &sm, SAMPLE_NOW_MS - NEWER + i) < 0)
			return -EIO;
	}
	return 0;
}

/* The sample's Seema, 10 days ago. */
static int oldest(struct store *s, void *ctx)
{
	struct sample *seema = ctx;
	int64_t ms = SAMPLE_NOW_MS - 10 * DAY_MS;
	seema->place.time_ms = ms - 3600 * 1000;
	return put(s, seema, ms);
}

/* The cases the board finds for @search among the open ones: their count,
 * and the name of the first (NULL if none). */
static size_t find(sqlite3 *db, const char *search, struct board_list *l)
{
	struct board_filter f = {.status = SHOW_OPEN};
	snprintf(f.search, sizeof(f.search), "%s", search);
	if (board_cases_load(db, &f, &ME, 0, 10, l) < 0)
		return (size_t)-1;
	return l->total;
}

static void test_search(sqlite3 *db, const char *id_text)
{
	struct board_list l = {0};
	const char *const finds_her[] = {"seemu", "SEEMA KUMARI", "सीमा", "BPL", "12627", "s4", "post bhopal",
					 "bhopal/grp", id_text, id_text + 9};
	for (size_t i = 0; i < sizeof(finds_her) / sizeof(finds_her[0]); i++) {
		is_int((int)find(db, finds_her[i], &l), 1, "the search '%s' finds the oldest case, past 5,000",
		       finds_her[i]);
		ok(l.n == 1 && strcmp(l.rows[0].name, "सीमा कुमारी") == 0, "  and it is सीमा कुमारी (%s)",
		   l.n ? l.rows[0].name : "none");
	}
	is_int((int)find(db, "%", &l), 1, "'%%' is a letter, not LIKE's wildcard: one name has it");
	ok(l.n == 1 && strcmp(l.rows[0].name, "Ravid_10%") == 0, "  Ravid_10%%");
	is_int((int)find(db, "d_1", &l), 1, "'_' is a letter too: 'd_1' finds Ravid_10%% alone, not Child 1...");
	is_int((int)find(db, "hild 1", &l), 1111, "'hild 1' finds Child 1, 10-19, 100-199, 1000-1999");
	ok(l.n == 10 && strcmp(l.rows[0].name, "Child 1999") == 0, "  the newest first, 10 of them read");
	is_int((int)find(db, "nobody", &l), 0, "a name nobody has: none");
	is_int((int)find(db, id_text + 30, &l), 0, "under 8 digits of an id are not searched for as one");
	board_cases_free(&l);
}

static void test_pages(sqlite3 *db)
{
	struct board_list l = {0};
	struct board_filter f = {.status = SHOW_OPEN};
	is_int(board_cases_load(db, &f, &ME, 0, 128, &l), 0, "the open list loads");
	is_int((int)l.total, NEWER + 1, "  all %d open cases are counted", NEWER + 1);
	is_int((int)l.n, 128, "  128 of them read");
	ok(l.n && strcmp(l.rows[0].name, "Child 5999") == 0, "  the newest first (%s)", l.n ? l.rows[0].name : "");
	is_int(board_cases_load(db, &f, &ME, NEWER - 2, 128, &l), 0, "a window at the end");
	is_int((int)l.n, 3, "  has the last 3");
	ok(l.n == 3 && strcmp(l.rows[2].name, "सीमा कुमारी") == 0, "  the oldest last: सीमा कुमारी");
	ok(board_cases_at(&l, NEWER) == &l.rows[2], "  at position %d", NEWER);
	ok(board_cases_at(&l, 0) == NULL && board_cases_at(&l, NEWER + 1) == NULL, "  and no row outside it");
	l.total = 12345;  /* as if counted so: moving the window counts nothing */
	is_int(board_cases_move(db, &f, &ME, 100, 128, &l), 0, "the window moves to position 100");
	ok(l.total == 12345 && l.n == 128 && l.first == 100, "  128 rows read, the count kept (%zu)", l.total);
	ok(strcmp(l.rows[0].name, "Child 5899") == 0, "  from the 101st newest (%s)", l.rows[0].name);
	l.total = NEWER + 1;
	is_int(board_cases_move(db, &f, &ME, 3500, 10, &l), 0, "past the middle the window is read from the end");
	ok(l.n == 10 && strcmp(l.rows[0].name, "Child 2499") == 0 && strcmp(l.rows[9].name, "Child 2490") == 0,
	   "  in the list's order: Child 2499 to 2490 (%s, %s)", l.n ? l.rows[0].name : "", l.n ? l.rows[l.n - 1].name : "");
	is_int(board_cases_move(db, &f, &ME, NEWER - 1, 128, &l), 0, "  and at the end");
	ok(l.n == 2 && strcmp(l.rows[0].name, "Child 0") == 0 && strcmp(l.rows[1].name, "सीमा कुमारी") == 0,
	   "  the last two: Child 0, then सीमा कुमारी");
	snprintf(f.region, sizeof(f.region), "bhopal");
	is_int(board_cases_load(db, &f, &ME, 0, 128, &l), 0, "region bhopal");
	ok(l.total == 1 && l.n == 1, "  only her (%zu)", l.total);
	f = (struct board_filter){.status = SHOW_CLOSED};
	is_int(board_cases_load(db, &f, &ME, 0, 128, &l), 0, "closed cases");
	ok(l.total == 0 && l.n == 0, "  none");
	board_cases_free(&l);
}

/* A board of its own: its names learned only by board_names_warm(). */
static void test_warm(const char *path)
{
	struct board_db *db;
	char err[256] = "";
	is_int(board_db_open(path, &db, err, sizeof(err)), 0, "another board (%s)", err);
	int r, all = 0, calls = 0;
	while ((r = board_names_warm(db->names, 1000, 60000)) > 0 && calls < 100) {
		all += r;
		calls++;
	}
	is_int(r, 0, "warming ends");
	is_int(all, NEWER + 1, "  having decoded every report once, 1,000 at a time");
	is_int(calls, 7, "  in 7 calls");
	is_int(board_names_warm(db->names, 1000, 60000), 0, "  and then has nothing more to do");
	struct board_list l = {0};
	is_int((int)find(db->db, "seemu", &l), 1, "the search then finds her by other name");
	board_db_close(db);
	is_int(board_db_open(path, &db, err, sizeof(err)), 0, "a third board (%s)", err);
	is_int(board_names_warm(db->names, 1000, 0), 0, "  with no time to spend, decodes nothing");
	board_cases_free(&l);
	board_db_close(db);
}

int main(void)
{
	char dir[] = "/tmp/raksha-board-cases-XXXXXX", path[256], err[256] = "", id_text[RAKSHA_UUID_TEXT_LEN + 1];
	ok(mkdtemp(dir) != NULL, "temporary folder");
	snprintf(path, sizeof(path), "%s/agent.db", dir);
	struct store *s;
	is_int(store_open(path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "the agent's database (%s)", err);
	struct sample seema;
	sample_make(&seema, RAKSHA_KIND_REPORT);
	ok(raksha_uuid7(seema.report_id) == 0, "a fresh case id");
	raksha_uuid_format(seema.report_id, id_text);
	is_int(store_transaction(s, oldest, &seema), 0, "the oldest report, urgent, stored");
	is_int(store_transaction(s, fill, NULL), 0, "%d newer urgent reports stored", NEWER);
	store_close(s);
	struct board_db *db;
	is_int(board_db_open(path, &db, err, sizeof(err)), 0, "the board opens it (%s)", err);
	test_pages(db->db);
	test_search(db->db, id_text);
	test_warm(path);
	board_db_close(db);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ok(system(cmd) == 0, "clean up");
	return tap_done();
}
