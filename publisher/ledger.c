#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/file_replace.h"
#include "common/sync_dir.h"
#include "publisher/ledger.h"

/* <outbox>/reports/<id>.json: private like the outbox, and beside nothing else. */
static void ledger_path(const char *outbox_dir, const char *id, char *buf, size_t size)
{
	snprintf(buf, size, "%s/reports/%s.json", outbox_dir, id);
}

json_t *ledger_load(const char *outbox_dir, const char *report_id)
{
	char path[4200];
	ledger_path(outbox_dir, report_id, path, sizeof(path));
	return json_load_file(path, 0, NULL);
}

/* Into stdio's buffer: one write(2) for a report without photos, where
 * json_dumpfd() made one a token, some 150 (docs/benchmarks.md, issue 19
 * part 3, session 4). */
static int write_report(FILE *f, const void *report)
{
	return json_dumpf(report, f, JSON_COMPACT) < 0 ? -EIO : 0;
}

int ledger_save(const char *outbox_dir, const char *report_id, const json_t *report)
{
	char dir[4200], path[4200], err[256];
	snprintf(dir, sizeof(dir), "%s/reports", outbox_dir);
	if (mkdir(dir, 0700) == 0) {
		int made = sync_dir(outbox_dir);
		if (made < 0)
			return made;
	} else if (errno != EEXIST) {
		return -errno;
	}
	ledger_path(outbox_dir, report_id, path, sizeof(path));
	/* Written whole, fsynced, renamed over the last revision's copy, the
	 * folder fsynced: --revise finds it after a power cut. */
	return file_replace(path, write_report, report, err, sizeof(err));
}

