/* Reading the outbox back, oldest first; damaged entries are moved aside. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <raksha/outbox.h>

#include "lib/outbox_dir.h"
#include "lib/outbox_file.h"

struct names {
	char (*v)[OUTBOX_NAME_LEN + 1];
	size_t n, cap;
};

static int is_entry_name(const char *name, uint8_t id[RAKSHA_UUID_LEN])
{
	char uuid[RAKSHA_UUID_TEXT_LEN + 1];
	if (strlen(name) != OUTBOX_NAME_LEN || strcmp(name + RAKSHA_UUID_TEXT_LEN, OUTBOX_SUFFIX) != 0)
		return 0;
	memcpy(uuid, name, RAKSHA_UUID_TEXT_LEN);
	uuid[RAKSHA_UUID_TEXT_LEN] = '\0';
	return raksha_uuid_parse(uuid, id) == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The sorted names of all entries. */
static int list_names(int dirfd, struct names *out)
{
	DIR *d = fdopendir(fcntl(dirfd, F_DUPFD_CLOEXEC, 0));
	if (d == NULL)
		return -errno;
	rewinddir(d); /* a dup shares the folder's read offset with every other scan */
	struct dirent *e;
	uint8_t id[RAKSHA_UUID_LEN];
	int r = 0;
	while ((e = readdir(d)) != NULL) {
		if (!is_entry_name(e->d_name, id))
			continue;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 64;
			void *v = realloc(out->v, cap * sizeof(*out->v));
			if (v == NULL) {
				r = -ENOMEM;
				break;
			}
			out->v = v;
			out->cap = cap;
		}
		memcpy(out->v[out->n++], e->d_name, OUTBOX_NAME_LEN + 1);
	}
	closedir(d);
	if (r == 0 && out->n > 0)
		qsort(out->v, out->n, sizeof(*out->v), cmp_name);
	return r;
}

/* Reads @size bytes of @fd into @b; -EIO if the file ends first. */
static int read_all(int fd, uint8_t *b, size_t size)
{
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, b + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		got += (size_t)n;
	}
	return 0;
}

/* Reads a whole file; -ENOENT if another process removed it meanwhile. */
static int read_file(int dirfd, const char *name, uint8_t **buf, size_t *len, int64_t *mtime_ms)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	uint8_t *b;
	int r;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto error_fd;
	}
	b = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (b == NULL) {
		r = -ENOMEM;
		goto error_fd;
	}
	r = read_all(fd, b, (size_t)st.st_size);
	if (r < 0)
		goto error_buf;
	close(fd);
	*buf = b;
	*len = (size_t)st.st_size;
	*mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
	return 0;

error_buf:
	free(b);
error_fd:
	close(fd);
	return r;
}

static void move_aside(int dirfd, const char *name, const char *why,
		       raksha_outbox_corrupt_fn corrupt, void *ctx)
{
	char dst[OUTBOX_NAME_LEN + 16], text[320];
	int r = outbox_set_aside(dirfd, "corrupt", name);
	if (r < 0) {
		/* Still nothing lost or sent: it stays where it is, met (and
		 * said) again at each scan, until a person clears the way. */
		snprintf(dst, sizeof(dst), "%s", name);
		snprintf(text, sizeof(text), "%s; never sent, and it stays in the outbox, as corrupt/ cannot take it: %s",
			 why, strerror(-r));
	} else {
		snprintf(dst, sizeof(dst), "corrupt/%s", name);
		snprintf(text, sizeof(text), "%s; moved aside, never sent", why);
	}
	if (corrupt != NULL)
		corrupt(ctx, dst, text);
}

/* Reads one entry and hands it to @fn; 0 to go on, else what to return. */
static int visit(int dirfd, const char *name, raksha_outbox_entry_fn fn,
		 raksha_outbox_corrupt_fn corrupt, void *ctx)
{
	struct raksha_outbox_entry e;
	uint8_t *buf = NULL;
	size_t len = 0;
	char *topic;
	const char *why = NULL;
	int r = read_file(dirfd, name, &buf, &len, &e.queued_at_ms);
	if (r == -ENOENT)
		return 0; /* sent and removed by another process meanwhile */
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		move_aside(dirfd, name, strerror(-r), corrupt, ctx);
		return 0;
	}
	r = outbox_file_decode(buf, len, &topic, &e.payload, &e.len, &why);
	if (r < 0) {
		free(buf);
		if (r == -ENOMEM)
			return r;
		move_aside(dirfd, name, why, corrupt, ctx);
		return 0;
	}
	is_entry_name(name, e.message_id);
	e.topic = topic;
	r = fn(ctx, &e);
	free(topic);
	free(buf);
	return r;
}

int raksha_outbox_scan(struct raksha_outbox *ob, raksha_outbox_entry_fn fn,
		       raksha_outbox_corrupt_fn corrupt, void *ctx)
{
	struct names names = {0};
	int r = list_names(ob->dirfd, &names);
	for (size_t i = 0; r == 0 && i < names.n; i++)
		r = visit(ob->dirfd, names.v[i], fn, corrupt, ctx);
	free(names.v);
	return r;
}

int raksha_outbox_count(struct raksha_outbox *ob)
{
	struct names names = {0};
	int r = list_names(ob->dirfd, &names);
	free(names.v);
	return r < 0 ? r : (int)names.n;
}
