/* The outbox folder: one file per queued envelope, named by its message id
 * ("<uuid>.msg"), so that a name sort is the order they were made in. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <raksha/envelope.h>
#include <raksha/outbox.h>

#include "common/sync_dir.h"
#include "lib/outbox_dir.h"
#include "lib/outbox_file.h"

#define TMP_PREFIX ".tmp-"

int raksha_outbox_default_dir(char *buf, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;
	if (state != NULL && state[0] == '/')
		n = snprintf(buf, size, "%s/raksha/outbox", state);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(buf, size, "%s/.local/state/raksha/outbox", home);
	else
		return -ENOENT;
	return (n < 0 || (size_t)n >= size) ? -ENOBUFS : n;
}

/* fsync() of the folder that holds @path (a path of a folder, no '/' at
 * its end). */
static int sync_parent(const char *path)
{
	char parent[4096];
	snprintf(parent, sizeof(parent), "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';  /* a folder of the root */
	else if (slash != NULL)
		*slash = '\0';
	return sync_dir(slash != NULL ? parent : ".");
}

/* mkdir -p with mode 0700 for what it creates. A folder made here is
 * synced into its parent: only then does it survive a power cut, with the
 * entries synced into it later (POSIX: a folder's fsync makes its own
 * names durable, not its name in its parent). */
static int make_dirs(const char *dir)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		bool made = mkdir(path, 0700) == 0;
		if (!made && errno != EEXIST)
			return -errno;
		if (made && sync_parent(path) < 0)
			return -EIO;
		if (c == '\0')
			return 0;
		*p = c;
	}
}

/* A .tmp-PID-* file is being written by process PID, or was when it died.
 * Another process sharing the outbox (a publisher beside the agent) may be
 * writing one right now: only a dead writer's, or one left for an hour (a
 * reused pid), is removed. */
static bool abandoned(int dirfd, const char *name)
{
	char *end;
	long pid = strtol(name + strlen(TMP_PREFIX), &end, 10);
	struct stat st;
	if (pid <= 0 || *end != '-' || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return true;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && time(NULL) - st.st_mtime > 3600;
}

/* Files named .tmp-* were being written when a process died: never renamed
 * into place, never reported as queued. */
static void clear_temporaries(int dirfd)
{
	DIR *d = fdopendir(fcntl(dirfd, F_DUPFD_CLOEXEC, 0));
	if (d == NULL)
		return;
	rewinddir(d); /* a dup shares the folder's read offset with every other scan */
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 && abandoned(dirfd, e->d_name))
			unlinkat(dirfd, e->d_name, 0);
	closedir(d);
}

/* Makes the subfolder @aside where entries are set aside, never to be sent
 * again, if it is not there, and syncs it in as the folders above, before
 * anything is moved into it: corrupt/ when the outbox is opened, refused/
 * at the first refusal (MQTT 5), so that an outbox with nothing refused
 * keeps the layout it always had. */
static int make_aside(int dirfd, const char *aside)
{
	if (mkdirat(dirfd, aside, 0700) < 0)
		return errno == EEXIST ? 0 : -errno;
	return fsync(dirfd) < 0 ? -errno : 0;
}

int raksha_outbox_open(const char *dir, struct raksha_outbox **out)
{
	int r = make_dirs(dir);
	if (r < 0)
		return r;
	struct raksha_outbox *ob = calloc(1, sizeof(*ob));
	if (ob == NULL)
		return -ENOMEM;
	ob->lockfd = -1;
	ob->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ob->dirfd < 0) {
		r = -errno;
		goto error_ob;
	}
	r = make_aside(ob->dirfd, "corrupt");
	if (r < 0)
		goto error_dirfd;
	clear_temporaries(ob->dirfd);
	*out = ob;
	return 0;

error_dirfd:
	close(ob->dirfd);
error_ob:
	free(ob);
	return r;
}

void raksha_outbox_close(struct raksha_outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->lockfd >= 0)
		close(ob->lockfd);
	close(ob->dirfd);
	free(ob);
}

