/* The agent's SQLite log on a real file: dedup on message_id, the case view
 * (revisions, status, acks, sightings, escalations), rejected payloads,
 * privacy of the file, refusal of damaged or newer databases, and a WAL cut
 * back to 8 MiB after a backlog. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent/store.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

static char db_path[256];

/* Stores sample @kind as mutated by the caller, with a fresh message id. */
static int put(struct store *s, struct sample *sm, int64_t sent_at)
{
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	if (sample_encode(sm, sent_at, &o, &buf, &len) < 0)
		return -100;
	int r = store_envelope(s, sm->topic, &sm->env, buf, len, sent_at + 5);
	free(buf);
	return r;
}

static void test_log_and_view(struct store *s)
{
	struct sample r1, again;
	sample_make(&r1, RAKSHA_KIND_REPORT);
	is_int(put(s, &r1, SAMPLE_NOW_MS), 1, "a new report is stored");
	again = r1;  /* the same bytes again: a redelivery */
	uint8_t *buf;
	size_t len;
	raksha_envelope_encode(&r1.env, r1.topic, &(struct raksha_check_options){.now_ms = SAMPLE_NOW_MS},
			       &buf, &len, NULL);
	is_int(store_envelope(s, r1.topic, &r1.env, buf, len, SAMPLE_NOW_MS + 99), 0,
	       "the same message_id again is not stored twice");
	free(buf);
	(void)again;
	is_str(db_file_text(db_path, "SELECT count(*) FROM messages"), "1", "one row in the log");
	is_str(db_file_text(db_path, "SELECT child_name || '/' || revision || '/' || status FROM cases"),
	       "सीमा कुमारी/1/open", "case view: name, revision 1, open");

	struct sample r2;
	sample_make(&r2, RAKSHA_KIND_REPORT);
	r2.report.revision = 2;
	r2.place.coach = "S5";
	is_int(put(s, &r2, SAMPLE_NOW_MS + 1000), 1, "revision 2 stored");
	is_str(db_file_text(db_path, "SELECT revision || '/' || coach FROM cases"), "2/S5", "revision 2 supersedes 1");
	r1.report.revision = 1;
	r1.place.coach = "OLD";
	put(s, &r1, SAMPLE_NOW_MS + 2000);
	is_str(db_file_text(db_path, "SELECT revision || '/' || coach FROM cases"), "2/S5",
	       "a late revision 1 does not undo revision 2");

	struct sample u;
	sample_make(&u, RAKSHA_KIND_UPDATE);
	is_int(put(s, &u, SAMPLE_NOW_MS + 3000), 1, "update (found) stored");
	is_str(db_file_text(db_path, "SELECT status FROM cases"), "found", "case is found");
	/* Arrival order, not the sender's clock (test-store-owner.c). */
	u.update.status = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED;
	put(s, &u, SAMPLE_NOW_MS + 2500);
	is_str(db_file_text(db_path, "SELECT status FROM cases"), "closed",
	       "an update dated earlier but arriving later is the case's latest word");
	u.update.status = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_REOPENED;
	put(s, &u, SAMPLE_NOW_MS + 4000);
	is_str(db_file_text(db_path, "SELECT status FROM cases"), "open", "reopened: open again");

	struct sample a, sg, e;
	sample_make(&a, RAKSHA_KIND_ACK);
	is_int(put(s, &a, SAMPLE_NOW_MS + 5000), 1, "ack stored");
	is_str(db_file_text(db_path, "SELECT agency || '/' || ack_state FROM acks"), "grp/acting", "ack: who and what");
	sample_make(&sg, RAKSHA_KIND_SIGHTING);
	put(s, &sg, SAMPLE_NOW_MS + 6000);
	put(s, &sg, SAMPLE_NOW_MS + 7000);
	is_str(db_file_text(db_path, "SELECT sightings FROM cases"), "2", "two sightings counted");
	sample_make(&e, RAKSHA_KIND_ESCALATION);
	e.escalation.level = 2;
	put(s, &e, SAMPLE_NOW_MS + 8000);
	e.escalation.level = 1;
	put(s, &e, SAMPLE_NOW_MS + 9000);
	is_str(db_file_text(db_path, "SELECT escalation_level FROM cases"), "2", "escalation level is the highest seen");
	is_str(db_file_text(db_path, "SELECT count(*) FROM cases"), "1", "all of it is one case");
	is_str(db_file_text(db_path, "SELECT group_concat(kind) FROM (SELECT kind FROM messages ORDER BY seq)"),
	       "report,report,report,update,update,update,ack,sighting,sighting,escalation,escalation",
	       "the log keeps arrival order");

	/* An ack that overtook its report makes a case row to be filled in later. */
	struct sample early;
	sample_make(&early, RAKSHA_KIND_ACK);
	early.report_id[15] ^= 0x55;
	put(s, &early, SAMPLE_NOW_MS + 10000);
	is_str(db_file_text(db_path, "SELECT count(*) FROM cases WHERE child_name IS NULL"), "0",
	       "an ack alone does not invent a case");
}

