/* The ingest journal: what the broker has been told is stored, appended to
 * a file, and committed to the database in batches.
 *
 * An SQLite commit a message is the slow way to keep it: each touches
 * several pages, and each is a transaction. So the receive thread appends
 * each message to the journal and only then lets the broker have its
 * PUBACK: with durability "crash" one write() (the page cache survives the
 * agent's crash), with "power" a write() and an fdatasync() into a file
 * written in full beforehand, so that only the record's own block goes to
 * the disk. A committer thread stores what the journal holds, a batch per
 * transaction, recording in the same transaction how far it got. At start,
 * whatever the journal holds past that point (the agent died before
 * committing it) is stored first. Nothing acknowledged is lost, and nothing
 * is stored twice: the journal offset commits with the rows, and envelopes
 * are stored once by message_id anyway.
 *
 * The file is written over from its start again in passes, each with a
 * generation number in its records (recorded in the database when the pass
 * starts), so that what an earlier pass left further on is never read as
 * this one's. */
#ifndef RAKSHA_AGENT_JOURNAL_H
#define RAKSHA_AGENT_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/store.h"

struct journal;

/* Called on the committer thread after each commit, for each envelope that
 * was new (not a redelivery), in arrival order, with whether its case is
 * a drill (history_case_drill(), read in the transaction that stored it). */
typedef void (*journal_stored_fn)(void *ctx, const raksha_envelope *env, bool case_drill);

/* Opens the journal at @path (created, mode 0600) for @store, whose
 * connection it then uses from its committer thread only, and stores what a
 * crash left in it. With @sync (durability = power) each append reaches the
 * disk before journal_append() returns. @err says why it failed.
 * Returns 0, or -ENOSPC, -EIO, -ENOMEM, -EAGAIN (no thread), or the errno
 * of opening @path. */
int journal_open(const char *path, bool sync, struct store *store, journal_stored_fn fn, void *ctx,
		 struct journal **out, char *err, size_t errlen);

/* Appends a message received on @topic: valid (@why NULL) or rejected for
 * @why. @env is a valid one's envelope as decoded and checked before this
 * call, or NULL (then the committer decodes and checks the bytes), held by
 * @arena (raksha_message_keep_in()), or by malloc if @arena is NULL: on 0
 * the journal owns both, and the committer stores it without decoding
 * again; on an error they stay the caller's. When it returns 0 the message survives a crash of the agent (and
 * with sync, a power cut), and the committer will store it. Waits while
 * the committer is far behind, so that memory stays bounded; refuses while
 * the committer cannot store (the database's disk is full), so that nothing
 * more is acknowledged then. Returns 0, -ENOSPC (disk full: do not
 * acknowledge), -EIO or -ENOMEM. */
int journal_append(struct journal *j, const char *topic, const void *payload, size_t len,
		   const struct raksha_problem *why, raksha_envelope *env,
		   struct raksha_envelope_arena *arena, int64_t received_ms);

/* What the journal did since it opened: appends, the times an append woke
 * the committer, and the committer's transactions and the records in them
 * (not those stored by the recovery at open). */
struct journal_stats {
	uint64_t appended;
	uint64_t wakes;
	uint64_t commits;
	uint64_t committed;
};

/* Fills @out; for tests and a person counting. */
void journal_stats(struct journal *j, struct journal_stats *out);

/* From now on the committer tells nobody of what it stores (what it told
 * is going away); waits for a telling in progress to end. */
void journal_detach(struct journal *j);

/* The length at which the journal starts again even under a load that never
 * pauses (default 64 MiB); for tests. */
void journal_set_rotate_bytes(struct journal *j, int64_t bytes);

/* Stores everything appended, stops the committer and closes the file. */
void journal_close(struct journal *j);

/* Why the journal could not keep or store, for a log line: "the disk is
 * full" (-ENOSPC), "the database file was deleted or moved away"
 * (-ESTALE), "the database or its journal cannot be written" (others). */
const char *journal_strerror(int r);

#endif
