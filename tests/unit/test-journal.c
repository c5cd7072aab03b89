/* The ingest journal (subscriber/journal.c), with and without sync
 * (durability power and crash): what was appended (acknowledged) is stored
 * once, by the committer, or at the next start when a process died before
 * committing it; a torn last record is dropped; what earlier passes over
 * the file left further on, or a journal another database left, is never
 * stored again. A real child process is killed with SIGKILL right after
 * appending. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "agent/journal.h"
#include "agent/journal_record.h"
#include "agent/store.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static char dir[64], db_path[128], journal_path[160];
static int stored_calls;

static long long count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long long n = -1;
	sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void on_stored(void *ctx, const raksha_envelope *env, bool case_drill)
{
	(void)ctx;
	(void)env;
	(void)case_drill;
	stored_calls++;
}

/* @buf's envelope, decoded and checked as the receive thread does. */
static raksha_envelope *checked(const struct sample *s, const uint8_t *buf, size_t len)
{
	raksha_envelope *env = NULL;
	if (raksha_envelope_decode(buf, len, s->topic, NULL, &env, NULL) < 0)
		return NULL;
	return env;
}

/* Appends @n fresh reports and one rejected payload; every other report
 * with its envelope decoded and checked already, as the receive thread
 * appends it, the others as bytes only, as the agent's own presence. */
static int append_some(struct journal *j, int n)
{
	static const struct raksha_problem why = {RAKSHA_CAUSE_UNDECODABLE, "not protobuf"};
	int r = journal_append(j, "raksha/v1/mp/bhopal/grp/report", "\xff\xff", 2, &why, NULL, NULL, SAMPLE_NOW_MS);
	for (int i = 0; r == 0 && i < n; i++) {
		struct sample s;
		sample_make(&s, RAKSHA_KIND_REPORT);
		uint8_t *buf;
		size_t len;
		r = sample_encode(&s, SAMPLE_NOW_MS, NULL, &buf, &len);
		if (r < 0)
			return r;
		raksha_envelope *env = i % 2 ? checked(&s, buf, len) : NULL;
		r = journal_append(j, s.topic, buf, len, NULL, env, NULL, SAMPLE_NOW_MS + i);
		if (r < 0)
			raksha_envelope_free(env);  /* the journal owns it only once appended */
		free(buf);
	}
	return r;
}

static int open_both(bool sync, struct store **s, struct journal **j)
{
	char err[256];
	int r = store_open(db_path, sync ? DURABILITY_POWER : DURABILITY_CRASH, s, err, sizeof(err));
	if (r == 0 && (r = journal_open(journal_path, sync, *s, on_stored, NULL, j, err, sizeof(err))) < 0)
		store_close(*s);
	if (r < 0)
		printf("# %s\n", err);
	return r;
}

/* A child opens the journal, appends @n reports and a rejection, and is
 * killed at once; returns 1 if it was. With @unstored, another connection
 * of the child holds the database's write lock meanwhile, so that its
 * committer stores none of them (it could store all before the kill). */
static int die_after_appending(bool sync, int n, bool unstored)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct store *s;
		struct journal *j;
		sqlite3 *holder = NULL;
		if (open_both(sync, &s, &j) != 0)
			_exit(1);
		if (unstored && (sqlite3_open(db_path, &holder) != SQLITE_OK ||
				 sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK))
			_exit(1);
		if (append_some(j, n) != 0)
			_exit(1);
		raise(SIGKILL);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

static int append_and_die(bool sync, int n)
{
	return die_after_appending(sync, n, false);
}

/* Where the last pass stopped writing: past its records from the committed
 * offset on. */
static off_t pass_end(void)
{
	long long generation = count("SELECT value FROM meta WHERE key = 'journal_generation'");
	off_t at = (off_t)count("SELECT value FROM meta WHERE key = 'journal_offset'");
	int fd = open(journal_path, O_RDONLY);
	uint8_t head[JOURNAL_RECORD_HEAD], *buf;
	size_t len;
	struct journal_record rec;
	while (pread(fd, head, JOURNAL_RECORD_HEAD, at) == JOURNAL_RECORD_HEAD &&
	       (len = journal_record_head_size(head)) > 0 &&
	       (buf = malloc(len)) != NULL) {
		int mine = pread(fd, buf, len, at) == (ssize_t)len && journal_record_parse(buf, len, &rec) == len &&
			   rec.generation == (uint64_t)generation;
		free(buf);
		if (!mine)
			break;
		at += (off_t)len;
	}
	close(fd);
	return at;
}

