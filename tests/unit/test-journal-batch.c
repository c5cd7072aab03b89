/* The ingest journal's batching (subscriber/agent/journal.c), counted with
 * journal_stats(), never timed: an append wakes the committer only when it
 * waits for it (the first record, or a full batch), not once a record; and
 * with sync (durability = power) a stream of appends paced like a disk's
 * syncs is committed several records a transaction, not one or two: at
 * most one transaction a commit gap, over however long the appends took
 * (a loaded machine's sleeps last longer: the bound grows with them). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "agent/journal.h"
#include "agent/journal_impl.h"
#include "agent/store.h"
#include "common/clock.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define TOPIC "raksha/v1/mp/bhopal/grp/report"

static char dir[64], db_path[128], journal_path[160];

static int open_both(bool sync, struct store **s, struct journal **j)
{
	char err[256];
	int r = store_open(db_path, sync ? DURABILITY_POWER : DURABILITY_CRASH, s, err, sizeof(err));
	if (r == 0 && (r = journal_open(journal_path, sync, *s, NULL, NULL, j, err, sizeof(err))) < 0)
		store_close(*s);
	if (r < 0)
		printf("# %s\n", err);
	return r;
}

/* Appends @n refused payloads (cheap: no envelope), sleeping @pause_us
 * after each; returns 0 or the first error. */
static int append_refused(struct journal *j, int n, long pause_us)
{
	static const struct raksha_problem why = {RAKSHA_CAUSE_UNDECODABLE, "not protobuf"};
	for (int i = 0; i < n; i++) {
		int r = journal_append(j, TOPIC, "\xff\xff", 2, &why, NULL, NULL, 1700000000000 + i);
		if (r < 0)
			return r;
		if (pause_us > 0)
			nanosleep(&(struct timespec){0, pause_us * 1000}, NULL);
	}
	return 0;
}

/* Waits (at most 10 s) until the committer has stored @n records; fills
 * @st. */
static bool all_committed(struct journal *j, uint64_t n, struct journal_stats *st)
{
	for (int i = 0; i < 1000; i++) {
		journal_stats(j, st);
		if (st->committed >= n)
			return true;
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	}
	return false;
}

static void fresh(void)
{
	char cmd[640];
	snprintf(cmd, sizeof(cmd), "rm -f %s %s-wal %s-shm %s", db_path, db_path, db_path, journal_path);
	if (system(cmd) != 0)
		exit(1);
}

/* Each wake but the first follows a batch the committer took: without
 * the rule, 300 appends back to back woke it 300 times for a few
 * batches. */
static void test_wakes(bool sync)
{
	struct store *s;
	struct journal *j;
	struct journal_stats st;
	fresh();
	if (!ok(open_both(sync, &s, &j) == 0, "%s: store and journal open", sync ? "sync" : "no sync"))
		return;
	is_int(append_refused(j, 300, 0), 0, "  300 records appended back to back");
	ok(all_committed(j, 300, &st), "  all committed");
	is_int(st.appended, 300, "  300 appends counted");
	ok(st.wakes <= st.commits + 1, "  the committer woken %llu times for %llu transactions (at most one more)",
	   (unsigned long long)st.wakes, (unsigned long long)st.commits);
	journal_close(j);
	store_close(s);
}

/* With sync, appends come one a sync; 200 at one each 500 µs (a disk's
 * fdatasync takes 100 µs to several ms) went one or two a transaction
 * with the crash mode's 250 µs gap. */
static void test_sync_batches(void)
{
	struct store *s;
	struct journal *j;
	struct journal_stats st;
	fresh();
	if (!ok(open_both(true, &s, &j) == 0, "sync: store and journal open"))
		return;
	int64_t t0 = clock_mono_ms();
	is_int(append_refused(j, 200, 500), 0, "  200 records appended, one each 500 µs");
	ok(all_committed(j, 200, &st), "  all committed");
	int64_t took_ms = clock_mono_ms() - t0;
	/* One transaction at the start, then at most one a gap (the crash
	 * mode's 250 µs gap took one or two records each: ~130 here). */
	unsigned long long most = (unsigned long long)(took_ms * 1000000 / SYNC_COMMIT_GAP_NS) + 2;
	ok(st.commits <= most, "  %llu records in %llu transactions over %lld ms, at most %llu (one a %ld ms gap)",
	   (unsigned long long)st.committed, (unsigned long long)st.commits, (long long)took_ms, most,
	   SYNC_COMMIT_GAP_NS / 1000000);
	journal_close(j);
	store_close(s);
}

int main(void)
{
	if (tmpdir_make(dir, "journal-batch") < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	snprintf(journal_path, sizeof(journal_path), "%s/agent.db.ingest", dir);
	test_wakes(false);
	test_wakes(true);
	test_sync_batches();
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
