/* commit-stamp.so: an LD_PRELOAD shim for the benchmarks that tells when
 * raksha-agent committed each stored message to its database, to the
 * microsecond, without changing the agent.
 *
 * It wraps sqlite3_step(). When a step of "INSERT INTO messages ..." adds a
 * row, it notes the row's seq (sqlite3_last_insert_rowid()) for the calling
 * thread; when the same thread's next "COMMIT" returns SQLITE_DONE, it
 * appends "SEQ US\n" for each row of that transaction (one, or a batch) to
 * the file named by $RAKSHA_COMMIT_LOG. US is CLOCK_REALTIME in
 * microseconds just after the commit returned: the row is in the database
 * (durable as the agent's durability says, visible to the board and to
 * raksha-replay). An agent that commits on its receive thread has not yet
 * sent the PUBACK then; one that acknowledges from a journal first (a
 * batching design) has. Map seq to message_id with
 * SELECT seq, lower(hex(message_id)) FROM messages.
 *
 * Cost on the agent's path: a strcmp of the statement's SQL per step, a
 * clock_gettime() and a write() per commit. Without $RAKSHA_COMMIT_LOG it
 * only forwards. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

static int (*real_step)(sqlite3_stmt *);
static int log_fd = -1;
/* The rows the calling thread's open transaction added (a batch may hold many). */
#define PENDING_MAX 4096
static __thread sqlite3_int64 pending[PENDING_MAX];
static __thread int n_pending;

__attribute__((constructor)) static void init(void)
{
	void *f = dlsym(RTLD_NEXT, "sqlite3_step");
	memcpy(&real_step, &f, sizeof(f));  /* ISO C has no object-to-function cast */
	const char *path = getenv("RAKSHA_COMMIT_LOG");
	if (path != NULL)
		log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* Writes "SEQ US" for every pending row, in as few write()s as fit. */
static void flush_pending(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	char buf[8192];
	size_t len = 0;
	for (int i = 0; i < n_pending; i++) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%lld %lld\n", (long long)pending[i], us);
		if (len > sizeof(buf) - 64 || i == n_pending - 1) {
			if (write(log_fd, buf, len) != (ssize_t)len)
				log_fd = -1;
			len = 0;
		}
	}
	n_pending = 0;
}

int sqlite3_step(sqlite3_stmt *st)
{
	int rc = real_step(st);
	if (log_fd < 0 || rc != SQLITE_DONE)
		return rc;
	const char *sql = sqlite3_sql(st);
	if (sql == NULL)
		return rc;
	if (strncmp(sql, "INSERT INTO messages ", 21) == 0) {
		sqlite3 *db = sqlite3_db_handle(st);
		if (sqlite3_changes(db) == 1 && n_pending < PENDING_MAX)
			pending[n_pending++] = sqlite3_last_insert_rowid(db);
	} else if (n_pending > 0 && strcmp(sql, "COMMIT") == 0) {
		flush_pending();
	} else if (strcmp(sql, "ROLLBACK") == 0) {
		n_pending = 0;
	}
	return rc;
}
