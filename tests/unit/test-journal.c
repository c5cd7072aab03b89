/* The ingest journal of durability "crash" (subscriber/journal.c): what was
 * appended (acknowledged) is stored once, by the committer, or at the next
 * start when a process died before committing it; a torn last record is
 * dropped; the journal is emptied once all of it is stored. A real child
 * process is killed with SIGKILL right after appending. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent.h"
#include "journal.h"
#include "sample.h"
#include "store.h"
#include "tap.h"

static char dir[64], db_path[128], journal_path[160];
static int stored_calls;

/* journal.c logs through the agent's log; here it goes to the TAP output. */
void agent_log(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# <%d>", priority);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static long long count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long long n = -1;
	sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void on_stored(void *ctx, const raksha_envelope *env)
{
	(void)ctx, (void)env;
	stored_calls++;
}

/* Appends @n fresh reports and one rejected payload. */
static int append_some(struct journal *j, int n)
{
	static const struct raksha_problem why = {RAKSHA_CAUSE_UNDECODABLE, "not protobuf"};
	int r = journal_append(j, "raksha/v1/mp/bhopal/grp/report", "\xff\xff", 2, &why, SAMPLE_NOW_MS);
	for (int i = 0; r == 0 && i < n; i++) {
		struct sample s;
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		raksha_envelope_stamp(env, s.message_id);
		env->sent_at_ms = SAMPLE_NOW_MS;
		uint8_t *buf;
		size_t len;
		r = raksha_envelope_encode(env, s.topic, NULL, &buf, &len, NULL);
		if (r == 0)
			r = journal_append(j, s.topic, buf, len, NULL, SAMPLE_NOW_MS + i);
		free(buf);
	}
	return r;
}

static int open_both(struct store **s, struct journal **j)
{
	char err[256];
	int r = store_open(db_path, DURABILITY_CRASH, s, err, sizeof(err));
	if (r == 0)
		r = journal_open(journal_path, *s, on_stored, NULL, j, err, sizeof(err));
	if (r < 0)
		printf("# %s\n", err);
	return r;
}

static void test_commit_and_empty(void)
{
	struct store *s;
	struct journal *j;
	if (!ok(open_both(&s, &j) == 0, "store and journal open"))
		return;
	is_int(append_some(j, 200), 0, "200 reports and a rejected payload appended");
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages"), 200, "all 200 stored by the committer");
	is_int(count("SELECT count(*) FROM rejected"), 1, "the rejection stored once");
	is_int(stored_calls, 200, "each new envelope told once");
	struct stat st;
	stat(journal_path, &st);
	is_int(st.st_size, 0, "the journal is empty once everything is stored");
	is_int(count("SELECT value FROM meta WHERE key = 'journal_offset'"), 0, "and its offset reset");
}

/* A child appends and is killed at once; the next start stores the rest. */
static void test_crash_recovery(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct store *s;
		struct journal *j;
		if (open_both(&s, &j) != 0 || append_some(j, 500) != 0)
			_exit(1);
		raise(SIGKILL);
	}
	int status;
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "a process appended 500 and was killed");
	long long before = count("SELECT count(*) FROM messages");
	printf("# %lld of 700 committed before the kill\n", before);
	/* A torn record at the end, as a write cut short would leave. */
	int fd = open(journal_path, O_WRONLY | O_APPEND);
	ok(fd >= 0 && write(fd, "\x40\x00\x00\x00garbage", 11) == 11, "a torn record appended");
	close(fd);
	stored_calls = 0;
	struct store *s;
	struct journal *j;
	if (!ok(open_both(&s, &j) == 0, "the next start recovers"))
		return;
	is_int(count("SELECT count(*) FROM messages"), 700, "every appended report is stored, once");
	is_int(count("SELECT count(DISTINCT message_id) FROM messages"), 700, "  no message twice");
	is_int(count("SELECT count(*) FROM rejected"), 2, "each rejection once (no replay of committed ones)");
	is_int(stored_calls, 700 - before, "the recovered ones are told at start");
	struct stat st;
	stat(journal_path, &st);
	is_int(st.st_size, 0, "the journal is empty again, the torn tail gone");
	journal_close(j);
	store_close(s);
}

/* The stale offset a crash between truncation and reset leaves. */
static void test_stale_offset(void)
{
	struct store *s;
	struct journal *j;
	char err[200];
	store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err));
	sqlite3_exec(store_db(s), "UPDATE meta SET value = 123456 WHERE key = 'journal_offset'", NULL, NULL, NULL);
	is_int(journal_open(journal_path, s, on_stored, NULL, &j, err, sizeof(err)), 0,
	       "an offset past the end of an empty journal is nothing to recover");
	is_int(append_some(j, 10), 0, "appending goes on");
	journal_close(j);
	store_close(s);
	is_int(count("SELECT count(*) FROM messages"), 710, "and is stored");
}

/* Under a load that never pauses, the journal still starts again: appends
 * wait at rotate_bytes for the committer to catch up. */
static void test_rotation(void)
{
	struct store *s;
	struct journal *j;
	if (!ok(open_both(&s, &j) == 0, "open for rotation"))
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

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/raksha-test-journal.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	snprintf(journal_path, sizeof(journal_path), "%s/agent.db.ingest", dir);
	test_commit_and_empty();
	test_crash_recovery();
	test_stale_offset();
	test_rotation();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