static void test_commit(bool sync)
{
	struct store *s;
	struct journal *j;
	stored_calls = 0;
	if (!ok(open_both(sync, &s, &j) == 0, "store and journal open"))
		return;
	is_int(append_some(j, 200), 0, "200 reports and a rejected payload appended");
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages"), 200, "all 200 stored by the committer");
	is_int(count("SELECT count(*) FROM rejected"), 1, "the rejection stored once");
	is_int(stored_calls, 200, "each new envelope told once");
	struct stat st;
	stat(journal_path, &st);
	is_int(st.st_mode & 0777, 0600, "the journal is private (0600): child data");
	if (sync)
		ok(st.st_size >= (1 << 20), "sync: the journal was written in full beforehand (%lld bytes)",
		   (long long)st.st_size);
	else
		ok(st.st_size < (1 << 20), "no sync: the journal is as long as what was written (%lld bytes)",
		   (long long)st.st_size);
	ok(count("SELECT value FROM meta WHERE key = 'journal_offset'") > 0,
	   "the committed offset is the end of what was written");
	stored_calls = 0;
	if (!ok(open_both(sync, &s, &j) == 0, "reopened"))
		return;
	journal_close(j);
	store_close(s);
	is_int(stored_calls + count("SELECT count(*) FROM rejected"), 1, "  and nothing stored again");
}

static void test_crash_recovery(bool sync)
{
	long long had = count("SELECT count(*) FROM messages");
	long long rejected = count("SELECT count(*) FROM rejected");
	ok(append_and_die(sync, 500), "a process appended 500 and was killed");
	long long before = count("SELECT count(*) FROM messages") - had;
	printf("# %lld of 500 committed before the kill\n", before);
	/* A torn record where the next would have gone, as a write cut short
	 * would leave. */
	int fd = open(journal_path, O_WRONLY);
	ok(fd >= 0 && pwrite(fd, "\x40\x00\x00\x00garbage", 11, pass_end()) == 11, "a torn record after them");
	close(fd);
	stored_calls = 0;
	struct store *s;
	struct journal *j;
	if (!ok(open_both(sync, &s, &j) == 0, "the next start recovers"))
		return;
	is_int(count("SELECT count(*) FROM messages") - had, 500, "every appended report is stored, once");
	is_int(count("SELECT count(DISTINCT message_id) FROM messages") - had, 500, "  no message twice");
	is_int(count("SELECT count(*) FROM rejected") - rejected, 1, "  the rejection once");
	is_int(stored_calls, 500 - before, "the recovered ones are told at start");
	journal_close(j);
	store_close(s);
}

/* Each start writes from the start of the file again, over the records of
 * earlier passes: a crash early in a pass must not store those. The
 * messages table is emptied by hand so that any such replay would show. */
static void test_old_passes(bool sync)
{
	struct store *s;
	struct journal *j;
	if (open_both(sync, &s, &j) == 0) {
		append_some(j, 300);
		journal_close(j);
		store_close(s);
	}
	count("DELETE FROM messages");
	long long rejected = count("SELECT count(*) FROM rejected");
	ok(append_and_die(sync, 5), "a new pass: 5 reports over the first of 300, and a kill");
	stored_calls = 0;
	if (!ok(open_both(sync, &s, &j) == 0, "the next start"))
		return;
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages"), 5, "stores the 5, none of the earlier pass's 300");
	is_int(count("SELECT count(*) FROM rejected") - rejected, 1, "  and the new pass's rejection only");
}

/* How many journals were set aside as another database's. */
static int orphans(void)
{
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "ls %s.orphan-* 2>/dev/null | wc -l", journal_path);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p == NULL || fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p != NULL)
		pclose(p);
	return n;
}

