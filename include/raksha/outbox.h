/* The durable outbox: publications wait on disk until the broker has them.
 *
 * Every publication is written here first (one file per envelope, written,
 * fsynced and renamed into place, then the folder fsynced) and removed only
 * after the broker's PUBACK. A retry sends the same bytes with the same
 * message_id, so subscribers store it once however often it leaves. Entries
 * are kept in the order of their UUIDv7 message ids, which is the order they
 * were made in. Several processes may share one outbox folder. */
#ifndef RAKSHA_OUTBOX_H
#define RAKSHA_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/problem.h>
#include <raksha/uuid.h>

#ifdef __cplusplus
extern "C" {
#endif

struct raksha_outbox;

/* One queued publication, as raksha_outbox_scan() hands it over. Valid only
 * during the callback. */
struct raksha_outbox_entry {
	uint8_t message_id[RAKSHA_UUID_LEN];
	const char *topic;
	const uint8_t *payload;
	size_t len;
	int64_t queued_at_ms;     /* when it was written (the file's mtime) */
};

/* Writes the default outbox folder into @buf: $XDG_STATE_HOME/raksha/outbox,
 * else $HOME/.local/state/raksha/outbox.
 * Returns the length, or:
 *   -ENOENT   neither XDG_STATE_HOME nor HOME is set
 *   -ENOBUFS  @buf is too small */
int raksha_outbox_default_dir(char *buf, size_t size);

/* Opens (creating it and its parents, mode 0700) the outbox in @dir, and
 * clears half-written files a crash left behind (they were never reported
 * as queued).
 * Returns 0, or:
 *   -ENOMEM  out of memory
 *   any errno of mkdir(2) or open(2) on @dir (-EACCES, -ENOTDIR, -EROFS, ...) */
int raksha_outbox_open(const char *dir, struct raksha_outbox **out);

/* Closes @ob. NULL is a no-op. */
void raksha_outbox_close(struct raksha_outbox *ob);

/* Queues @len bytes of @payload for @topic under @message_id, durably: when
 * this returns 0 the entry survives a crash or a power cut. Putting the same
 * message_id again replaces the entry with identical content.
 * Returns 0, or:
 *   -EINVAL  empty topic, or a payload over RAKSHA_ENVELOPE_SIZE_DEFAULT x 2
 *   -ENOSPC  the disk is full (nothing is queued)
 *   any errno of write(2), fsync(2) or rename(2) */
int raksha_outbox_put(struct raksha_outbox *ob, const char *topic, const void *payload,
		      size_t len, const uint8_t message_id[RAKSHA_UUID_LEN]);

/* Called for each entry, oldest first. Return 0 to go on, anything else to stop. */
typedef int (*raksha_outbox_entry_fn)(void *ctx, const struct raksha_outbox_entry *entry);
/* Called for each entry set aside, never silently dropped, never sent
 * again (and for a refused one that could not be: below), with @path where it is now (relative to the outbox folder) and
 * @reason: one that cannot be read back (truncated, checksum mismatch,
 * unreadable), moved into the folder's corrupt/ subfolder; and, from
 * raksha_outbox_flush(), one the broker refused (MQTT 5: -EACCES or -EPERM
 * of raksha_published_fn), moved into refused/ (made at the first
 * refusal) as "refused/<message id>.msg", @reason naming the topic and the
 * broker's words. An entry that corrupt/ or refused/ cannot take stays
 * where it is (a damaged one never handed out, a refused one queued):
 * @path is then its own name and @reason says so. */
typedef void (*raksha_outbox_corrupt_fn)(void *ctx, const char *path, const char *reason);

/* Calls @fn for every queued entry in order. @corrupt may be NULL.
 * Returns 0, the first non-zero value @fn returned, or:
 *   -ENOMEM  out of memory
 *   any errno of opendir(2) on the folder */
int raksha_outbox_scan(struct raksha_outbox *ob, raksha_outbox_entry_fn fn,
		       raksha_outbox_corrupt_fn corrupt, void *ctx);

/* Removes the entry of @message_id (after the broker acknowledged it) and
 * makes the removal durable. Returns 0, or:
 *   -ENOENT  no such entry (already removed, e.g. by another process)
 *   any errno of unlink(2) or fsync(2) */
int raksha_outbox_remove(struct raksha_outbox *ob, const uint8_t message_id[RAKSHA_UUID_LEN]);

/* True if the entry of @message_id is still queued (not yet acknowledged). */
bool raksha_outbox_contains(struct raksha_outbox *ob, const uint8_t message_id[RAKSHA_UUID_LEN]);

/* True if the broker refused the entry of @message_id for good (MQTT 5) and
 * raksha_outbox_flush() moved it into refused/. */
bool raksha_outbox_refused(struct raksha_outbox *ob, const uint8_t message_id[RAKSHA_UUID_LEN]);

/* What raksha_outbox_flush() did. */
struct raksha_outbox_flush_stats {
	unsigned sent;     /* published */
	unsigned acked;    /* acknowledged by the broker, and removed */
	unsigned failed;   /* lost with the connection, answered with an error that may
	                    * pass (raksha_published_fn's -EIO), or refused but not
	                    * taken by refused/: still queued */
	unsigned refused;  /* refused for good (MQTT 5 -EACCES, -EPERM): in refused/ */
};

/* Sends every queued entry over @client, oldest first but text first: every
 * entry of at most 16 KiB whose case (report, found child) no larger entry
 * queued before it has, then the rest, so that a case's entries keep their
 * order (at most 64 awaiting their PUBACK at once), removing each when the broker acknowledges it, and
 * waits for the answers, all within @timeout_ms. Takes the send lock,
 * waiting for it within the same time. Answers that come after the return
 * still remove their entries, or set them aside. An entry the broker
 * refuses for good (MQTT 5) is moved into refused/ and named to @corrupt,
 * from paho's thread but before the return; sending it again would not
 * change the refusal. @corrupt as for raksha_outbox_scan(); @stats may be
 * NULL.
 * Returns 0 if the outbox is empty or everything was acknowledged, or:
 *   -EACCES       the rest was acknowledged, but the broker refused some
 *                 (moved into refused/)
 *   -ETIMEDOUT    some entries were not acknowledged in time (they stay queued)
 *   -EWOULDBLOCK  another process held the send lock all the time
 *   -ENOTCONN     the client is not connected (nothing more was sent)
 *   -ENOMEM       out of memory
 *   any errno of raksha_outbox_scan() */
struct raksha_client;
int raksha_outbox_flush(struct raksha_outbox *ob, struct raksha_client *client, int timeout_ms,
			raksha_outbox_corrupt_fn corrupt, void *ctx,
			struct raksha_outbox_flush_stats *stats);

/* How many entries are queued. Returns the count, or a negative errno as scan. */
int raksha_outbox_count(struct raksha_outbox *ob);

/* Takes the folder's send lock (flock(2), exclusive), so that one process at
 * a time sends the backlog; released by raksha_outbox_unlock() or at exit.
 * @wait: 0 to fail at once if another process holds it.
 * Returns 0, or:
 *   -EWOULDBLOCK  another process holds it and @wait is 0
 *   any errno of flock(2) */
int raksha_outbox_lock(struct raksha_outbox *ob, int wait);
void raksha_outbox_unlock(struct raksha_outbox *ob);

#ifdef __cplusplus
}
#endif

#endif
