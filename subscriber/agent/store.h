/* The agent's log: every envelope it received, once, and the current view
 * of each case, in one SQLite file. A function that returns 0 has
 * committed: what it stored survives a crash (durability "crash") or a
 * power cut too (durability "power"). */
#ifndef RAKSHA_AGENT_STORE_H
#define RAKSHA_AGENT_STORE_H

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
 * updates the current view of its case, in one transaction.
 * Returns 1 if it was new, 0 if its message_id was already stored (a
 * redelivery: nothing changes), or:
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

/* The connection, for the agent's other tables (escalation_store.c). */
struct sqlite3 *store_db(struct store *s);

/* A negative errno for an SQLite result code: -ENOSPC, -ENOMEM or -EIO. */
int store_errno(int sqlite_rc);

/* Stores a rejected payload: topic, cause, reason, size and its first
 * REJECTED_BYTES_MAX bytes; all of them for cause RAKSHA_CAUSE_CLOCK, a
 * message right in every way but its time, to be taken once the clock
 * allows it (escalator_retake.c). Returns 0, -ENOSPC or -EIO. */
int store_rejected(struct store *s, const char *topic, const void *bytes, size_t len,
		   const struct raksha_problem *why, int64_t received_ms);

/* Copies what the WAL holds back into the database as far as it can without
 * waiting for anyone (a passive checkpoint): for a connection other than
 * the one that stores messages, so that their commits do not pay for it. */
void store_checkpoint(struct store *s);

/* How many envelopes and rejections are stored. Returns 0 or -EIO. */
int store_counts(struct store *s, int64_t *messages, int64_t *rejected);

#endif
