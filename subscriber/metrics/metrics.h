/* How an agent is doing, in Prometheus' text exposition format (0.0.4):
 * read from its database (and its outbox) by one module, which the desk's
 * GET /metrics and the agent's node-exporter textfile both use, so that
 * the two never say different things (docs/agent.md, "Metrics"). Nothing
 * in it is a child's data: counts, ages and states only. */
#ifndef RAKSHA_METRICS_H
#define RAKSHA_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#define METRICS_CAUSES_MAX 64   /* rejection causes read; the agent has about fifteen */
#define METRICS_LABEL_MAX 64    /* bytes of a cause kept */

struct metrics_count {
	char label[METRICS_LABEL_MAX];
	int64_t n;
};

/* The agent's own presence, read since the last look: keep one per
 * reader, zeroed, so that each scrape decodes only what is new. */
struct metrics_link {
	int64_t after_seq;     /* the last presence message read */
	int64_t connections;   /* its own "online" statuses: each start, each reconnection */
	int64_t reconnections; /* of them, those of a run that had one already */
	int64_t started_ms;    /* the run (started_at_ms) of the latest "online" */
	int connected;         /* its latest own status: 1 online, 0 offline, -1 none yet */
};

struct metrics {
	int64_t stored_total;       /* messages ever stored: the highest messages.seq */
	int64_t rejected_total;     /* rejected input ever kept: the highest rejected.seq */
	int64_t not_kept;           /* refused over a bound, counted in rejected_senders */
	struct metrics_count causes[METRICS_CAUSES_MAX];  /* rejected rows kept now, by cause */
	size_t n_causes;
	int64_t open, unacked, escalated;  /* cases as the board's title counts them */
	int64_t outbox;             /* envelopes waiting; -1: the outbox cannot be read */
	int64_t newest_ms;          /* arrival of the newest message; 0: none */
	int connected;              /* the link: 1, 0, or -1 not known */
	int64_t connections, reconnections;
	int64_t hooks_run, hooks_failed;  /* meta's hooks_run, hooks_failed */
};

/* Fills @m from @db (read-only is enough), the outbox folder @outbox and
 * the own presence of agent @id of @state/@region/@agency, which @link
 * follows from call to call. Returns 0, or -EIO (the database; @err,
 * @errlen bytes, says why) or -ENOMEM. */
int metrics_read(sqlite3 *db, const char *outbox, const char *const unit[3], const char *id,
		 struct metrics_link *link, struct metrics *m, char *err, size_t errlen);

/* Envelopes waiting in the outbox folder @dir ("UUID.msg" files; refused/
 * and corrupt/ do not wait), or a negative errno. */
int64_t metrics_outbox_depth(const char *dir);

/* Writes @m as the exposition format to @f, ages as of @now_ms. Returns 0,
 * or -EIO if @f could not take it. */
int metrics_write(FILE *f, const struct metrics *m, int64_t now_ms);

/* Writes @value into @f as a label value of the format: backslash, double
 * quote and line feed as \\, \" and \n; every other byte text_escape()
 * would not pass (controls, bidi overrides, what is not UTF-8) as its
 * \xNN, the backslash doubled, so the value reads as a log line would. */
void metrics_label_value(FILE *f, const char *value);

#endif