void outbox_entry_name(const uint8_t id[RAKSHA_UUID_LEN], char name[OUTBOX_NAME_LEN + 1])
{
	raksha_uuid_format(id, name);
	strcat(name, OUTBOX_SUFFIX);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes @buf to a temporary file, fsyncs it, renames it to @name and
 * fsyncs the folder: the entry appears whole or not at all. */
static int write_durably(int dirfd, const char *name, const uint8_t *buf, size_t len)
{
	char tmp[OUTBOX_NAME_LEN + 32];
	snprintf(tmp, sizeof(tmp), TMP_PREFIX "%ld-%s", (long)getpid(), name);
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int r = write_all(fd, buf, len);
	if (r < 0)
		goto error_fd;
	if (fsync(fd) < 0) {
		r = -errno;
		goto error_fd;
	}
	if (close(fd) < 0) {
		r = -errno;
		goto error_tmp;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = -errno;
		goto error_tmp;
	}
	return fsync(dirfd) < 0 ? -errno : 0;

error_fd:
	close(fd);
error_tmp:
	unlinkat(dirfd, tmp, 0);
	return r;
}

int raksha_outbox_put(struct raksha_outbox *ob, const char *topic, const void *payload,
		      size_t len, const uint8_t message_id[RAKSHA_UUID_LEN])
{
	if (topic == NULL || topic[0] == '\0' || len > 2 * RAKSHA_ENVELOPE_SIZE_DEFAULT)
		return -EINVAL;
	uint8_t *buf;
	size_t n;
	int r = outbox_file_encode(topic, payload, len, &buf, &n);
	if (r < 0)
		return r;
	char name[OUTBOX_NAME_LEN + 1];
	outbox_entry_name(message_id, name);
	r = write_durably(ob->dirfd, name, buf, n);
	free(buf);
	return r;
}

int outbox_set_aside(int dirfd, const char *aside, const char *name)
{
	char dst[OUTBOX_NAME_LEN + 16];
	snprintf(dst, sizeof(dst), "%s/%s", aside, name);
	int r = make_aside(dirfd, aside);
	if (r < 0)
		return r;
	if (renameat(dirfd, name, dirfd, dst) < 0)
		return -errno;
	int afd = openat(dirfd, aside, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (afd >= 0) {
		fsync(afd);
		close(afd);
	}
	fsync(dirfd);
	return 0;
}

int outbox_unlink_at(int dirfd, const uint8_t id[RAKSHA_UUID_LEN])
{
	char name[OUTBOX_NAME_LEN + 1];
	outbox_entry_name(id, name);
	return unlinkat(dirfd, name, 0) < 0 ? -errno : 0;
}

int outbox_remove_at(int dirfd, const uint8_t id[RAKSHA_UUID_LEN])
{
	int r = outbox_unlink_at(dirfd, id);
	if (r < 0)
		return r;
	return fsync(dirfd) < 0 ? -errno : 0;
}

int raksha_outbox_remove(struct raksha_outbox *ob, const uint8_t message_id[RAKSHA_UUID_LEN])
{
	return outbox_remove_at(ob->dirfd, message_id);
}

bool raksha_outbox_contains(struct raksha_outbox *ob, const uint8_t message_id[RAKSHA_UUID_LEN])
{
	char name[OUTBOX_NAME_LEN + 1];
	outbox_entry_name(message_id, name);
	return faccessat(ob->dirfd, name, F_OK, 0) == 0;
}

bool raksha_outbox_refused(struct raksha_outbox *ob, const uint8_t message_id[RAKSHA_UUID_LEN])
{
	char name[OUTBOX_NAME_LEN + 1], path[OUTBOX_NAME_LEN + 16];
	outbox_entry_name(message_id, name);
	snprintf(path, sizeof(path), "refused/%s", name);
	return faccessat(ob->dirfd, path, F_OK, 0) == 0;
}

int raksha_outbox_lock(struct raksha_outbox *ob, int wait)
{
	if (ob->lockfd < 0) {
		ob->lockfd = openat(ob->dirfd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (ob->lockfd < 0)
			return -errno;
	}
	while (flock(ob->lockfd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

void raksha_outbox_unlock(struct raksha_outbox *ob)
{
	if (ob->lockfd >= 0)
		flock(ob->lockfd, LOCK_UN);
}
