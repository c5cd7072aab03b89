/* One online copy of the database (backup.h). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent/backup.h"

#define PAGES_PER_STEP 256  /* 1 MiB of 4 KiB pages */
#define STEP_PAUSE_US 5000

static int sqlite_errno(int rc)
{
	if (rc == SQLITE_FULL)
		return -ENOSPC;
	return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

/* The destination, made 0600 before SQLite opens it, so that no moment
 * finds child data in a file others may read. */
static int make_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* The pages, a step at a time, from the snapshot @src's transaction holds. */
static int copy_pages(sqlite3 *src, sqlite3 *dst, const atomic_int *stop, char *err, size_t errlen)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(dst));
		return sqlite_errno(sqlite3_errcode(dst));
	}
	int rc;
	while ((rc = sqlite3_backup_step(b, PAGES_PER_STEP)) == SQLITE_OK || rc == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED) {
		if (stop != NULL && *stop)
			break;
		usleep(STEP_PAUSE_US);
	}
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return 0;
	if (stop != NULL && *stop) {
		snprintf(err, errlen, "stopped");
		return -EINTR;
	}
	snprintf(err, errlen, "%s", sqlite3_errstr(rc));
	return sqlite_errno(rc);
}

/* A read-only connection holding a read transaction: one snapshot. */
static int open_snapshot(const char *database, sqlite3 **src, char *err, size_t errlen)
{
	int rc = sqlite3_open_v2(database, src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(*src, 5000);
		rc = sqlite3_exec(*src, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "%s: %s", database, sqlite3_errmsg(*src));
	return rc == SQLITE_OK ? 0 : sqlite_errno(rc);
}

int backup_copy(const char *database, const char *path, const atomic_int *stop, char *err, size_t errlen)
{
	sqlite3 *src = NULL, *dst = NULL;
	int r = make_private(path);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	r = open_snapshot(database, &src, err, errlen);
	if (r < 0)
		goto close_src;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(dst));
		r = -EIO;
		goto close_dst;
	}
	r = copy_pages(src, dst, stop, err, errlen);
close_dst:
	if (sqlite3_close(dst) != SQLITE_OK && r == 0) {
		snprintf(err, errlen, "%s: cannot close it", path);
		r = -EIO;
	}
close_src:
	sqlite3_close(src);
	if (r == 0 && (r = sync_file(path)) < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
	if (r < 0)
		unlink(path);
	return r;
}
