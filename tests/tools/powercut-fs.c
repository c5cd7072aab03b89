/* powercut-fs BACKING MOUNTPOINT: a FUSE file system that passes every call
 * through to the folder BACKING and, on SIGUSR1, plays a power cut: all that
 * was not made durable is dropped, and from then on it serves only what was
 * (powercut_disk.h says what is durable when). For the fault suite 09.
 *
 * Runs in the foreground. Prints "mounted" once the kernel talks to it, and
 * after each cut "cut N: kept F files (B bytes) in D folders; dropped P
 * unsynced pages", or "cut N failed: WHY". SIGTERM or SIGINT unmounts and
 * exits 0. Kill every process using the mount before a cut, as the power
 * would: a descriptor opened before a cut fails with EIO, its process died.
 *
 * The kernel caches no name, attribute or page across a cut (timeouts of 0,
 * and no kernel_cache: a file's pages are dropped when it is opened again),
 * and writes reach the file system when they are made (no writeback cache),
 * so that a write is seen before the fsync() that makes it durable. Shared
 * writable mmap (SQLite's -shm) works because direct I/O is off. POSIX
 * locks are the kernel's own (no lock operation). Symbolic and hard links
 * are refused (ENOSYS). */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sysexits.h>
#include <unistd.h>

#include "tests/tools/powercut_disk.h"

struct handle {
	int fd;
	struct disk_node *node;
	unsigned epoch;
};

/* One call at a time, and none during a cut. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int root_fd = -1;
static unsigned epoch;  /* cuts so far */

static const char *rel(const char *path)
{
	return path[1] == '\0' ? "." : path + 1;
}

/* 0, or -errno if a call returned -1. */
static int result(int rc)
{
	return rc < 0 ? -errno : 0;
}

/* The open file of @fi, or NULL (a path's call). */
static struct handle *handle_of(const struct fuse_file_info *fi)
{
	return fi != NULL && fi->fh != 0 ? (struct handle *)(uintptr_t)fi->fh : NULL;
}

/* A descriptor opened before the last cut: its process died with the power. */
static bool stale(const struct handle *h)
{
	return h->epoch != epoch;
}

static int do_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct handle *h = handle_of(fi);
	if (h != NULL)
		return stale(h) ? -EIO : result(fstat(h->fd, st));
	if (path == NULL)
		return -ENOENT;
	return result(fstatat(root_fd, rel(path), st, AT_SYMLINK_NOFOLLOW));
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	pthread_mutex_lock(&lock);
	int r = do_getattr(path, st, fi);
	pthread_mutex_unlock(&lock);
	return r;
}

/* A folder's handle: its descriptor, for readdir and fsyncdir. */
static int do_opendir(const char *path, struct fuse_file_info *fi)
{
	int fd = openat(root_fd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = -errno;
		if (fd >= 0)
			close(fd);
		return e;
	}
	struct disk_node *n = disk_node_of(st.st_ino, true, st.st_mode);
	struct handle *h = malloc(sizeof(*h));
	if (n == NULL || h == NULL) {
		free(h);
		close(fd);
		return -ENOMEM;
	}
	*h = (struct handle){.fd = fd, .node = n, .epoch = epoch};
	fi->fh = (uintptr_t)h;
	return 0;
}

static int fs_opendir(const char *path, struct fuse_file_info *fi)
{
	pthread_mutex_lock(&lock);
	int r = do_opendir(path, fi);
	pthread_mutex_unlock(&lock);
	return r;
}

static int do_readdir(struct handle *h, void *buf, fuse_fill_dir_t fill)
{
	if (stale(h))
		return -EIO;
	DIR *d = fdopendir(fcntl(h->fd, F_DUPFD_CLOEXEC, 0));
	if (d == NULL)
		return -errno;
	rewinddir(d);  /* a dup shares the read offset */
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (fill(buf, e->d_name, NULL, 0, 0) != 0)
			break;
	closedir(d);
	return 0;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void)path;
	(void)off;
	(void)flags;
	pthread_mutex_lock(&lock);
	int r = do_readdir(handle_of(fi), buf, fill);
	pthread_mutex_unlock(&lock);
	return r;
}

