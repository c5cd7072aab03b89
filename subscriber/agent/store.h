/* The agent's log: every envelope it received, once, and the current view
 * of each case, in one SQLite file. A function that returns 0 has
 * committed: what it stored survives a crash (durability "crash") or a
 * power cut too (durability "power"). */
#ifndef RAKSHA_AGENT_STORE_H
#define RAKSHA_AGENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

enum durability {
	DURABILITY_POWER,  /* WAL, synchronous=FULL: each commit is on the disk */
	DURABILITY_CRASH,  /* WAL, synchronous=NORMAL: survives the process, not a power cut */
};

/* Most bytes of a rejected payload kept, for inspection: enough to see what
 * it was, not enough for a hostile sender to fill the disk. */
#define REJECTED_BYTES_MAX 4096
/* Of a rejection not kept (over a bound), the first one's first bytes. */
#define REJECTED_DROPPED_KEEP 256
/* What a rejected row costs beyond its bytes, topic and reason. */
#define REJECTED_ROW_OVERHEAD 64
/* What rejected input may cost (store_schema.h, REJECTED_COST), per sender
 * and in all, unless [agent] rejected_per_sender / rejected_total say. */
#define REJECTED_SENDER_DEFAULT (4LL << 20)
#define REJECTED_TOTAL_DEFAULT (64LL << 20)
/* Senders with a row of their own in rejected_senders; past them, all new
 * ones are one, REJECTED_OTHERS: a broker without ACLs lets anyone make
 * topics by the thousand. */
#define REJECTED_SENDERS_MAX 1024
#define REJECTED_OTHERS "(others)"

struct store;

/* Opens (creating, mode 0600) the database at @path and checks it
 * (PRAGMA quick_check). On failure @err says what is wrong.
 * Returns 0, or:
 *   -EIO     not a database, or damaged (integrity problems are named)
 *   -ENOSPC  the disk is full
 *   -EACCES  cannot be opened or created
 *   -ENOMEM  out of memory */
int store_open(const char *path, enum durability d, struct store **out, char *err, size_t errlen);

void store_close(struct store *s);

/* Whether the database's path still names the file this connection opened:
 * deleted or moved away, the agent would go on storing into a file nobody
 * will read again. Returns 0, -ESTALE (the path names another file, or
 * none) or -EIO (it cannot be looked at). */
int store_check_file(struct store *s);

/* Stores a valid envelope that arrived on @topic, with its @len bytes, and
 * updates the current view of its case, in one transaction; unless it is
 * a change of a case that its sender may not make (kept in rejected, cause
 * not-owner), or one that overtook its case's report (held, judged when
 * the report comes): docs/agent.md, "Who may change a case".
 * Returns 1 if it was new, 0 if its message_id was already stored (a
 * redelivery: nothing changes) or it was refused or held, or:
 *   -ENOSPC  the disk is full: nothing stored; do not acknowledge it
 *   -EIO     any other database failure: nothing stored */
int store_envelope(struct store *s, const char *topic, const raksha_envelope *env,
		   const void *bytes, size_t len, int64_t received_ms);

/* What one transaction does, on @s's connection: returns 0 for it to
 * commit, or a negative errno for it to roll back. */
typedef int (*store_steps_fn)(struct store *s, void *ctx);

/* Runs @steps in one transaction (BEGIN IMMEDIATE ... COMMIT), for a step
 * that stores an envelope together with other changes (store_db()). Rolls
 * back if @steps or the COMMIT failed, never when the BEGIN did (then
 * nothing is open, and a ROLLBACK would end another's transaction).
 * Returns 0; -ENOSPC, -EIO or -ENOMEM (BEGIN or COMMIT failed); or the
 * error @steps returned. */
int store_transaction(struct store *s, store_steps_fn steps, void *ctx);

/* As store_envelope(), inside the caller's transaction. */
int store_envelope_in(struct store *s, const char *topic, const raksha_envelope *env,
		      const void *bytes, size_t len, int64_t received_ms);

/* Whether the unit @origin names is a supervisor in the roster (may change
 * any case). Called by the committer, inside its transaction. */