static void test_rejected(struct store *s)
{
	static char big[10000];
	memset(big, 'x', sizeof(big));
	struct raksha_problem p = {RAKSHA_CAUSE_UNDECODABLE, "envelope: not a raksha.v1.Envelope: byte 0"};
	is_int(store_rejected(s, "raksha/v1/mp/bhopal/grp/report", big, sizeof(big), &p, SAMPLE_NOW_MS), 0,
	       "rejected payload stored");
	is_str(db_file_text(db_path, "SELECT cause || '|' || reason || '|' || size || '|' || length(bytes) FROM rejected"),
	       "undecodable|envelope: not a raksha.v1.Envelope: byte 0|10000|4096",
	       "with cause, reason, size, and bytes capped at 4096");
	int64_t m, r;
	is_int(store_counts(s, &m, &r), 0, "counts");
	ok(m == 12 && r == 1, "counts: 12 messages, 1 rejected (got %lld, %lld)", (long long)m, (long long)r);
}

static void test_open_failures(const char *dir)
{
	char path[300], err[256] = "";
	struct store *s;
	snprintf(path, sizeof(path), "%s/garbage.db", dir);
	FILE *f = fopen(path, "w");
	fputs("this is not an SQLite database, just bytes that look like nothing at all", f);
	fclose(f);
	is_int(store_open(path, DURABILITY_POWER, &s, err, sizeof(err)), -EIO, "a non-database is refused");
	ok(strstr(err, "not a database") != NULL, "  and says so: %s", err);

	snprintf(path, sizeof(path), "%s/open.db", dir);
	fclose(fopen(path, "w"));
	chmod(path, 0644);
	is_int(store_open(path, DURABILITY_POWER, &s, err, sizeof(err)), 0, "an existing empty file is taken");
	store_close(s);
	struct stat st;
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "  and made private (0600)");

	snprintf(path, sizeof(path), "%s/newer.db", dir);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	is_int(store_open(path, DURABILITY_CRASH, &s, err, sizeof(err)), -EIO, "a newer schema is refused");
	ok(strstr(err, "made by a newer raksha-agent (schema 99") != NULL, "  and says so: %s", err);
}

/* The count of @sql as another process sees it: the sqlite3 shell, a
 * program of its own (a forked child would share this one's SQLite state). */
static int count_elsewhere(const char *sql)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' '%s'", db_path, sql);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p == NULL || fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p != NULL)
		pclose(p);
	return n;
}

/* The agent opens the file twice (ingestion and the escalator). Opening
 * the second must not drop the first's locks: another process that then
 * reads and closes would think itself alone and delete the WAL under it. */
static void test_second_connection(struct store *s)
{
	struct store *other;
	char err[256] = "", wal[300];
	is_int(store_open(db_path, DURABILITY_POWER, &other, err, sizeof(err)), 0,
	       "a second connection in the same process (%s)", err);
	int before = count_elsewhere("SELECT count(*) FROM messages");
	struct sample sm;
	sample_make(&sm, RAKSHA_KIND_REPORT);
	is_int(put(s, &sm, SAMPLE_NOW_MS), 1, "stored after another process read and closed");
	is_int(count_elsewhere("SELECT count(*) FROM messages"), before + 1,
	       "  another process sees it at once");
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	ok(access(wal, F_OK) == 0, "  the WAL file is still there");
	store_close(other);
}

