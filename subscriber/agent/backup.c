/* The agent's backups on a schedule (backup.h): the thread, the names, and
 * the copies kept. A copy is named DATABASE-NAME.YYYYMMDDTHHMMSS.mmmZ (UTC),
 * so that a name sort is their age. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/backup.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/sync_dir.h"

#define NAME_MAX_LEN 4096
#define STAMP_LEN 20  /* YYYYMMDDTHHMMSS.mmmZ */

struct backup {
	char *database, *dir;
	const char *base;  /* the database's file name, in @database */
	int64_t interval_ms;
	int keep;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int stopping;
};

/* True if @name is one of our copies: BASE.STAMP. */
static bool is_copy(const struct backup *b, const char *name)
{
	size_t n = strlen(b->base);
	return strncmp(name, b->base, n) == 0 && name[n] == '.' && strlen(name + n + 1) == STAMP_LEN &&
	       name[n + 1 + STAMP_LEN - 1] == 'Z';
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Our copies in the folder, oldest first; @n of them. NULL if none. */
static char **list_copies(const struct backup *b, size_t *n)
{
	DIR *d = opendir(b->dir);
	char **names = NULL;
	*n = 0;
	if (d == NULL)
		return NULL;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_copy(b, e->d_name))
			continue;
		char **more = realloc(names, (*n + 1) * sizeof(*names));
		if (more == NULL)
			break;
		names = more;
		names[*n] = strdup(e->d_name);
		if (names[*n] != NULL)
			(*n)++;
	}
	closedir(d);
	if (names != NULL)
		qsort(names, *n, sizeof(*names), by_name);
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* All but the newest @keep go. */
static void prune(const struct backup *b)
{
	size_t n;
	char **names = list_copies(b, &n);
	char path[NAME_MAX_LEN];
	for (size_t i = 0; i + (size_t)b->keep < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", b->dir, names[i]);
		if (unlink(path) < 0)
			log_line(LOG_WARNING, "backup: cannot remove %s: %s", path, strerror(errno));
	}
	if (n > (size_t)b->keep)
		sync_dir(b->dir);
	free_names(names, n);
}

/* How long until the next copy is due: the newest copy's age against the
 * interval (its file's time is wall time), so that a restart neither
 * skips a copy nor takes one early. */
static int64_t next_in_ms(const struct backup *b)
{
	size_t n;
	char **names = list_copies(b, &n);
	int64_t wait = 0;
	char path[NAME_MAX_LEN];
	struct stat st;
	if (n > 0) {
		snprintf(path, sizeof(path), "%s/%s", b->dir, names[n - 1]);
		if (stat(path, &st) == 0)
			wait = (int64_t)st.st_mtime * 1000 + b->interval_ms - clock_wall_ms();
	}
	free_names(names, n);
	if (wait > b->interval_ms)
		return b->interval_ms;  /* a copy from the future: the clock was set back */
	return wait < 0 ? 0 : wait;
}

static void stamp(char out[32])
{
	int64_t now = clock_wall_ms();
	time_t secs = (time_t)(now / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	char day[16];
	strftime(day, sizeof(day), "%Y%m%dT%H%M%S", &tm);
	snprintf(out, 32, "%s.%03dZ", day, (int)(now % 1000));
}

/* One copy, under a temporary name, then renamed into place. Returns
 * whether one was made. */
static bool take(struct backup *b)
{
	char name[32], tmp[NAME_MAX_LEN], path[NAME_MAX_LEN], err[NAME_MAX_LEN + 512];
	stamp(name);
	snprintf(path, sizeof(path), "%s/%s.%s", b->dir, b->base, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.%s.tmp", b->dir, b->base, name);
	unlink(tmp);
	int64_t started = clock_mono_ms();
	int r = backup_copy(b->database, tmp, &b->stopping, err, sizeof(err));
	if (r == 0 && rename(tmp, path) < 0) {
		snprintf(err, sizeof(err), "cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		r = -EIO;
	}
	if (r == 0)
		r = sync_dir(b->dir);
	if (r == -EINTR)
		return false;
	if (r < 0) {
		log_line(LOG_ERR, "backup: no copy of %s made: %s; trying again in %lld s", b->database, err,
			 (long long)(b->interval_ms / 1000));
		return false;
	}
	log_line(LOG_INFO, "backup: %s written in %lld ms", path, (long long)(clock_mono_ms() - started));
	prune(b);
	return true;
}

/* True if @name ends with @suffix. */
static bool ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n >= k && strcmp(name + n - k, suffix) == 0;
}

/* A copy's temporary file (and SQLite's rollback journal of it) that an
 * agent killed while copying left behind: as big as the database, and
 * never finished. */
static void remove_unfinished(const struct backup *b)
{
	DIR *d = opendir(b->dir);
	if (d == NULL)
		return;
	size_t n = strlen(b->base);
	char path[NAME_MAX_LEN];
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.' || strncmp(e->d_name + 1, b->base, n) != 0 ||
		    (!ends_with(e->d_name, ".tmp") && !ends_with(e->d_name, ".tmp-journal")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", b->dir, e->d_name);
		if (unlink(path) == 0)
			log_line(LOG_NOTICE, "backup: removed %s, an unfinished copy", path);
	}
	closedir(d);
}

static void *run(void *arg)
{
	struct backup *b = arg;
	remove_unfinished(b);
	bool failed = false;  /* then a whole interval, not at once again */
	pthread_mutex_lock(&b->lock);
	while (!b->stopping) {
		pthread_mutex_unlock(&b->lock);
		struct timespec until = clock_deadline(failed ? b->interval_ms : next_in_ms(b));
		pthread_mutex_lock(&b->lock);
		while (!b->stopping && pthread_cond_timedwait(&b->wake, &b->lock, &until) != ETIMEDOUT)
			continue;
		if (b->stopping)
			break;
		pthread_mutex_unlock(&b->lock);
		failed = !take(b);
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int backup_start(const char *database, const char *dir, int64_t interval_ms, int keep, struct backup **out)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	struct backup *b = calloc(1, sizeof(*b));
	int r = -ENOMEM;
	if (b == NULL)
		return r;
	b->database = strdup(database);
	b->dir = strdup(dir);
	if (b->database == NULL || b->dir == NULL)
		goto free_b;
	const char *slash = strrchr(b->database, '/');
	b->base = slash != NULL ? slash + 1 : b->database;
	b->interval_ms = interval_ms;
	b->keep = keep;
	pthread_mutex_init(&b->lock, NULL);
	clock_cond_init(&b->wake);
	if (pthread_create(&b->thread, NULL, run, b) == 0) {
		*out = b;
		return 0;
	}
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	r = -EAGAIN;
free_b:
	free(b->dir);
	free(b->database);
	free(b);
	return r;
}

void backup_stop(struct backup *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = 1;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	free(b->dir);
	free(b->database);
	free(b);
}
