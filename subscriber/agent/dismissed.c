#define _DEFAULT_SOURCE  /* struct dirent's d_name on every libc */
#include <dirent.h>
#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent/dismissed.h"

#define TAKE_MAX 256
/* FOUND+REPORT: two ids as UUID text. */
#define NAME_LEN (2 * RAKSHA_UUID_TEXT_LEN + 1)

void dismissed_dir(const char *database, char *out, size_t size)
{
	snprintf(out, size, "%s.dismissed", database);
}

/* The pair of the file @name, into @ids; false if it is not one. */
static bool parse(const char *name, uint8_t ids[2][RAKSHA_UUID_LEN])
{
	char found[RAKSHA_UUID_TEXT_LEN + 1];
	if (strlen(name) != NAME_LEN || name[RAKSHA_UUID_TEXT_LEN] != '+')
		return false;
	memcpy(found, name, RAKSHA_UUID_TEXT_LEN);
	found[RAKSHA_UUID_TEXT_LEN] = '\0';
	return raksha_uuid_parse(found, ids[0]) == 0 && raksha_uuid_parse(name + RAKSHA_UUID_TEXT_LEN + 1, ids[1]) == 0;
}

int dismissed_put(const char *database, const uint8_t found_id[RAKSHA_UUID_LEN],
		  const uint8_t report_id[RAKSHA_UUID_LEN])
{
	char dir[4200], path[4300], name[NAME_LEN + 1];
	dismissed_dir(database, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	raksha_uuid_format(found_id, name);
	name[RAKSHA_UUID_TEXT_LEN] = '+';
	raksha_uuid_format(report_id, name + RAKSHA_UUID_TEXT_LEN + 1);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

struct pairs {
	char names[TAKE_MAX][NAME_LEN + 1];
	uint8_t ids[TAKE_MAX][2][RAKSHA_UUID_LEN];
	bool pair[TAKE_MAX];
	size_t n;
};

/* The folder's file names (at most TAKE_MAX), each read as a pair if it is one. */
static int list(const char *dir, struct pairs *p)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return errno == ENOENT ? 0 : -errno;
	struct dirent *e;
	while (p->n < TAKE_MAX && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strlen(e->d_name) > NAME_LEN)
			continue;
		size_t i = p->n++;
		snprintf(p->names[i], sizeof(p->names[i]), "%s", e->d_name);
		p->pair[i] = parse(e->d_name, p->ids[i]);
	}
	closedir(d);
	return 0;
}

static int mark(struct store *s, void *ctx)
{
	const struct pairs *p = ctx;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), "UPDATE matches SET state = 'dismissed' WHERE found_id = ?1"
			       " AND report_id = ?2 AND state = 'suggested'", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < p->n && rc == SQLITE_DONE; i++) {
		if (!p->pair[i])
			continue;
		sqlite3_bind_blob(st, 1, p->ids[i][0], RAKSHA_UUID_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, p->ids[i][1], RAKSHA_UUID_LEN, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int dismissed_take(struct store *s, const char *database, bool *more)
{
	static struct pairs p;  /* the escalator's thread only: 33 KiB off its stack */
	char dir[4200], path[4300];
	dismissed_dir(database, dir, sizeof(dir));
	p.n = 0;
	int r = list(dir, &p);
	*more = p.n == TAKE_MAX;
	if (r < 0 || p.n == 0)
		return r;
	r = store_transaction(s, mark, &p);
	if (r < 0)
		return r;
	int pairs = 0;
	for (size_t i = 0; i < p.n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, p.names[i]);
		unlink(path);
		pairs += p.pair[i];
	}
	return pairs;
}

int dismissed_watch(const char *database)
{
	char dir[4200];
	dismissed_dir(database, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (inotify_add_watch(fd, dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

bool dismissed_watch_drain(int fd, bool *news)
{
	alignas(struct inotify_event) char buf[4096];
	bool kept = true;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		*news = true;
		const char *p = buf;
		while (p < buf + n) {
			const struct inotify_event *ev = (const struct inotify_event *)(const void *)p;
			kept = kept && (ev->mask & IN_IGNORED) == 0;
			p += sizeof(*ev) + ev->len;
		}
	}
	return kept;
}