/* The statements run on a connection, as SQLite traces them. */
static char traced[4096];

static int trace(unsigned type, void *ctx, void *stmt, void *sql)
{
	(void)type;
	(void)ctx;
	(void)sql;
	char *expanded = sqlite3_expanded_sql(stmt);
	if (expanded != NULL && strlen(traced) + strlen(expanded) + 2 < sizeof(traced)) {
		strcat(traced, expanded);
		strcat(traced, ";");
	}
	sqlite3_free(expanded);
	return 0;
}

static int steps_called;

static int insert_note(struct store *s, void *ctx)
{
	steps_called++;
	int fail = *(const int *)ctx;
	if (sqlite3_exec(store_db(s), "INSERT INTO meta VALUES ('test_note', 1)", NULL, NULL, NULL) != SQLITE_OK)
		return -EIO;
	return fail ? -EPROTO : 0;
}

/* store_transaction(): commits what its steps did; rolls back when they
 * fail; and when its BEGIN fails (the write lock held elsewhere) calls no
 * step and rolls nothing back, for a ROLLBACK then would end a transaction
 * that is not its own. The escalator's levels and scans, the journal's
 * batches and passes and the retention all go through it. */
static void test_transaction(struct store *s)
{
	sqlite3_trace_v2(store_db(s), SQLITE_TRACE_STMT, trace, NULL);
	int fail = 1;
	steps_called = 0;
	traced[0] = '\0';
	is_int(store_transaction(s, insert_note, &fail), -EPROTO, "steps that fail: their error");
	ok(strstr(traced, "ROLLBACK") != NULL, "  rolled back");
	is_str(db_file_text(db_path, "SELECT count(*) FROM meta WHERE key = 'test_note'"), "0", "  nothing kept");
	sqlite3 *holder;
	sqlite3_open(db_path, &holder);
	sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(store_db(s), 50);
	fail = 0;
	steps_called = 0;
	traced[0] = '\0';
	is_int(store_transaction(s, insert_note, &fail), -EIO, "BEGIN fails (the write lock is taken): -EIO");
	is_int(steps_called, 0, "  no step runs");
	ok(strstr(traced, "BEGIN") != NULL && strstr(traced, "ROLLBACK") == NULL,
	   "  and nothing is rolled back: %s", traced);
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
	sqlite3_busy_timeout(store_db(s), 5000);
	is_int(store_transaction(s, insert_note, &fail), 0, "steps that succeed: 0");
	is_str(db_file_text(db_path, "SELECT count(*) FROM meta WHERE key = 'test_note'"), "1", "  committed");
	sqlite3_exec(store_db(s), "DELETE FROM meta WHERE key = 'test_note'", NULL, NULL, NULL);
	sqlite3_trace_v2(store_db(s), 0, NULL, NULL);
}

/* How many statements @s's connection has prepared. */
static int statements(struct store *s)
{
	int n = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(store_db(s), NULL); st != NULL; st = sqlite3_next_stmt(store_db(s), st))
		n++;
	return n;
}

/* Whether @st is one of @s's connection's statements. */
static bool prepared(struct store *s, sqlite3_stmt *st)
{
	for (sqlite3_stmt *p = sqlite3_next_stmt(store_db(s), NULL); p != NULL; p = sqlite3_next_stmt(store_db(s), p))
		if (p == st)
			return true;
	return false;
}

/* store_cached(): the escalator's statements for each stored message,
 * prepared once per connection and given back ready for the next use, not
 * left holding a read; past STORE_CACHED_MAX, prepared for one use. */
