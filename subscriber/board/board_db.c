#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/board_db.h"
#include "board/board_names.h"

/* How long a read waits for the agent's write lock (a checkpoint). */
#define BUSY_MS 2000

/* A WAL database opens read-only only while its -shm file exists (the
 * agent is running, or left it); otherwise it is opened read-write,
 * without creating anything, and made query_only. */
static int open_flags(const char *path)
{
	char shm[4096];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	return access(shm, R_OK) == 0 ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
}

static int fail(struct board_db *b, int r, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s", what);
	board_db_close(b);
	return r;
}

/* The errno for the failed statement's result code @rc. */
static int step_error(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY: return -EAGAIN;
	case SQLITE_CANTOPEN: return -EACCES;
	default: return -EIO;
	}
}

/* The agent makes its tables in one go after creating the file; until
 * then the board waits. */
static int check_tables(struct board_db *b, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(b->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				    " AND name IN ('messages', 'cases', 'acks')", -1, &q, NULL);
	int tables = -1;
	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
		tables = sqlite3_column_int(q, 0);
	if (tables < 0)
		snprintf(err, errlen, "%s", sqlite3_errmsg(b->db));
	sqlite3_finalize(q);
	if (tables < 0)
		return step_error(rc);
	if (tables < 3) {
		snprintf(err, errlen, "the agent has not made its tables yet");
		return -EAGAIN;
	}
	return 0;
}

int board_db_open(const char *path, struct board_db **out, char *err, size_t errlen)
{
	if (access(path, F_OK) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return errno == ENOENT ? -ENOENT : -EACCES;
	}
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s (run the board as the agent's user)", strerror(errno));
		return -EACCES;
	}
	struct board_db *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return -ENOMEM;
	b->last_version = -1;
	if (sqlite3_open_v2(path, &b->db, open_flags(path), NULL) != SQLITE_OK)
		return fail(b, -EACCES, err, errlen, b->db ? sqlite3_errmsg(b->db) : "out of memory");
	sqlite3_busy_timeout(b->db, BUSY_MS);
	/* Belt and braces: whatever the mode, nothing here writes, and closing
	 * does not checkpoint the agent's WAL into its file. */
	sqlite3_exec(b->db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	sqlite3_db_config(b->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	int r = check_tables(b, err, errlen);
	if (r < 0) {
		board_db_close(b);
		return r;
	}
	if (sqlite3_prepare_v2(b->db, "PRAGMA data_version", -1, &b->version, NULL) != SQLITE_OK)
		return fail(b, -EIO, err, errlen, sqlite3_errmsg(b->db));
	r = board_names_attach(b->db, &b->names);
	if (r < 0)
		return fail(b, r, err, errlen, r == -ENOMEM ? "out of memory" : sqlite3_errmsg(b->db));
	*out = b;
	return 0;
}

void board_db_close(struct board_db *b)
{
	if (b == NULL)
		return;
	board_names_free(b->names);
	sqlite3_finalize(b->version);
	sqlite3_close(b->db);
	free(b);
}

int board_db_changed(struct board_db *b)
{
	int rc = sqlite3_step(b->version);
	long long v = rc == SQLITE_ROW ? sqlite3_column_int64(b->version, 0) : -1;
	sqlite3_reset(b->version);
	if (v < 0)
		return -EIO;
	int changed = v != b->last_version;
	b->last_version = v;
	return changed;
}