/* A database made afresh beside an old journal: its records are another
 * database's, never to be stored in this one, nor written over. */
static void test_other_database(void)
{
	ok(append_and_die(false, 50), "a process appended 50 and was killed");
	char cmd[640];
	snprintf(cmd, sizeof(cmd), "rm -f %s %s-wal %s-shm", db_path, db_path, db_path);
	ok(system(cmd) == 0, "its database removed, the journal left");
	struct store *s;
	struct journal *j;
	if (!ok(open_both(false, &s, &j) == 0, "a new database with the old journal opens"))
		return;
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages") + count("SELECT count(*) FROM rejected"), 0,
	       "  and stores nothing of it");
	is_int(orphans(), 1, "  but keeps it, set aside as %s.orphan-MS, not written over", journal_path);
	if (open_both(false, &s, &j) == 0) {
		journal_close(j);
		store_close(s);
	}
	is_int(orphans(), 1, "  and the next start keeps its own journal (nothing more set aside)");
}

/* Stopped while the database cannot store (here another connection holds
 * its write lock; in life, a full disk): the agent still stops, and what
 * it acknowledged is stored at the next start. */
static void test_stop_while_failing(void)
{
	struct store *s;
	struct journal *j;
	sqlite3 *holder;
	long long had = count("SELECT count(*) FROM messages");
	if (!ok(open_both(false, &s, &j) == 0, "open, then another connection takes the write lock"))
		return;
	sqlite3_open(db_path, &holder);
	ok(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK, "  it has it");
	is_int(append_some(j, 10), 0, "10 reports appended (acknowledged)");
	journal_close(j);  /* its commit waits 5 s for the lock, then gives up */
	store_close(s);
	ok(1, "closing returns though nothing could be stored");
	is_int(count("SELECT count(*) FROM messages") - had, 0, "  nothing was");
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
	if (!ok(open_both(false, &s, &j) == 0, "the next start"))
		return;
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages") - had, 10, "  stores the 10");
}

/* A report's record of generation @generation, as the journal writes it. */
static uint8_t *report_record(uint64_t generation, size_t *size)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	uint8_t *buf, *rec = NULL;
	size_t len;
	if (sample_encode(&s, SAMPLE_NOW_MS, NULL, &buf, &len) < 0)
		return NULL;
	*size = journal_record_size(s.topic, len, NULL);
	rec = malloc(*size);
	journal_record_write(rec, generation, s.topic, buf, len, NULL, SAMPLE_NOW_MS);
	free(buf);
	return rec;
}

/* An intact frame (its hash checks) whose fields do not add up. */
static uint8_t *unreadable_record(uint64_t generation, size_t *size)
{
	static const uint8_t key[crypto_shorthash_KEYBYTES] = "raksha journal2";
	uint32_t body = 24 + 4;
	uint8_t *b = calloc(1, JOURNAL_RECORD_HEAD + body);
	uint16_t tl = 999;
	memcpy(b + JOURNAL_RECORD_HEAD, &generation, 8);
	memcpy(b + JOURNAL_RECORD_HEAD + 16, &tl, 2);
	uint64_t h;
	crypto_shorthash((uint8_t *)&h, b + JOURNAL_RECORD_HEAD, body, key);
	memcpy(b, &body, 4);
	memcpy(b + 4, &h, 8);
	*size = JOURNAL_RECORD_HEAD + body;
	return b;
}

/* What a topic of 300 bytes (MQTT allows any length; libraksha refuses it
 * as a bad topic, after it was acknowledged) leaves in the journal, and a
 * record whose fields do not add up: neither ends the recovery, both are
 * rejected rows, and every record after them is stored. */
