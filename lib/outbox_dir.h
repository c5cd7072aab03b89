/* Internal: the outbox folder's handle and naming, shared by outbox.c
 * (writing) and outbox_scan.c (reading back). */
#ifndef RAKSHA_LIB_OUTBOX_DIR_H
#define RAKSHA_LIB_OUTBOX_DIR_H

#include <stdint.h>

#include <raksha/outbox.h>

/* An entry is "<message id as UUID text>.msg". */
#define OUTBOX_SUFFIX ".msg"
#define OUTBOX_NAME_LEN (RAKSHA_UUID_TEXT_LEN + sizeof(OUTBOX_SUFFIX) - 1)

struct raksha_outbox {
	int dirfd;
	int lockfd;   /* -1 until raksha_outbox_lock() */
};

/* Writes the file name of the entry of @id into @name. */
void outbox_entry_name(const uint8_t id[RAKSHA_UUID_LEN], char name[OUTBOX_NAME_LEN + 1]);

/* Moves the entry file @name of the folder open as @dirfd into its
 * subfolder @aside ("corrupt", "refused"), made first if it is not there,
 * durably: its new name is synced before the old one's removal, so that a
 * power cut in between leaves it in both folders, never in neither.
 * Returns 0, or a negative errno of mkdirat(2), fsync(2) or renameat(2). */
int outbox_set_aside(int dirfd, const char *aside, const char *name);

/* Removes the entry of @id from the folder open as @dirfd and makes the
 * removal durable. Returns 0, or a negative errno (-ENOENT: not there). */
int outbox_remove_at(int dirfd, const uint8_t id[RAKSHA_UUID_LEN]);

/* As outbox_remove_at(), without making the removal durable: for a caller
 * that removes many and fsyncs the folder once. */
int outbox_unlink_at(int dirfd, const uint8_t id[RAKSHA_UUID_LEN]);

#endif
