/* What the escalator's files share (escalator.c, escalator_scan.c,
 * escalator_fire.c, escalator_retake.c, escalator_clock.c). Only the escalator's thread touches these. */
#ifndef RAKSHA_AGENT_ESCALATOR_IMPL_H
#define RAKSHA_AGENT_ESCALATOR_IMPL_H

#include <pthread.h>
#include <stdbool.h>

#include "agent/escalator.h"
#include "agent/escalator_store.h"
#include "agent/hooks.h"
#include "common/log.h"
#include "history/history.h"
#include "match/match.h"

/* Messages looked at per transaction. */
#define SCAN_BATCH 200
/* Timers handled per tick. */
#define FIRE_BATCH 32
/* The timers' resolution: rules count in seconds at the finest. While
 * something needs looking at each step (a failure, hooks, a pass of the
 * clock's rejections), the escalator steps this often. */
#define ESCALATOR_TICK_MS 1000
#define ESCALATOR_RETAKE_INTERVAL_MS 60000
#define ESCALATOR_PRUNE_INTERVAL_MS (3600 * 1000)
/* With durability = power, the WAL is copied into the database once this
 * many messages came since the last copy (about 3 MiB of WAL, under the
 * committer's 8 MiB backstop), or once this long has gone by. */
#define ESCALATOR_CHECKPOINT_MESSAGES 64
#define ESCALATOR_CHECKPOINT_INTERVAL_MS 60000

struct escalator {
	const struct agent_config *c;
	struct store *store;              /* its own connection */
	struct raksha_outbox *outbox;
	struct outbox_sender *sender;
	struct hooks *hooks;
	struct history_drill drill;       /* a case's drill flag, on its connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool kicked, stopping;
	int kick_fd;                      /* an eventfd: a kick or the stop wakes the sleep */
	int watch_fd;                     /* dismissed_watch(), or -1: step each second */
	int64_t failed_log_ms;            /* a database failure, logged once a minute */
	int64_t pruned_ms;                /* the last retention pass */
	int64_t retaken_ms;               /* the last pass over rejections of cause clock */
	int64_t retake_mark;              /* how far it went; 0: no pass under way */
	int64_t scanned_seq;              /* the last message the scan looked at */
	bool scanned_known;               /* scanned_seq read from meta (only this thread writes it) */
	bool pending_maybe;               /* own_pending may hold rows: not yet seen empty since the last fire */
	bool dismissed_due;               /* the folder may hold files: no watch, or it told of some */
	int64_t checkpoint_seq, checkpoint_ms; /* scanned_seq and time at the last checkpoint */
	bool synced;                      /* its commits wait for the disk now (escalator_sync()) */
	bool clock_seen;
	int64_t clock_offset_ms;          /* wall minus monotonic, at the last look */
	struct match_keyer *keyer;        /* escalator_keyer(): opened at the first name; NULL: not yet, or none */
	bool keyer_failed;                /* ICU could not open it: no matching */
	uint64_t hooks_ran, hooks_failed; /* taken from the runner, not yet in meta */
};

/* What matching found in a batch (escalator_match.c), written with it. */
struct escalator_facts {
	uint8_t id[RAKSHA_UUID_LEN];
	int64_t seq;                      /* the case's report_seq it was made from */
	char *text;                       /* cases.match_facts (escalator_facts.c) */
};

struct escalator_match {
	uint8_t found_id[RAKSHA_UUID_LEN], report_id[RAKSHA_UUID_LEN];
	struct match_result result;
};

struct escalator_matches {
	struct escalator_facts *facts;
	size_t n_facts, cap_facts;
	struct escalator_match *rows;
	size_t n, cap;
};

/* Compares the new report or found child @env, stored at @seq, with the
 * open cases of the other kind, into @m (read outside the transaction).
 * Returns 0 or -errno. */
int escalator_match_look(struct escalator *e, struct escalator_matches *m, const raksha_envelope *env,
			 int64_t seq);

/* Writes @m (inside the transaction), suggestions dated @now. 0 or -errno. */
int escalator_match_apply(struct store *s, const struct escalator_matches *m, int64_t now);

