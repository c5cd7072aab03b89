/* The ingest journal at start (journal.h): what a crash left past the
 * committed offset is stored, and the file made ready for a new pass. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "agent/journal_impl.h"
#include "agent/journal_record.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/minmax.h"

/* The record of this pass at @at, or NULL: the end of the file, a torn
 * record, or one of an earlier pass (this one wrote no further). */
static struct entry *read_record(struct journal *j, int64_t at, int64_t file_size)
{
	uint8_t head[JOURNAL_RECORD_HEAD];
	if (at + JOURNAL_RECORD_HEAD > file_size ||
	    pread(j->fd, head, JOURNAL_RECORD_HEAD, at) != JOURNAL_RECORD_HEAD)
		return NULL;
	size_t len = journal_record_head_size(head);
	if (len == 0 || (int64_t)len > file_size - at)
		return NULL;
	struct entry *e = malloc(sizeof(*e) + len);
	if (e == NULL)
		return NULL;
	struct journal_record rec;
	if (pread(j->fd, e->bytes, len, at) != (ssize_t)len || journal_record_parse(e->bytes, len, &rec) != len ||
	    rec.generation != j->generation) {
		free(e);
		return NULL;
	}
	e->next = NULL;
	e->len = len;
	e->end = at + (int64_t)len;
	e->env = NULL;  /* only the bytes were kept: the committer checks them again */
	e->arena = NULL;
	return e;
}

/* At start: stores what this pass of the journal holds past the committed
 * offset, a batch at a time. A torn last record was never acknowledged (its
 * write did not return) and goes. */
static int recover_records(struct journal *j, int64_t at, size_t *total)
{
	struct stat st;
	if (fstat(j->fd, &st) < 0)
		return -EIO;
	struct entry *batch = NULL, **tail = &batch, *e;
	size_t n = 0, bytes = 0;
	int r = 0;
	*total = 0;
	do {
		e = read_record(j, at, st.st_size);
		if (e != NULL) {
			*tail = e;
			tail = &e->next;
			n++;
			bytes += e->len;
			at = e->end;
		}
		if (n > 0 && (journal_batch_full(n, bytes) || e == NULL)) {
			r = journal_commit(j, batch, n);
			journal_free_entries(batch);
			batch = NULL;
			tail = &batch;
			*total += n;
			n = 0;
			bytes = 0;
		}
	} while (e != NULL && r == 0);
	journal_free_entries(batch);
	return r;
}

/* A file written in full once, so that an fdatasync() of an append to it
 * has only the data to write, not the file's length or its blocks' map;
 * and its folder synced, so that the file itself survives a power cut. */
static int preallocate(int fd, const char *path)
{
	struct stat st;
	static const uint8_t zeros[65536];
	if (fstat(fd, &st) < 0)
		return -errno;
	for (off_t at = st.st_size; at < PASS_BYTES; at += sizeof(zeros))
		if (pwrite(fd, zeros, sizeof(zeros), at) != (ssize_t)sizeof(zeros))
			return errno == ENOSPC ? -ENOSPC : -EIO;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	int dfd = open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = fsync(fd) < 0 || dfd < 0 || fsync(dfd) < 0 ? -EIO : 0;
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* True if the file starts with an intact record, of whatever pass. */
static bool holds_records(struct journal *j)
{
	static struct journal_record rec;
	uint8_t head[JOURNAL_RECORD_HEAD];
	if (pread(j->fd, head, JOURNAL_RECORD_HEAD, 0) != JOURNAL_RECORD_HEAD)
		return false;
	size_t len = journal_record_head_size(head);
	uint8_t *b = len > 0 ? malloc(len) : NULL;
	bool found = b != NULL && pread(j->fd, b, len, 0) == (ssize_t)len && journal_record_parse(b, len, &rec) == len;
	free(b);
	return found;
}

/* The journal of a database that is gone, beside a new one: renamed aside,
 * and a new file in its place. */
static int set_aside(struct journal *j, const char *path, char *err, size_t errlen)
{
	char aside[4200];
	snprintf(aside, sizeof(aside), "%s.orphan-%lld", path, (long long)clock_wall_ms());
	if (rename(path, aside) < 0) {
		snprintf(err, errlen, "cannot set aside %s (another database's journal): %s", path,
			 strerror(errno));
		return -EIO;
	}
	log_line(LOG_WARNING, "journal: %s holds records of another database (was the database deleted or "
		 "moved?); kept as %s, not written over", path, aside);
	close(j->fd);
	j->fd = journal_open_file(path);
	if (j->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-j->fd));
		return j->fd;
	}
	return 0;
}

int journal_recover(struct journal *j, const char *path, char *err, size_t errlen)
{
	int64_t done, generation;
	bool has_offset, has_generation;
	if (journal_meta_get(j->store, "journal_offset", &done, &has_offset) < 0 ||
	    journal_meta_get(j->store, "journal_generation", &generation, &has_generation) < 0) {
		snprintf(err, errlen, "cannot read the journal's state");
		return -EIO;
	}
	/* A new database starts at a random pass: a journal file left by
	 * another is never read as its own, nor written over. */
	if (!has_generation && holds_records(j) && set_aside(j, path, err, errlen) < 0)
		return -EIO;
	if (!has_generation)
		randombytes_buf(&generation, sizeof(generation));
	j->generation = (uint64_t)generation & INT64_MAX;
	size_t n = 0;
	int r = 0;
	if (has_generation)
		r = recover_records(j, MAX(done, 0), &n);
	if (r < 0) {
		snprintf(err, errlen, "cannot store what the journal holds: %s",
			 r == -ENOSPC ? "the disk is full" : "database error");
		return r;
	}
	if (n > 0)
		log_line(LOG_NOTICE, "journal: stored %zu message(s) acknowledged before the last stop", n);
	if (j->sync)
		r = preallocate(j->fd, path);
	if (r < 0) {
		snprintf(err, errlen, "cannot write the journal: %s",
			 r == -ENOSPC ? "the disk is full" : strerror(-r));
		return r;
	}
	if (journal_start_pass(j) < 0) {
		snprintf(err, errlen, "cannot reset the journal");
		return -EIO;
	}
	return 0;
}