static void test_records_past_limits(void)
{
	long long had = 0, rejected = 0;  /* a database made afresh (fresh()) */
	pid_t pid = fork();
	if (pid == 0) {
		struct store *s;
		struct journal *j;
		char topic[320];
		memset(topic, 'x', sizeof(topic) - 1);
		topic[sizeof(topic) - 1] = '\0';
		memcpy(topic, "raksha/v1/", 10);
		struct raksha_problem why = {RAKSHA_CAUSE_BAD_TOPIC, "level 3: longer than 32 bytes"};
		if (open_both(false, &s, &j) != 0 || journal_append(j, topic, "x", 1, &why, NULL, NULL, SAMPLE_NOW_MS) != 0 ||
		    append_some(j, 20) != 0)
			_exit(1);
		raise(SIGKILL);
	}
	int status;
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status), "a process appended a message on a 319-byte topic, then 20, and was killed");
	uint64_t generation = (uint64_t)count("SELECT value FROM meta WHERE key = 'journal_generation'");
	size_t bad_size = 0, good_size = 0;
	uint8_t *bad = unreadable_record(generation, &bad_size), *good = report_record(generation, &good_size);
	off_t at = pass_end();
	int fd = open(journal_path, O_WRONLY);
	ok(pwrite(fd, bad, bad_size, at) == (ssize_t)bad_size &&
	   pwrite(fd, good, good_size, at + (off_t)bad_size) == (ssize_t)good_size,
	   "an unreadable record after them, and a report after that");
	close(fd);
	free(bad);
	free(good);
	struct store *s;
	struct journal *j;
	if (!ok(open_both(false, &s, &j) == 0, "the next start"))
		return;
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages") - had, 21, "  stores the 20 and the report past the unreadable record");
	is_int(count("SELECT count(*) FROM rejected") - rejected, 3,
	       "  and three rejections: append_some's, the long topic's, the unreadable record's");
	is_int(count("SELECT max(length(topic)) FROM rejected"), 319, "  the long topic stored whole");
	is_int(count("SELECT count(*) FROM rejected WHERE reason LIKE 'journal record unreadable:%'"), 1,
	       "  the unreadable record named as such");
}

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	while (d != NULL && readdir(d) != NULL)
		n++;
	if (d != NULL)
		closedir(d);
	return n;
}

/* A start whose recovery fails (the database cannot store: here another
 * connection holds its write lock; in life, a full disk) refuses to open,
 * says why, leaves no descriptor open, and loses nothing: the next start
 * stores what the journal held. Recovery runs with the journal's locks
 * made, as the committer later works, and its failure unwinds them all. */
static void test_recovery_fails(void)
{
	long long had = count("SELECT count(*) FROM messages");
	long long rejected = count("SELECT count(*) FROM rejected");
	ok(die_after_appending(false, 20, true), "a process appended 20 and a rejection, stored none, and was killed");
	long long committed = count("SELECT count(*) FROM messages") - had;
	struct store *s;
	struct journal *j = NULL;
	sqlite3 *holder;
	char err[256] = "";
	store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err));
	sqlite3_open(db_path, &holder);
	ok(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK,
	   "another connection takes the write lock");
	int fds = open_fds();
	int r = journal_open(journal_path, false, s, on_stored, NULL, &j, err, sizeof(err));
	ok(r < 0 && j == NULL, "the journal does not open while its recovery cannot store (%d)", r);
	is_str(err, "cannot store what the journal holds: database error", "  and says why");
	is_int(open_fds(), fds, "  no descriptor is left open");
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
	is_int(journal_open(journal_path, false, s, on_stored, NULL, &j, err, sizeof(err)), 0,
	       "the next start opens");
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages") - had, 20, "  and stores the 20 (%lld were before the kill)",
	       committed);
	ok(count("SELECT count(*) FROM rejected") - rejected >= 1, "  and the rejection");
}

/* The stale offset a crash between truncation and reset leaves. */
static void test_stale_offset(void)
{
	struct store *s;
	struct journal *j;
	char err[200];
	long long had = count("SELECT count(*) FROM messages");
	store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err));
	sqlite3_exec(store_db(s), "UPDATE meta SET value = 123456789 WHERE key = 'journal_offset'", NULL,
		     NULL, NULL);
	is_int(journal_open(journal_path, false, s, on_stored, NULL, &j, err, sizeof(err)), 0,
	       "an offset past the end of the journal is nothing to recover");
	is_int(append_some(j, 10), 0, "appending goes on");
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages") - had, 10, "and is stored");
}

