/* The ingest journal's insides (journal.h), shared by its three parts:
 * journal.c (appending, the committer thread), journal_commit.c (the
 * database's side) and journal_recover.c (at start). */
#ifndef RAKSHA_AGENT_JOURNAL_IMPL_H
#define RAKSHA_AGENT_JOURNAL_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/journal.h"
#include "history/history.h"

#define BATCH_MAX 1024          /* records per transaction, */
#define BATCH_MAX_BYTES (1 << 20) /* or bytes, but at least one record */
#define QUEUE_MAX 4096          /* records waiting before the receive thread waits, */
#define QUEUE_MAX_BYTES (1 << 20) /* or bytes (photos): the agent's memory stays small; */
				  /* each record's decoded envelope waits with it, about */
				  /* as large again */
#define COMMIT_GAP_NS 250000L   /* at most a transaction each 250 µs, unless a batch waits; */
/* with sync, each 10 ms: every record is on the disk in the journal before
 * its PUBACK already, and the batches' commits do not sync (journal_commit.c),
 * but each writes the pages it touched (the messages table's last leaf,
 * four indexes, the case, cases_open, meta) to the WAL again, which the
 * disk's next flush carries with the journal's block. A backlog drained at
 * a disk's 2,000-5,000 syncs a second went in batches of two or three
 * records, 2.8 WAL frames (11.7 KiB) a message; at 10 ms, 20-50 records a
 * batch (docs/benchmarks.md, issue 19, part 4, session 4). A lone report
 * still commits at once: the gap counts from the last commit. */
#define SYNC_COMMIT_GAP_NS 10000000L
#define RETRY_MS 200            /* after a failed commit (a full disk) */
#define PASS_BYTES (1 << 20)    /* a pass this long starts again once all is stored, */
#define ROTATE_BYTES_DEFAULT (64 << 20)  /* and one this long even if appends must wait */

struct entry {
	struct entry *next;
	size_t len;
	int64_t end;                /* the journal offset after it */
	raksha_envelope *env;       /* decoded and checked, or NULL: not yet (or rejected) */
	struct raksha_envelope_arena *arena;  /* holds env, or NULL: env is malloc's */
	uint8_t bytes[];            /* the record as written */
};

struct journal {
	int fd;
	bool sync;                  /* durability = power: each append reaches the disk */
	struct store *store;
	pthread_mutex_t stored_lock;  /* held while @stored runs; journal_detach() */
	journal_stored_fn stored;
	void *ctx;
	struct history_drill drill;   /* the committer's lookups of a case's drill flag */
	pthread_t thread;
	pthread_mutex_t lock;       /* guards all below, and orders appends */
	pthread_cond_t wake;        /* records queued, or stopping */
	pthread_cond_t room;        /* the queue shrank */
	struct entry *head, **tail;
	size_t queued, queued_bytes;
	uint64_t generation;        /* of this pass over the file */
	int64_t end;                /* where this pass has written to */
	int64_t rotate_bytes;
	bool rotating;              /* appends wait until the journal starts again */
	int failing;                /* the committer's error: appends are refused */
	bool stopping;
	size_t room_waiters;        /* appends waiting for room: the committer goes now */
	struct journal_stats stats;
};

/* Stores the @n records of @batch and the journal offset after the last,
 * in one transaction; then tells of the new envelopes. Returns 0, -ENOSPC,
 * -EIO or -ENOMEM. */
int journal_commit(struct journal *j, struct entry *batch, size_t n);

void journal_free_entries(struct entry *e);

/* Whether a batch of @n records of @bytes in all is as large as one may be. */
static inline bool journal_batch_full(size_t n, size_t bytes)
{
	return n >= BATCH_MAX || bytes >= BATCH_MAX_BYTES;
}

/* Starts a new pass over the file, from offset 0, with the next generation
 * (recorded in the database first). Returns 0, -ENOSPC or -EIO. */
int journal_start_pass(struct journal *j);

/* Reads a value of the database's meta table (*@found false: none). Returns
 * 0 or -EIO. */
int journal_meta_get(struct store *s, const char *key, int64_t *value, bool *found);

/* Opens (creating) a journal's file, private even if it existed (child
 * data, like the database). Returns the descriptor, or -errno. */
int journal_open_file(const char *path);

/* At open: stores what the file holds past the committed offset, writes the
 * file in full with sync, and starts a new pass. A new database beside a
 * journal that holds records (another database's: its own deleted or moved
 * away) sets that journal aside, renamed PATH.orphan-MS, and starts a new
 * file: what was acknowledged into it is kept, never written over. @err
 * says why it failed. Returns 0, -ENOSPC, -EIO or -ENOMEM. */
int journal_recover(struct journal *j, const char *path, char *err, size_t errlen);

#endif