/* A new folder: durable in its parent only once the parent is synced. */
static int do_mkdir(const char *path, mode_t mode)
{
	struct stat st;
	if (mkdirat(root_fd, rel(path), mode) < 0 || fstatat(root_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return disk_node_of(st.st_ino, true, st.st_mode) != NULL ? 0 : -ENOMEM;
}

static int fs_mkdir(const char *path, mode_t mode)
{
	pthread_mutex_lock(&lock);
	int r = do_mkdir(path, mode);
	pthread_mutex_unlock(&lock);
	return r;
}

/* unlink() or rmdir(): the name goes; durable until its folder is synced. */
static int do_remove(const char *path, int flags)
{
	struct stat st;
	if (fstatat(root_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) < 0 || unlinkat(root_fd, rel(path), flags) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode) || st.st_nlink <= 1)
		disk_forget(st.st_ino);
	return 0;
}

static int fs_unlink(const char *path)
{
	pthread_mutex_lock(&lock);
	int r = do_remove(path, 0);
	pthread_mutex_unlock(&lock);
	return r;
}

static int fs_rmdir(const char *path)
{
	pthread_mutex_lock(&lock);
	int r = do_remove(path, AT_REMOVEDIR);
	pthread_mutex_unlock(&lock);
	return r;
}

static int do_rename(const char *from, const char *to, unsigned flags)
{
	struct stat src, dst;
	if (flags != 0)
		return -EINVAL;  /* RENAME_NOREPLACE, RENAME_EXCHANGE: nothing here asks */
	if (fstatat(root_fd, rel(from), &src, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	bool replaces = fstatat(root_fd, rel(to), &dst, AT_SYMLINK_NOFOLLOW) == 0 && dst.st_ino != src.st_ino;
	if (renameat(root_fd, rel(from), root_fd, rel(to)) < 0)
		return -errno;
	if (replaces && (S_ISDIR(dst.st_mode) || dst.st_nlink <= 1))
		disk_forget(dst.st_ino);
	return 0;
}

static int fs_rename(const char *from, const char *to, unsigned flags)
{
	pthread_mutex_lock(&lock);
	int r = do_rename(from, to, flags);
	pthread_mutex_unlock(&lock);
	return r;
}

static int do_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct handle *h = handle_of(fi);
	struct stat st;
	if (h != NULL && stale(h))
		return -EIO;
	int r = h != NULL ? fchmod(h->fd, mode) : fchmodat(root_fd, rel(path), mode, 0);
	if (r < 0 || (h == NULL && fstatat(root_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) < 0))
		return -errno;
	struct disk_node *n = h != NULL ? h->node : disk_find(st.st_ino);
	if (n != NULL)
		disk_set_mode(n, mode);
	return 0;
}

static int fs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	pthread_mutex_lock(&lock);
	int r = do_chmod(path, mode, fi);
	pthread_mutex_unlock(&lock);
	return r;
}

/* Owners and times are not modelled: passed through. SQLite run by root
 * gives its -wal and -shm files the database's owner. */
static int fs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	struct handle *h = handle_of(fi);
	pthread_mutex_lock(&lock);
	int r;
	if (h != NULL)
		r = stale(h) ? -EIO : result(fchown(h->fd, uid, gid));
	else
		r = result(fchownat(root_fd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW));
	pthread_mutex_unlock(&lock);
	return r;
}

static int fs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	struct handle *h = handle_of(fi);
	pthread_mutex_lock(&lock);
	int r;
	if (h != NULL)
		r = stale(h) ? -EIO : result(futimens(h->fd, tv));
	else
		r = result(utimensat(root_fd, rel(path), tv, AT_SYMLINK_NOFOLLOW));
	pthread_mutex_unlock(&lock);
	return r;
}

static int truncate_fd(int fd, struct disk_node *n, off_t size)
{
	if (ftruncate(fd, size) < 0)
		return -errno;
	if (n != NULL)
		disk_truncated(n, size);
	return 0;
}

