/* Backups of the agent's database on a schedule ([agent] backup_dir,
 * backup_interval, backup_keep; docs/deployment.md, Backups).
 *
 * A thread of its own copies the database every interval into the folder,
 * with SQLite's online backup API from a read-only connection that holds
 * one read transaction for the whole copy: in WAL mode the agent goes on
 * storing meanwhile, and the copy is the one snapshot its transaction
 * began with (a copy without that transaction would start again at each
 * of the agent's commits, and under a steady stream never end). It goes a
 * few pages a step, with a pause between, so that its reads do not crowd
 * out the agent's writes. Each copy is written under a temporary name,
 * mode 0600, synced, renamed into place and its folder synced; the newest
 * backup_keep copies stay, older ones go. */
#ifndef RAKSHA_AGENT_BACKUP_H
#define RAKSHA_AGENT_BACKUP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct backup;

/* Starts the schedule for @database into @dir (made if missing, 0700):
 * the first copy once the newest one already in @dir is @interval_ms old
 * (at once if there is none), then every @interval_ms; @keep copies kept.
 * Returns 0, -ENOMEM, -EAGAIN (no thread), or the errno of making @dir. */
int backup_start(const char *database, const char *dir, int64_t interval_ms, int keep, struct backup **out);

/* Ends a copy in progress (its temporary file goes) and the thread. NULL
 * is nothing. */
void backup_stop(struct backup *b);

/* One copy of @database to @path (which must not exist), as described
 * above, checking @stop (if not NULL) between steps. Returns 0, or -EINTR
 * (stopped), -EEXIST, -ENOSPC, -EIO, -ENOMEM; @err says why. */
int backup_copy(const char *database, const char *path, const atomic_int *stop, char *err, size_t errlen);

#endif