static void test_cached(struct store *s)
{
	static const char sql[] = "SELECT count(*) FROM messages WHERE seq > ?1";
	sqlite3_stmt *st = store_cached(s, sql);
	ok(st != NULL, "a cached statement is prepared");
	sqlite3_bind_int64(st, 1, 0);
	is_int(sqlite3_step(st), SQLITE_ROW, "  and runs");
	ok(sqlite3_stmt_busy(st), "  (a read in progress)");
	store_cached_done(s, st);
	ok(!sqlite3_stmt_busy(st), "  given back, it holds no read (a checkpoint can reach the WAL's end)");
	ok(prepared(s, st), "  and stays prepared");
	int n = statements(s);
	ok(store_cached(s, sql) == st && statements(s) == n, "the same SQL again: the same statement, not prepared again");
	is_int(sqlite3_step(st), SQLITE_ROW, "  its bindings cleared: it runs with ?1 NULL");
	is_int(sqlite3_column_int(st, 0), 0, "  (seq > NULL: nothing)");
	store_cached_done(s, st);
	static char more[STORE_CACHED_MAX + 1][48];
	sqlite3_stmt *last = NULL;
	for (int i = 0; i <= STORE_CACHED_MAX; i++) {
		snprintf(more[i], sizeof(more[i]), "SELECT %d FROM meta", i);
		last = store_cached(s, more[i]);
		store_cached_done(s, last);
	}
	int before = statements(s);
	sqlite3_stmt *extra = store_cached(s, more[STORE_CACHED_MAX]);
	ok(last != NULL && extra != NULL, "past STORE_CACHED_MAX, a statement is still prepared");
	store_cached_done(s, extra);
	is_int(statements(s), before, "  for one use: finalized when given back");
	ok(store_cached(s, "SELECT nonsense FROM") == NULL, "SQL that does not prepare: NULL");
}

static long long wal_bytes(void)
{
	char wal[300];
	struct stat st;
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	return stat(wal, &st) == 0 ? (long long)st.st_size : -1;
}

/* SQLite keeps a WAL at its largest unless told: after a backlog the
 * agent's stayed at tens of MiB for good (bench/soak.sh). Cut back to
 * 8 MiB once a checkpoint lets the WAL start again. */
static void test_wal_cut_back(struct store *s)
{
	sqlite3 *db = store_db(s);
	int rc = sqlite3_exec(db, "CREATE TABLE pad (x); BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
			      " SELECT i + 1 FROM n WHERE i < 12) INSERT INTO pad SELECT zeroblob(1048576) FROM n;"
			      " COMMIT", NULL, NULL, NULL);
	is_int(rc, SQLITE_OK, "12 MiB in one transaction");
	ok(wal_bytes() > 12 << 20, "  the WAL holds them (%lld bytes)", wal_bytes());
	/* A checkpoint, then a write, twice: the first write after the big
	 * one still finds it being copied; the second starts the WAL again. */
	sqlite3_exec(db, "DROP TABLE pad", NULL, NULL, NULL);
	for (int i = 0; i < 2; i++) {
		store_checkpoint(s);
		sqlite3_exec(db, "INSERT OR REPLACE INTO meta VALUES ('test_wal', 1)", NULL, NULL, NULL);
	}
	ok(wal_bytes() <= 8 << 20, "after checkpoints and writes, the WAL is cut back to 8 MiB (%lld bytes)",
	   wal_bytes());
	sqlite3_exec(db, "DELETE FROM meta WHERE key = 'test_wal'", NULL, NULL, NULL);
}

int main(void)
{
	char dir[] = "/tmp/raksha-store-XXXXXX", err[256] = "";
	ok(mkdtemp(dir) != NULL, "temporary folder");
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	struct store *s;
	is_int(store_open(db_path, DURABILITY_POWER, &s, err, sizeof(err)), 0, "open a new database (%s)", err);
	struct stat st;
	ok(stat(db_path, &st) == 0 && (st.st_mode & 0777) == 0600, "the database is private (0600)");
	is_str(db_file_text(db_path, "PRAGMA journal_mode"), "wal", "WAL journal");
	test_log_and_view(s);
	test_rejected(s);
	test_second_connection(s);
	test_transaction(s);
	test_cached(s);
	test_wal_cut_back(s);
	store_close(s);
	is_int(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "reopen");
	int64_t m = 0, r = 0;
	store_counts(s, &m, &r);
	ok(m == 13 && r == 1, "everything is still there after reopening");
	store_close(s);
	test_open_failures(dir);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