static int do_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct handle *h = handle_of(fi);
	if (h != NULL)
		return stale(h) ? -EIO : truncate_fd(h->fd, h->node, size);
	int fd = openat(root_fd, rel(path), O_WRONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = -errno;
		if (fd >= 0)
			close(fd);
		return e;
	}
	int r = truncate_fd(fd, disk_find(st.st_ino), size);
	close(fd);
	return r;
}

static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	pthread_mutex_lock(&lock);
	int r = do_truncate(path, size, fi);
	pthread_mutex_unlock(&lock);
	return r;
}

/* @fd, just opened, as @fi's handle; a file made by this open gets a new
 * node, nothing of it durable. */
static int open_handle(int fd, struct fuse_file_info *fi)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	struct disk_node *n = disk_node_of(st.st_ino, false, st.st_mode);
	struct handle *h = malloc(sizeof(*h));
	if (n == NULL || h == NULL) {
		free(h);
		return -ENOMEM;
	}
	if (fi->flags & O_TRUNC)
		disk_truncated(n, 0);
	*h = (struct handle){.fd = fd, .node = n, .epoch = epoch};
	fi->fh = (uintptr_t)h;
	return 0;
}

/* The kernel sends the offset of an append itself; and a file opened only
 * to write is read too, at its fsync, for its durable copy. */
static int do_open(const char *path, struct fuse_file_info *fi, int create, mode_t mode)
{
	int flags = fi->flags & ~O_APPEND;
	if ((flags & O_ACCMODE) == O_WRONLY)
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	int fd = openat(root_fd, rel(path), flags | create | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	int r = open_handle(fd, fi);
	if (r < 0)
		close(fd);
	return r;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	pthread_mutex_lock(&lock);
	int r = do_open(path, fi, 0, 0);
	pthread_mutex_unlock(&lock);
	return r;
}

static int fs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	pthread_mutex_lock(&lock);
	int r = do_open(path, fi, O_CREAT, mode);
	pthread_mutex_unlock(&lock);
	return r;
}

static int do_read(struct handle *h, char *buf, size_t size, off_t off)
{
	if (stale(h))
		return -EIO;
	ssize_t n = pread(h->fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)path;
	pthread_mutex_lock(&lock);
	int r = do_read(handle_of(fi), buf, size, off);
	pthread_mutex_unlock(&lock);
	return r;
}

static int do_write(struct handle *h, const char *buf, size_t size, off_t off)
{
	if (stale(h))
		return -EIO;
	ssize_t n = pwrite(h->fd, buf, size, off);
	if (n < 0)
		return -errno;
	int r = disk_wrote(h->node, off, (size_t)n);
	return r < 0 ? r : (int)n;
}

static int fs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)path;
	pthread_mutex_lock(&lock);
	int r = do_write(handle_of(fi), buf, size, off);
	pthread_mutex_unlock(&lock);
	return r;
}

/* posix_fallocate(): written zeros, as far as durability goes. */
static int fs_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi)
{
	(void)path;
	struct handle *h = handle_of(fi);
	if (mode != 0)
		return -EOPNOTSUPP;
	pthread_mutex_lock(&lock);
	int r = stale(h) ? -EIO : result(fallocate(h->fd, 0, off, len));
	if (r == 0)
		r = disk_wrote(h->node, off, (size_t)len);
	pthread_mutex_unlock(&lock);
	return r;
}

/* fsync() and fdatasync() alike: the content and the size. */
static int fs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	(void)datasync;
	struct handle *h = handle_of(fi);
	pthread_mutex_lock(&lock);
	int r = stale(h) ? -EIO : disk_sync_file(h->node, h->fd);
	pthread_mutex_unlock(&lock);
	return r;
}

static int fs_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	(void)datasync;
	struct handle *h = handle_of(fi);
	pthread_mutex_lock(&lock);
	int r = stale(h) ? -EIO : disk_sync_folder(h->node, h->fd);
	pthread_mutex_unlock(&lock);
	return r;
}

static int fs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	struct handle *h = handle_of(fi);
	pthread_mutex_lock(&lock);
	close(h->fd);
	free(h);
	pthread_mutex_unlock(&lock);
	return 0;
}

static int fs_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	return result(fstatvfs(root_fd, st));
}

