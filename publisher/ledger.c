#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sync_dir.h"
#include "publisher/ledger.h"

/* <outbox>/reports/<id>.json: private like the outbox, and beside nothing else. */
static void ledger_path(const char *outbox_dir, const char *id, const char *suffix,
			char *buf, size_t size)
{
	snprintf(buf, size, "%s/reports/%s.json%s", outbox_dir, id, suffix);
}

json_t *ledger_load(const char *outbox_dir, const char *report_id)
{
	char path[4200];
	ledger_path(outbox_dir, report_id, "", path, sizeof(path));
	return json_load_file(path, 0, NULL);
}

int ledger_save(const char *outbox_dir, const char *report_id, const json_t *report)
{
	char dir[4200], path[4200], tmp[4200];
	snprintf(dir, sizeof(dir), "%s/reports", outbox_dir);
	if (mkdir(dir, 0700) == 0) {
		int made = sync_dir(outbox_dir);
		if (made < 0)
			return made;
	} else if (errno != EEXIST) {
		return -errno;
	}
	ledger_path(outbox_dir, report_id, "", path, sizeof(path));
	ledger_path(outbox_dir, report_id, ".tmp", tmp, sizeof(tmp));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int r;
	if (json_dumpfd(report, fd, JSON_COMPACT) < 0) {
		r = -EIO;
		goto error_fd;
	}
	if (fsync(fd) < 0) {
		r = -errno;
		goto error_fd;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto error_tmp;
	}
	return sync_dir(dir);  /* --revise finds it after a power cut */

error_fd:
	close(fd);
error_tmp:
	unlink(tmp);
	return r;
}
