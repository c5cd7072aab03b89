/* Rejected input on a real SQLite file, bounded (agent/store_rejected.c):
 * whose it is, each bound at and one row past its limit, a message refused
 * for its time counted whole, what is not kept counted with its first
 * bytes and said once a minute, room made by a deletion, more senders
 * than have rows, the retention, and a schema 2 database migrated. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/prune.h"
#include "agent/store.h"
#include "common/log.h"
#include "tests/lib/db_text.h"
#include "tests/lib/stderr.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define A_TOPIC "raksha/v1/mp/itarsi/grp/report"
#define B_TOPIC "raksha/v1/mp/bhopal/childline/report"
#define REASON "envelope: not a raksha.v1.Envelope: byte 0"
#define T0 1800000000000LL

static char dir[64];
static char db_path[128];
static uint8_t garbage[5000];
static const struct raksha_problem undecodable = {RAKSHA_CAUSE_UNDECODABLE, REASON};

/* The first column of the first row of @sql, or -1. */
static int64_t number(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v = -1;
	sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_type(q, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static int occurrences(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* What a row of @kept bytes on @topic with REASON costs. */
static int64_t cost(const char *topic, size_t kept)
{
	return (int64_t)(kept + strlen(topic) + strlen(REASON)) + REJECTED_ROW_OVERHEAD;
}

static struct store *fresh(const char *name)
{
	struct store *s = NULL;
	char err[256] = "";
	snprintf(db_path, sizeof(db_path), "%s/%s.db", dir, name);
	if (store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)) < 0) {
		printf("Bail out! cannot open %s: %s\n", db_path, err);
		exit(1);
	}
	return s;
}

static void test_sender(void)
{
	char out[STORE_SENDER_MAX], long_level[300];
	store_sender(A_TOPIC, out);
	is_str(out, "mp/itarsi/grp", "sender: a report topic's state/region/agency");
	store_sender("raksha/v1/mp/itarsi/grp/agent/itarsi-1", out);
	is_str(out, "mp/itarsi/grp", "  an agent topic's too");
	store_sender("raksha/v1/mp/itarsi/grp/not-a-kind/x/y", out);
	is_str(out, "mp/itarsi/grp", "  whatever follows the three levels");
	store_sender("raksha/v1/MP/itarsi/grp/report", out);
	is_str(out, "-", "  a level that is no segment: '-'");
	store_sender("raksha/v1/mp/itarsi", out);
	is_str(out, "-", "  too few levels: '-'");
	store_sender("garbage", out);
	is_str(out, "-", "  outside the tree: '-'");
	memset(long_level, 'a', sizeof(long_level));
	memcpy(long_level, "raksha/v1/", 10);
	long_level[sizeof(long_level) - 1] = '\0';
	store_sender(long_level, out);
	is_str(out, "-", "  a 290-byte level: '-'");
}

/* Each bound at its limit and one row past it. */
static void test_bounds(void)
{
	struct store *s = fresh("bounds");
	int64_t a = cost(A_TOPIC, 1000), b = cost(B_TOPIC, 1000);
	store_rejected_bounds(s, 3 * a, 3 * a + 2 * b);
	for (int i = 0; i < 3; i++)
		is_int(store_rejected(s, A_TOPIC, garbage, 1000, &undecodable, T0 + i), 0,
		       "sender A's rejection %d of 3 is kept", i + 1);
	is_int(number("SELECT bytes FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), 3 * a,
	       "  A is at its bound, exactly (%lld bytes)", (long long)(3 * a));
	struct stderr_catch c;
	char log[4096];
	stderr_catch_begin(&c);
	is_int(store_rejected(s, A_TOPIC, garbage, 1000, &undecodable, T0 + 10), 1,
	       "A's next is over its bound: counted, not kept");
	is_int(store_rejected(s, A_TOPIC, garbage, 4999, &undecodable, T0 + 20), 1, "  and the one after");
	is_int(store_rejected(s, B_TOPIC, garbage, 1000, &undecodable, T0 + 30), 0,
	       "another sender's rejection is still kept");
	is_int(store_rejected(s, B_TOPIC, garbage, 1000, &undecodable, T0 + 31), 0,
	       "  and its second: the total is at its bound, exactly");
	is_int(store_rejected(s, B_TOPIC, garbage, 1, &undecodable, T0 + 32), 1,
	       "  its third, of one byte, is over the total: counted");
	stderr_catch_end(&c, log, sizeof(log));
	is_int(number("SELECT count(*) FROM rejected"), 5, "5 rows kept");
	is_int(number("SELECT dropped FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), 2, "A: 2 not kept");
	is_int(number("SELECT dropped_bytes FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), 5999,
	       "  their sizes summed");
	is_int(number("SELECT first_dropped_ms FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), T0 + 10,
	       "  the first's time");
	is_int(number("SELECT last_dropped_ms FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), T0 + 20,
	       "  the last's time");
	is_int(number("SELECT first_size FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), 1000,
	       "  the first's size");
	is_int(number("SELECT length(first_bytes) FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"),
	       REJECTED_DROPPED_KEEP, "  its first %d bytes", REJECTED_DROPPED_KEEP);
	is_str(db_file_text(db_path, "SELECT first_cause || ' ' || first_topic || ': ' || first_reason FROM rejected_senders"
		    " WHERE sender = 'mp/itarsi/grp'"), "undecodable " A_TOPIC ": " REASON,
	       "  its cause, topic and reason");
	is_int(number("SELECT dropped FROM rejected_senders WHERE sender = 'mp/bhopal/childline'"), 1,
	       "B: 1 not kept");
	ok(strstr(log, "rejected input from mp/itarsi/grp (undecodable on " A_TOPIC ") not kept") != NULL,
	   "the log says so, naming the sender: %.200s", log);
	is_int(occurrences(log, "not kept:"), 1, "  once in the minute for 3 not kept");

	sqlite3_exec(store_db(s), "DELETE FROM rejected WHERE seq = 1", NULL, NULL, NULL);
	is_int(number("SELECT rows FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), 2,
	       "a row deleted (taken, or pruned) leaves its sender 2 rows");
	is_int(number("SELECT bytes FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"), 2 * a,
	       "  and a row's cost less");
	is_int(store_rejected(s, A_TOPIC, garbage, 1000, &undecodable, T0 + 40), 0, "  and A's next is kept again");
	store_close(s);
}

/* A message refused for its time alone is kept whole, and counted so. */
static void test_clock(void)
{
	struct store *s = fresh("clock");
	struct raksha_problem clock = {RAKSHA_CAUSE_CLOCK, REASON};
	int64_t whole = cost(A_TOPIC, 5000);
	store_rejected_bounds(s, whole, 1 << 20);
	is_int(store_rejected(s, A_TOPIC, garbage, 5000, &clock, T0), 0, "a clock rejection of 5000 bytes is kept");
	is_int(number("SELECT length(bytes) FROM rejected"), 5000, "  whole");
	is_int(number("SELECT bytes FROM rejected_senders"), whole, "  and counted whole against the bound");
	struct stderr_catch c;
	char log[4096];
	stderr_catch_begin(&c);
	is_int(store_rejected(s, A_TOPIC, garbage, 10, &clock, T0 + 1), 1, "the next, over the bound, is counted");
	is_int(store_rejected(s, A_TOPIC, garbage, 10, &undecodable, T0 + 2), 1, "  and an undecodable one");
	stderr_catch_end(&c, log, sizeof(log));
	is_int(number("SELECT dropped_clock FROM rejected_senders"), 1, "  1 of cause clock among the 2 not kept");
	ok(strstr(log, "<3>a message refused for its time alone, which cannot now be taken later, from "
		  "mp/itarsi/grp") != NULL, "  said as an error: %.300s", log);
	ok(strstr(log, "<4>rejected input from mp/itarsi/grp") != NULL, "  the other as a warning");
	store_close(s);
}

/* Past REJECTED_SENDERS_MAX senders, new ones are one. */
static void test_many_senders(void)
{
	struct store *s = fresh("senders");
	sqlite3_exec(store_db(s), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1024)"
		     " INSERT INTO rejected_senders (sender, dropped) SELECT 'x/y/' || i, 1 FROM n", NULL, NULL, NULL);
	is_int(store_rejected(s, A_TOPIC, garbage, 100, &undecodable, T0), 0, "with 1024 senders, a new one's is kept");
	is_str(db_file_text(db_path, "SELECT sender FROM rejected"), REJECTED_OTHERS, "  under " REJECTED_OTHERS);
	is_int(number("SELECT count(*) FROM rejected_senders"), 1025, "  one row more, not one per sender");
	store_close(s);
}

/* prune_rejected_after: old rows go, but those waiting for the clock and
 * the newest; old counts go, and senders with nothing left. */
static void test_prune(void)
{
	struct store *s = fresh("prune");
	struct raksha_problem clock = {RAKSHA_CAUSE_CLOCK, REASON};
	store_rejected_bounds(s, cost(A_TOPIC, 100) * 3, 1 << 20);
	store_rejected(s, A_TOPIC, garbage, 100, &undecodable, T0);
	store_rejected(s, A_TOPIC, garbage, 100, &clock, T0 + 1);
	store_rejected(s, A_TOPIC, garbage, 100, &undecodable, T0 + 2);
	store_rejected(s, A_TOPIC, garbage, 100, &undecodable, T0 + 3);  /* counted */
	store_rejected(s, B_TOPIC, garbage, 100, &undecodable, T0 + 1000);
	int64_t rows = -1, counts = -1;
	is_int(prune_rejected(s, T0 + 500, &rows, &counts), 0, "prune what arrived before T0 + 500 ms");
	ok(rows == 2 && counts == 1, "  2 rows and 1 count went (%lld, %lld)", (long long)rows, (long long)counts);
	is_int(number("SELECT count(*) FROM rejected WHERE cause = 'clock'"), 1, "  the clock row stays");
	is_str(db_file_text(db_path, "SELECT rows || '/' || dropped || '/' || coalesce(first_bytes, 'none') FROM rejected_senders"
		    " WHERE sender = 'mp/itarsi/grp'"), "1/0/none", "  with 1 row, nothing counted");
	is_int(prune_rejected(s, T0 + 2000, &rows, &counts), 0, "prune before T0 + 2 s");
	is_int(number("SELECT count(*) FROM rejected"), 2, "  the newest stays (seq is never reused)");
	store_close(s);
}

/* A schema 2 database: its rejected rows get a sender and are counted. */
static void test_migration(void)
{
	snprintf(db_path, sizeof(db_path), "%s/schema2.db", dir);
	sqlite3 *db;
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, "CREATE TABLE rejected (seq INTEGER PRIMARY KEY, received_at_ms INTEGER NOT NULL,"
		     " topic TEXT NOT NULL, cause TEXT NOT NULL, reason TEXT NOT NULL, size INTEGER NOT NULL,"
		     " bytes BLOB NOT NULL);"
		     "INSERT INTO rejected VALUES (1, 1, '" A_TOPIC "', 'undecodable', '" REASON "', 9, zeroblob(9));"
		     "INSERT INTO rejected VALUES (2, 2, '" A_TOPIC "', 'clock', '" REASON "', 7, zeroblob(7));"
		     "INSERT INTO rejected VALUES (3, 3, 'odd/topic', 'bad-topic', '" REASON "', 5, zeroblob(5));"
		     "PRAGMA user_version = 2", NULL, NULL, NULL);
	sqlite3_close(db);
	struct store *s;
	char err[256] = "";
	is_int(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "a schema 2 database opens (%s)", err);
	is_int(number("PRAGMA user_version"), 4, "  at schema 4");
	is_str(db_file_text(db_path, "SELECT group_concat(sender, ' ') FROM (SELECT sender FROM rejected ORDER BY seq)"),
	       "mp/itarsi/grp mp/itarsi/grp -", "  its rows have their senders");
	is_int(number("SELECT bytes FROM rejected_senders WHERE sender = 'mp/itarsi/grp'"),
	       cost(A_TOPIC, 9) + cost(A_TOPIC, 7), "  and are counted");
	is_int(number("SELECT rows FROM rejected_senders WHERE sender = '-'"), 1, "  each against its sender");
	store_rejected_bounds(s, cost(A_TOPIC, 9) + cost(A_TOPIC, 7), 1 << 20);
	is_int(store_rejected(s, A_TOPIC, garbage, 1, &undecodable, T0), 1,
	       "  what was there counts against the bound");
	store_close(s);
	is_int(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "opened again");
	is_int(number("SELECT count(*) FROM rejected_senders"), 2, "  nothing counted twice");
	int64_t bytes = number("SELECT sum(bytes) FROM rejected_senders");
	store_close(s);
	/* Schema 3 to 4: the triggers kept the sums; adding them again would
	 * count every row twice. */
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 3", NULL, NULL, NULL);
	sqlite3_close(db);
	if (!ok(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)) == 0, "a schema 3 database opens (%s)", err))
		return;
	is_int(number("PRAGMA user_version"), 4, "  at schema 4");
	is_int(number("SELECT sum(bytes) FROM rejected_senders"), bytes, "  its rejected rows counted once");
	store_close(s);
}

int main(void)
{
	if (tmpdir_make(dir, "store-rejected") < 0) {
		printf("Bail out! no temporary folder\n");
		return 1;
	}
	memset(garbage, 'g', sizeof(garbage));
	log_init(LOG_STYLE_SERVICE);  /* "<N>": the priorities are seen */
	test_sender();
	test_bounds();
	test_clock();
	test_many_senders();
	test_prune();
	test_migration();
	tmpdir_remove(dir);
	return tap_done();
}