static int fs_access(const char *path, int mask)
{
	pthread_mutex_lock(&lock);
	int r = result(faccessat(root_fd, rel(path), mask, 0));
	pthread_mutex_unlock(&lock);
	return r;
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	cfg->use_ino = 1;
	/* An open file unlinked is gone, not renamed .fuse_hidden*: a name the
	 * model would keep. Calls on it come with the handle and no path. */
	cfg->hard_remove = 1;
	cfg->nullpath_ok = 1;
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->kernel_cache = 0;
	cfg->direct_io = 0;
	printf("mounted\n");
	fflush(stdout);
	return NULL;
}

static const struct fuse_operations ops = {
	.init = fs_init,
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.mkdir = fs_mkdir,
	.unlink = fs_unlink,
	.rmdir = fs_rmdir,
	.rename = fs_rename,
	.chmod = fs_chmod,
	.chown = fs_chown,
	.utimens = fs_utimens,
	.truncate = fs_truncate,
	.open = fs_open,
	.create = fs_create,
	.read = fs_read,
	.write = fs_write,
	.fallocate = fs_fallocate,
	.fsync = fs_fsync,
	.fsyncdir = fs_fsyncdir,
	.release = fs_release,
	.opendir = fs_opendir,
	.releasedir = fs_release,
	.statfs = fs_statfs,
	.access = fs_access,
};

/* The cuts, one per SIGUSR1, on their own thread (the signal is blocked in
 * every other). */
static void *cutter(void *arg)
{
	const sigset_t *set = arg;
	for (unsigned n = 1;; n++) {
		int sig;
		if (sigwait(set, &sig) != 0)
			continue;
		struct disk_cut_stats s;
		pthread_mutex_lock(&lock);
		epoch++;
		int r = disk_cut(root_fd, &s);
		pthread_mutex_unlock(&lock);
		if (r < 0)
			printf("cut %u failed: %s\n", n, strerror(-r));
		else
			printf("cut %u: kept %zu files (%zu bytes) in %zu folders; dropped %zu unsynced pages\n", n,
			       s.files, s.bytes, s.folders, s.dropped_pages);
		fflush(stdout);
	}
	return NULL;
}

/* Mounts at @mountpoint and serves until SIGTERM or SIGINT, one call at a
 * time. Returns the exit status. */
static int serve(const char *argv0, const char *mountpoint)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	const char *fixed[] = {argv0, "-o", "fsname=powercut-fs,subtype=powercut"};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fuse_opt_add_arg(&args, fixed[i]) != 0)
			return EX_OSERR;
	struct fuse *f = fuse_new(&args, &ops, sizeof(ops), NULL);
	fuse_opt_free_args(&args);
	if (f == NULL)
		return EX_SOFTWARE;
	int status = EX_UNAVAILABLE;  /* libfuse said why on stderr: no /dev/fuse, no permission */
	if (fuse_mount(f, mountpoint) == 0) {
		struct fuse_session *se = fuse_get_session(f);
		int r = fuse_set_signal_handlers(se) == 0 ? fuse_loop(f) : -1;
		/* The loop returns the signal that ended it. */
		status = r == 0 || r == SIGTERM || r == SIGINT ? 0 : EX_SOFTWARE;
		fuse_remove_signal_handlers(se);
		fuse_unmount(f);
	}
	fuse_destroy(f);
	pthread_mutex_lock(&lock);
	disk_close();
	close(root_fd);
	return status;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: powercut-fs BACKING MOUNTPOINT\n");
		return EX_USAGE;
	}
	umask(0);  /* the callers' modes come with their umask applied */
	root_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = root_fd < 0 ? -errno : disk_load(root_fd);
	if (r < 0) {
		fprintf(stderr, "powercut-fs: %s: %s\n", argv[1], strerror(-r));
		return EX_NOINPUT;
	}
	static sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_t thread;
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0 || pthread_create(&thread, NULL, cutter, &set) != 0) {
		fprintf(stderr, "powercut-fs: cannot start the cutting thread\n");
		return EX_OSERR;
	}
	return serve(argv[0], argv[2]);
}
