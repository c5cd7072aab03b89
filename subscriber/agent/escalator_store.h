/* The escalator's tables (timers, own_pending, meta) and what it reads of
 * the rest. All on the escalator's own connection (store_db()). */
#ifndef RAKSHA_AGENT_ESCALATION_STORE_H
#define RAKSHA_AGENT_ESCALATION_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/store.h"

/* A case as a rule sees it when its timer is due. */
struct escalator_case {
	char status[16];
	int priority;
	bool exercise;                          /* a drill (cases.exercise) */
	char region[RAKSHA_SEGMENT_MAX + 1];
	char topic[RAKSHA_TOPIC_MAX];           /* of its latest report */
	char *child_name, *station, *train, *coach;  /* owned; may be NULL */
	bool linked;                            /* a found child linked to a report */
};

struct escalator_timer {
	uint8_t report_id[RAKSHA_UUID_LEN];
	char rule[80];
	int level;
	int64_t armed_ms;
};

/* The last messages.seq looked at, and moving it on. 0 or -errno. */
int escalator_scanned_get(struct store *s, int64_t *seq);
int escalator_scanned_set(struct store *s, int64_t seq);

/* Whether the connection's commits wait for the disk (synchronous = FULL,
 * @synced) or not (NORMAL), from the next commit on. 0 or -errno. */
int escalator_commits_synced(struct store *s, bool synced);

/* Calls @fn for each message after @after_seq (at most @limit), in order.
 * Returns how many, or -errno. */
typedef int (*escalator_message_fn)(void *ctx, int64_t seq, const char *topic, const void *bytes,
			      size_t len, int64_t received_ms);
int escalator_messages_after(struct store *s, int64_t after_seq, int limit, escalator_message_fn fn, void *ctx);

/* Arms @rule for @report_id, due at @due_ms, unless it was armed before.
 * 0 or -errno. */
int escalator_timer_arm(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN], const char *rule,
		  int64_t armed_ms, int64_t due_ms);

/* Forgets the timers of @report_id (a reopened case starts again). */
int escalator_timers_clear(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN]);

/* The timers due at @now, at most @max into @out. Returns how many, or -errno. */
int escalator_timers_due(struct store *s, int64_t now, struct escalator_timer *out, int max);

/* The earliest due time of a pending timer into *@due_ms, INT64_MAX if
 * none is pending. 0 or -errno. */
int escalator_timers_next(struct store *s, int64_t *due_ms);

/* Moves the due and armed times of every pending timer by @step_ms (the
 * clock was stepped). 0 or -errno. */
int escalator_timers_shift(struct store *s, int64_t step_ms);

/* Records that a timer fired at level @level: due next at @next_ms (0: it
 * ended, with @ended saying why), or ended without firing (@level 0 keeps
 * the level it had). 0 or -errno. */
int escalator_timer_update(struct store *s, const struct escalator_timer *t, int level, int64_t fired_ms,
		     int64_t next_ms, const char *ended);

/* Raises the case's escalation level to at least @level (the board shows
 * it, also when the rule only runs a command). 0 or -errno. */
int escalator_case_level(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN], int level);

/* The case view of @report_id. 0, -ENOENT (no report yet) or -errno. */
int escalator_case_get(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN], struct escalator_case *out);
void escalator_case_free(struct escalator_case *c);

/* Calls @fn for each agency that acknowledged @report_id until it returns true.
 * Returns true if it did. */
bool escalator_acked_by(struct store *s, const uint8_t report_id[RAKSHA_UUID_LEN],
		  bool (*fn)(const void *ctx, const char *agency), const void *ctx, char *who,
		  size_t wholen);

/* The agent's own envelopes between commit and outbox (store_schema.h). */
int escalator_pending_add(struct store *s, const uint8_t id[RAKSHA_UUID_LEN], const char *topic,
		    const void *bytes, size_t len);
int escalator_pending_remove(struct store *s, const uint8_t id[RAKSHA_UUID_LEN]);
typedef int (*escalator_pending_fn)(void *ctx, const uint8_t *id, const char *topic, const void *bytes,
			      size_t len);
int escalator_pending_each(struct store *s, escalator_pending_fn fn, void *ctx);

/* A rejection refused for its time alone (cause clock), to take again. */
struct escalator_rejected {
	int64_t seq, received_ms;
	int64_t size;     /* the payload's size; len < size if it was kept cut */
	char *topic;      /* owned */
	uint8_t *bytes;   /* owned */
	size_t len;
};

/* The first rejection of cause clock after rejected.seq @after_seq into
 * @out (escalator_rejected_free()). Returns 1, 0 if there is none, or
 * -errno. */
int escalator_clock_rejected_next(struct store *s, int64_t after_seq, struct escalator_rejected *out);
void escalator_rejected_free(struct escalator_rejected *r);

/* Removes rejection @seq (it was taken). 0 or -errno. */
int escalator_rejected_delete(struct store *s, int64_t seq);

/* Gives rejection @seq the cause and reason it is refused for now, keeping
 * its first REJECTED_BYTES_MAX bytes, as for any other rejection. 0 or
 * -errno. */
int escalator_rejected_recause(struct store *s, int64_t seq, const struct raksha_problem *why);

#endif
