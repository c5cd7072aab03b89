/* The outbox's depth: what waits to be sent, counted by name in its
 * folder (lib/outbox.c names each entry "UUID.msg"), without opening
 * the outbox: a reader takes no lock of the agent's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <raksha/uuid.h>

#include "metrics/metrics.h"

#define ENTRY_SUFFIX ".msg"

static bool is_entry(const char *name)
{
	size_t len = strlen(name);
	return len == RAKSHA_UUID_TEXT_LEN + strlen(ENTRY_SUFFIX) &&
	       strcmp(name + RAKSHA_UUID_TEXT_LEN, ENTRY_SUFFIX) == 0;
}

int64_t metrics_outbox_depth(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		int e = errno;
		close(fd);
		return -e;
	}
	int64_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += is_entry(e->d_name);
	closedir(d);
	return n;
}
