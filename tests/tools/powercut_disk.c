/* What a disk would hold after a power cut (powercut_disk.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/minmax.h"
#include "tests/tools/powercut_disk.h"

#define PAGE 4096
#define BUCKETS 4096

struct entry {
	char *name;
	struct disk_node *node;
};

struct disk_node {
	struct disk_node *next;       /* every node */
	struct disk_node *next_in_bucket;
	ino_t ino;                    /* the backing inode; 0 while it has no name there */
	bool folder;
	mode_t mode;
	uint8_t *data;                /* a file's durable content */
	size_t size, capacity;
	uint8_t *dirty;               /* a byte a page: written since the last sync */
	size_t pages;
	off_t low;                    /* the file's smallest size since the last sync */
	struct entry *entries;        /* a folder's durable names */
	size_t n_entries;
	char *made;                   /* during a cut: the path a file was made at */
};

static struct disk_node *all;
static struct disk_node *buckets[BUCKETS];
static struct disk_node *root;

static struct disk_node **bucket(ino_t ino)
{
	return &buckets[ino % BUCKETS];
}

static void map(struct disk_node *n, ino_t ino)
{
	n->ino = ino;
	n->next_in_bucket = *bucket(ino);
	*bucket(ino) = n;
}

struct disk_node *disk_find(ino_t ino)
{
	for (struct disk_node *n = *bucket(ino); n != NULL; n = n->next_in_bucket)
		if (n->ino == ino)
			return n;
	return NULL;
}

void disk_forget(ino_t ino)
{
	for (struct disk_node **p = bucket(ino); *p != NULL; p = &(*p)->next_in_bucket) {
		struct disk_node *n = *p;
		if (n->ino != ino)
			continue;
		*p = n->next_in_bucket;
		n->ino = 0;
		n->next_in_bucket = NULL;
		return;
	}
}

struct disk_node *disk_node_of(ino_t ino, bool folder, mode_t mode)
{
	struct disk_node *n = disk_find(ino);
	if (n != NULL)
		return n;
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->folder = folder;
	n->mode = mode & 07777;
	n->next = all;
	all = n;
	map(n, ino);
	return n;
}

void disk_set_mode(struct disk_node *n, mode_t mode)
{
	n->mode = mode & 07777;
}

int disk_wrote(struct disk_node *n, off_t off, size_t len)
{
	if (len == 0)
		return 0;
	size_t first = (size_t)off / PAGE, last = ((size_t)off + len - 1) / PAGE;
	if (last >= n->pages) {
		size_t pages = MAX(last + 1, n->pages * 2);
		uint8_t *d = realloc(n->dirty, pages);
		if (d == NULL)
			return -ENOMEM;
		memset(d + n->pages, 0, pages - n->pages);
		n->dirty = d;
		n->pages = pages;
	}
	memset(n->dirty + first, 1, last - first + 1);
	return 0;
}

void disk_truncated(struct disk_node *n, off_t size)
{
	n->low = MIN(n->low, size);
}

/* The durable content made @size long, zeros where it grows. */
static int resize(struct disk_node *n, size_t size)
{
	if (size > n->capacity) {
		size_t capacity = MAX(size, n->capacity * 2);
		uint8_t *d = realloc(n->data, capacity);
		if (d == NULL)
			return -ENOMEM;
		n->data = d;
		n->capacity = capacity;
	}
	if (size > n->size)
		memset(n->data + n->size, 0, size - n->size);
	n->size = size;
	return 0;
}

/* Copies each run of written pages below @size from @fd. */
static int copy_dirty(struct disk_node *n, int fd, size_t size)
{
	size_t pages = MIN(n->pages, (size + PAGE - 1) / PAGE);
	for (size_t p = 0; p < pages; p++) {
		if (!n->dirty[p])
			continue;
		size_t end = p;
		while (end < pages && n->dirty[end])
			end++;
		size_t at = p * PAGE, len = MIN(end * PAGE, size) - at;
		if (pread(fd, n->data + at, len, (off_t)at) != (ssize_t)len)
			return -EIO;
		p = end;
	}
	return 0;
}

