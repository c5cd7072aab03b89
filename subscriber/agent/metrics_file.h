/* The agent's metrics (subscriber/metrics/) written for a site without the
 * desk: every [agent] metrics_interval to [agent] metrics_textfile, which
 * node-exporter's textfile collector reads (docs/agent.md, "Metrics"). A
 * thread of its own, with its own read-only connection: the log's threads
 * never wait for it. */
#ifndef RAKSHA_AGENT_METRICS_FILE_H
#define RAKSHA_AGENT_METRICS_FILE_H

#include <sqlite3.h>

#include "agent/config.h"
#include "metrics/metrics.h"

struct metrics_file;

/* Starts the writer if @c names a textfile (*@out NULL if not). Returns 0,
 * or a negative errno (no thread). */
int metrics_file_start(const struct agent_config *c, struct metrics_file **out);

/* Stops it; the file stays, with what it said last. NULL is a no-op. */
void metrics_file_stop(struct metrics_file *m);

/* Writes the metrics of @db for @c to its textfile once, replacing it
 * whole (temporary file, fsync, rename: a reader sees the old file or the
 * new one, never a part), mode 0644: node-exporter runs as another user,
 * and the file holds no child's data. Returns 0 or a negative errno, with
 * @err (@errlen bytes) saying why. */
int metrics_file_write(const struct agent_config *c, sqlite3 *db, struct metrics_link *link, char *err,
		       size_t errlen);

#endif