/* One line per suggestion, after the commit. */
void escalator_match_log(const struct escalator_matches *m);

/* Empties @m for the next batch; frees it. */
void escalator_match_reset(struct escalator_matches *m);
void escalator_match_free(struct escalator_matches *m);

/* A case's match facts: written as one line (escalator_facts.c), read
 * back (-EINVAL if @s is not one), made from a report or found child
 * envelope or from the stored message at @seq. 0 or -errno. */
int escalator_facts_format(const struct match_person *p, char *out, size_t size);
int escalator_facts_parse(const char *s, struct match_person *p);
int escalator_facts_of_envelope(struct escalator *e, const raksha_envelope *env, struct match_person *p);
int escalator_facts_of_seq(struct escalator *e, int64_t seq, struct match_person *p);

/* The escalator without its thread: its own connection to the database,
 * the outbox, the hook runner (escalator_start() is this and the thread;
 * the unit test drives the steps below itself). Returns 0 or -errno
 * (logged). */
int escalator_open(const struct agent_config *c, struct outbox_sender *sender, struct escalator **out);
void escalator_close(struct escalator *e);
/* The matching keyer, opened at its first use (escalator.c says why);
 * NULL if ICU cannot open it (logged once). On the escalator's thread. */
struct match_keyer *escalator_keyer(struct escalator *e);

/* With durability = power, whether the connection's commits wait for the
 * disk (@synced: synchronous = FULL) or not (NORMAL), from the next one
 * on; with crash, nothing. FULL before each commit that must be on the
 * disk before what follows it (a hook started, the outbox, a file
 * removed, a count or a clock's step that no later look makes again);
 * NORMAL for a look at new messages that starts no hook
 * (escalator_scan.c). Set only when it changes: SQLite prepares a PRAGMA
 * anew at each run, and a lone report's look set it and set it back, 21,000
 * instructions (docs/benchmarks.md, issue 19 part 1, session 5). 0 or
 * -errno (the commit that needed FULL does not happen). */
int escalator_sync(struct escalator *e, bool synced);

/* Looks at every message stored since the last look, at @now_ms (a rule
 * starts at a message's arrival, or at @now_ms if that is earlier: the
 * clock was set back since). Returns 0 or -errno. */
int escalator_scan(struct escalator *e, int64_t now_ms);

/* How long the escalator may sleep after a step at @now_ms (wall time)
 * before the next is due (escalator_idle.c), @failed if that step failed:
 * until the earliest timer, retention, retake or checkpoint, at most a
 * minute; ESCALATOR_TICK_MS while something needs a look each second. */
int64_t escalator_idle_ms(struct escalator *e, int64_t now_ms, bool failed);

/* True if the wall clock @wall_ms moved against the monotonic @mono_ms
 * by a step since the last escalator_follow_clock() (escalator_clock.c):
 * a step is due at once, for the timers to move with it. */
bool escalator_clock_moved(const struct escalator *e, int64_t wall_ms, int64_t mono_ms);

/* Fires or ends the timers due at @now_ms (wall time: due times are in
 * the database, and must survive a restart). Returns 0 or -errno. */
int escalator_fire(struct escalator *e, int64_t now_ms);

/* Moves every pending timer by the step if the wall clock @wall_ms was
 * stepped since the last call (escalator_clock.c), against the monotonic
 * @mono_ms. Returns 0 or -errno (it tries again at the next call). */
int escalator_follow_clock(struct escalator *e, int64_t wall_ms, int64_t mono_ms);

/* Takes the envelopes refused for their time alone that @now_ms allows
 * (escalator_retake.c): a pass at start, then each minute, or at once
 * after the clock went back. Returns 0 or -errno. */
int escalator_retake(struct escalator *e, int64_t now_ms);

/* Puts the agent's own envelopes waiting in own_pending into the outbox.
 * Returns 0 or -errno. */
int escalator_send_pending(struct escalator *e);

/* Adds the hook runs that ended since the last call to meta's hooks_run
 * and hooks_failed (escalator_hooks.c). Returns 0 or a negative errno
 * (kept for the next call). */
int escalator_hook_counts(struct escalator *e);

#endif