/* Under a load that never pauses, the journal still starts again: appends
 * wait at rotate_bytes for the committer to catch up. */
static void test_rotation(void)
{
	struct store *s;
	struct journal *j;
	if (!ok(open_both(false, &s, &j) == 0, "open for rotation"))
		return;
	journal_set_rotate_bytes(j, 16 * 1024);
	long long before = count("SELECT count(*) FROM messages");
	off_t biggest = 0;
	int r = 0;
	for (int i = 0; r == 0 && i < 160; i++) {
		r = append_some(j, 50);
		struct stat st;
		if (stat(journal_path, &st) == 0 && st.st_size > biggest)
			biggest = st.st_size;
	}
	is_int(r, 0, "8,000 reports (8 MB) appended without a pause");
	journal_close(j);
	store_close(s);
	/* At most the threshold, plus what the queue holds (1 MiB) and a batch. */
	ok(biggest < (3 << 20), "the journal stayed small: at most %lld bytes", (long long)biggest);
	is_int(count("SELECT count(*) FROM messages") - before, 8000, "every one stored");
}

/* The receive thread's checked envelope is what the committer stores: its
 * bytes are not decoded a second time (bytes no decoder takes show it). A
 * record read back after a crash holds only bytes: those are decoded and
 * checked again, and refused. */
static void test_checked(void)
{
	struct store *s;
	struct journal *j;
	struct sample sm;
	sample_make(&sm, RAKSHA_KIND_REPORT);
	uint8_t *buf;
	size_t len;
	if (!ok(sample_encode(&sm, SAMPLE_NOW_MS, NULL, &buf, &len) == 0 && open_both(false, &s, &j) == 0,
		"a report, and store and journal open"))
		return;
	stored_calls = 0;
	raksha_envelope *env = checked(&sm, buf, len);
	ok(env != NULL && journal_append(j, sm.topic, "\xff\xff", 2, NULL, env, NULL, SAMPLE_NOW_MS) == 0,
	   "its checked envelope appended with two bytes no decoder takes");
	journal_close(j);
	store_close(s);
	free(buf);
	is_int(count("SELECT count(*) FROM messages"), 1, "  stored as the envelope, not decoded again");
	is_int(stored_calls, 1, "  and told");
	uint64_t generation = (uint64_t)count("SELECT value FROM meta WHERE key = 'journal_generation'");
	size_t size = journal_record_size(sm.topic, 2, NULL);
	uint8_t *rec = malloc(size);
	journal_record_write(rec, generation, sm.topic, "\xff\xff", 2, NULL, SAMPLE_NOW_MS);
	int fd = open(journal_path, O_WRONLY);
	ok(pwrite(fd, rec, size, pass_end()) == (ssize_t)size, "the same record left in the file, as by a crash");
	close(fd);
	free(rec);
	if (!ok(open_both(false, &s, &j) == 0, "the next start"))
		return;
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM rejected WHERE cause = 'undecodable'"), 1,
	       "  decodes its bytes, and refuses them");
	is_int(count("SELECT count(*) FROM messages"), 1, "  nothing more stored");
}

static void fresh(void)
{
	char cmd[640];
	snprintf(cmd, sizeof(cmd), "rm -f %s %s-wal %s-shm %s", db_path, db_path, db_path, journal_path);
	if (system(cmd) != 0)
		exit(1);
}

int main(void)
{
	if (tmpdir_make(dir, "journal") < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	snprintf(journal_path, sizeof(journal_path), "%s/agent.db.ingest", dir);
	for (int sync = 0; sync <= 1; sync++) {
		printf("# %s\n", sync ? "sync (durability = power)" : "no sync (durability = crash)");
		fresh();
		close(open(journal_path, O_CREAT | O_WRONLY, 0644));  /* one made by hand */
		test_commit(sync);
		test_crash_recovery(sync);
		test_old_passes(sync);
	}
	fresh();
	test_other_database();
	test_stale_offset();
	test_stop_while_failing();
	test_recovery_fails();
	fresh();
	test_records_past_limits();
	test_rotation();
	fresh();
	test_checked();
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