int disk_sync_file(struct disk_node *n, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	/* What was cut off since is zeros now, unless written again. */
	int r = resize(n, MIN(n->size, (size_t)n->low));
	if (r < 0)
		return r;
	r = resize(n, (size_t)st.st_size);
	if (r < 0)
		return r;
	r = copy_dirty(n, fd, (size_t)st.st_size);
	if (r < 0)
		return r;
	if (n->pages > 0)
		memset(n->dirty, 0, n->pages);
	n->low = st.st_size;
	n->mode = st.st_mode & 07777;
	return 0;
}

static void free_entries(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

/* Adds the name @name of the folder @fd to @e (of *@count, room for *@room). */
static int take_entry(int fd, const char *name, struct entry **e, size_t *count, size_t *room)
{
	struct stat st;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0;  /* the file system makes nothing else */
	if (*count == *room) {
		size_t more = MAX(16, *room * 2);
		struct entry *bigger = realloc(*e, more * sizeof(**e));
		if (bigger == NULL)
			return -ENOMEM;
		*e = bigger;
		*room = more;
	}
	struct entry *new = &(*e)[*count];
	new->node = disk_node_of(st.st_ino, S_ISDIR(st.st_mode), st.st_mode);
	new->name = new->node != NULL ? strdup(name) : NULL;
	if (new->name == NULL)
		return -ENOMEM;
	(*count)++;
	return 0;
}

int disk_sync_folder(struct disk_node *n, int fd)
{
	DIR *d = fdopendir(fcntl(fd, F_DUPFD_CLOEXEC, 0));
	if (d == NULL)
		return -errno;
	rewinddir(d);  /* a dup shares the read offset */
	struct entry *e = NULL;
	size_t count = 0, room = 0;
	int r = 0;
	for (struct dirent *de; r == 0 && (de = readdir(d)) != NULL;)
		r = take_entry(fd, de->d_name, &e, &count, &room);
	closedir(d);
	if (r < 0) {
		free_entries(e, count);
		return r;
	}
	free_entries(n->entries, n->n_entries);
	n->entries = e;
	n->n_entries = count;
	return 0;
}

static int load_file(int folder_fd, const char *name, struct disk_node *n)
{
	int fd = openat(folder_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = -errno;
		if (fd >= 0)
			close(fd);
		return e;
	}
	int r = disk_wrote(n, 0, (size_t)st.st_size);
	if (r == 0)
		r = disk_sync_file(n, fd);
	close(fd);
	return r;
}

/* The folder @fd and all below it, durable as they are. */
static int load_folder(int fd, struct disk_node *folder)
{
	int r = disk_sync_folder(folder, fd);
	for (size_t i = 0; r == 0 && i < folder->n_entries; i++) {
		const struct entry *e = &folder->entries[i];
		if (!e->node->folder) {
			r = load_file(fd, e->name, e->node);
			continue;
		}
		int sub = openat(fd, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return -errno;
		r = load_folder(sub, e->node);
		close(sub);
	}
	return r;
}

int disk_load(int root_fd)
{
	struct stat st;
	if (fstat(root_fd, &st) < 0)
		return -errno;
	root = disk_node_of(st.st_ino, true, st.st_mode);
	if (root == NULL)
		return -ENOMEM;
	return load_folder(root_fd, root);
}

/* Empties the folder @fd, all below it too. Passes again until one finds
 * nothing: names removed while a folder is read may hide others. */
static int clear_folder(int fd)
{
	for (int removed = 1; removed > 0;) {
		DIR *d = fdopendir(fcntl(fd, F_DUPFD_CLOEXEC, 0));
		if (d == NULL)
			return -errno;
		rewinddir(d);
		removed = 0;
		int r = 0;
		for (struct dirent *de; r == 0 && (de = readdir(d)) != NULL;) {
			struct stat st;
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				r = -errno;
				break;
			}
			int sub = S_ISDIR(st.st_mode) ? openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
			if (sub >= 0) {
				r = clear_folder(sub);
				close(sub);
			}
			if (r == 0 && unlinkat(fd, de->d_name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
				r = -errno;
			removed++;
		}
		closedir(d);
		if (r < 0)
			return r;
	}
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int rebuild(int root_fd, int fd, const char *path, struct disk_node *folder, struct disk_cut_stats *stats);

/* A durable file made again in the folder @fd at @path, or linked there if
 * it was made already: durable under two names (renamed from one folder to
 * another, and both synced since). */
static int make_file(int root_fd, int fd, const char *path, const struct entry *e, struct disk_cut_stats *stats)
{
	struct disk_node *n = e->node;
	if (n->ino != 0)
		return linkat(root_fd, n->made, fd, e->name, 0) < 0 ? -errno : 0;
	int f = openat(fd, e->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, n->mode);
	if (f < 0)
		return -errno;
	struct stat st;
	int r = write_all(f, n->data, n->size);
	if (r == 0 && fstat(f, &st) < 0)
		r = -errno;
	close(f);
	if (r < 0)
		return r;
	n->made = strdup(path);
	if (n->made == NULL)
		return -ENOMEM;
	map(n, st.st_ino);
	stats->files++;
	stats->bytes += n->size;
	return 0;
}

/* A durable folder made again, with what it durably holds. One durable in
 * two folders is made in the first only: a folder has one name. */
static int make_folder(int root_fd, int fd, const char *path, const struct entry *e, struct disk_cut_stats *stats)
{
	struct disk_node *n = e->node;
	if (n->ino != 0)
		return 0;
	if (mkdirat(fd, e->name, n->mode) < 0)
		return -errno;
	int sub = openat(fd, e->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sub < 0)
		return -errno;
	struct stat st;
	int r = fstat(sub, &st) < 0 ? -errno : 0;
	if (r == 0) {
		map(n, st.st_ino);
		stats->folders++;
		r = rebuild(root_fd, sub, path, n, stats);
	}
	close(sub);
	return r;
}

/* The durable names of @folder made again in @fd (its path: @path). */
static int rebuild(int root_fd, int fd, const char *path, struct disk_node *folder, struct disk_cut_stats *stats)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < folder->n_entries; i++) {
		const struct entry *e = &folder->entries[i];
		char *sub;
		if (asprintf(&sub, "%s/%s", path, e->name) < 0)
			return -ENOMEM;
		if (e->node->folder)
			r = make_folder(root_fd, fd, sub, e, stats);
		else
			r = make_file(root_fd, fd, sub, e, stats);
		free(sub);
	}
	return r;
}

static void free_node(struct disk_node *n)
{
	free_entries(n->entries, n->n_entries);
	free(n->data);
	free(n->dirty);
	free(n->made);
	free(n);
}

/* After a cut: nodes made again start clean; the rest, which no durable
 * name holds, go. */
static void sweep(void)
{
	for (struct disk_node **p = &all; *p != NULL;) {
		struct disk_node *n = *p;
		free(n->made);
		n->made = NULL;
		if (n->ino == 0) {
			*p = n->next;
			free_node(n);
			continue;
		}
		if (n->pages > 0)
			memset(n->dirty, 0, n->pages);
		n->low = (off_t)n->size;
		p = &n->next;
	}
}

int disk_cut(int root_fd, struct disk_cut_stats *stats)
{
	*stats = (struct disk_cut_stats){0};
	for (struct disk_node *n = all; n != NULL; n = n->next) {
		for (size_t p = 0; p < n->pages; p++)
			stats->dropped_pages += n->dirty[p];
		n->ino = 0;
		n->next_in_bucket = NULL;
	}
	memset(buckets, 0, sizeof(buckets));
	int r = clear_folder(root_fd);
	if (r < 0)
		return r;
	struct stat st;
	if (fstat(root_fd, &st) < 0)
		return -errno;
	map(root, st.st_ino);
	r = rebuild(root_fd, root_fd, ".", root, stats);
	if (r == 0)
		sweep();
	return r;
}

void disk_close(void)
{
	while (all != NULL) {
		struct disk_node *n = all;
		all = n->next;
		free_node(n);
	}
	memset(buckets, 0, sizeof(buckets));
	root = NULL;
}