typedef bool (*store_supervisor_fn)(void *ctx, const Raksha__V1__Origin *origin);

/* Who, besides the unit that made a case's report, may revise, cancel,
 * close or reopen it (docs/agent.md): @fn, or no one if NULL. Set before
 * the first envelope is stored. */
void store_set_supervisors(struct store *s, store_supervisor_fn fn, void *ctx);

/* How far past a case's revision a new one may go: revisions come from
 * one unit, one at a time; a jump is a forgery or a bug. */
#define STORE_REVISION_STEP_MAX 16
/* Most changes held per sender (STATE/REGION/AGENCY) for cases whose
 * report has not arrived; past it they are refused. */
#define STORE_HELD_PER_SENDER 1000

/* Whether @env is a found child: a sighting without report_id, a case of
 * its own keyed by its sighting_id (docs/agent.md, "Found children"). */
bool store_is_found(const raksha_envelope *env);

/* The case @env belongs to: raksha_envelope_report_id(), or a found
 * child's sighting_id; NULL for none. */
const ProtobufCBinaryData *store_case_id(const raksha_envelope *env);

/* The connection, for the agent's other tables (escalation_store.c). */
struct sqlite3 *store_db(struct store *s);

/* A statement of @sql on @s's connection, prepared the first time and kept
 * until store_close(), for the other tables' statements that run once per
 * stored message (the escalator's): preparing costs more than running
 * them. @sql is a string that outlives @s (a literal), known by its
 * address. Give it back with store_cached_done(), never finalize it; it is
 * not to be asked for again before then (no nesting of the same @sql).
 * Past STORE_CACHED_MAX statements, one is prepared for this use only
 * (the escalator's connection keeps 18: those of each message and of each
 * step, and the two settings of its scan's commit, escalator_scan.c).
 * Returns NULL if it cannot be prepared. */
#define STORE_CACHED_MAX 24
struct sqlite3_stmt *store_cached(struct store *s, const char *sql);

/* Makes @st (from store_cached(), or NULL) ready for its next use: reset,
 * bindings cleared; or finalized if it was not kept. */
void store_cached_done(struct store *s, struct sqlite3_stmt *st);

/* A negative errno for an SQLite result code: -ENOSPC, -ENOMEM or -EIO. */
int store_errno(int sqlite_rc);

/* Stores a rejected payload: topic, cause, reason, size and its first
 * REJECTED_BYTES_MAX bytes; all of them for cause RAKSHA_CAUSE_CLOCK, a
 * message right in every way but its time, to be taken once the clock
 * allows it (escalator_retake.c). Unless the row would take its sender
 * (store_sender()) past @s's bound, or all rejected input past the total:
 * then it is not kept but counted in rejected_senders, with the first such
 * one's topic, cause, reason, size and first REJECTED_DROPPED_KEEP bytes,
 * and said in the log at most once a minute. In the caller's transaction,
 * if any. Returns 0 if kept, 1 if counted, or -ENOSPC / -EIO. */
int store_rejected(struct store *s, const char *topic, const void *bytes, size_t len,
		   const struct raksha_problem *why, int64_t received_ms);

/* The bounds store_rejected() holds @s to, in bytes (REJECTED_COST): per
 * sender, and of all rejected input. */
void store_rejected_bounds(struct store *s, int64_t per_sender, int64_t total);

/* Whose rejected input a message on @topic is, since its body may be
 * unreadable: "STATE/REGION/AGENCY" of a topic under raksha/v1/ whose three
 * levels are valid (whatever follows), and "-" for any other topic (a
 * broker's ACL gives no unit one). Into @out, of at least
 * STORE_SENDER_MAX bytes. */
#define STORE_SENDER_MAX 100
void store_sender(const char *topic, char *out);

/* Copies what the WAL holds back into the database as far as it can without
 * waiting for anyone (a passive checkpoint): for a connection other than
 * the one that stores messages, so that their commits do not pay for it. */
void store_checkpoint(struct store *s);

/* How many envelopes and rejections are stored. Returns 0 or -EIO. */
int store_counts(struct store *s, int64_t *messages, int64_t *rejected);

#endif
