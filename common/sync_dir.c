#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/sync_dir.h"

int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int sync_dir_of(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return sync_dir(".");
	if (slash == path)
		return sync_dir("/");
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	return sync_dir(dir);
}
