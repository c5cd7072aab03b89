#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/file_replace.h"
#include "common/sync_dir.h"

static int write_synced(int fd, int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	FILE *f = fdopen(fd, "w");
	if (f == NULL) {
		int r = -errno;
		close(fd);
		return r;
	}
	int r = write(f, ctx);
	if (r == 0 && (fflush(f) != 0 || fsync(fd) != 0))
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

int file_replace(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx, char *err,
		 size_t errlen)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int r = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(-r));
		return r;
	}
	int r = write_synced(fd, write, ctx);
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		unlink(tmp);
		return r;
	}
	r = sync_dir_of(path);
	if (r < 0)
		snprintf(err, errlen, "%s's folder: %s", path, strerror(-r));
	return r;
}
