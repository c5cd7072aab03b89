/* What a disk would hold after a power cut, for tests/tools/powercut-fs.c.
 *
 * The backing folder is what the running system sees (the page cache and
 * the disk together); beside it this module keeps, in memory, what is
 * durable: for each file, its content and size as of its last fsync() or
 * fdatasync(); for each folder, its names (each naming a file or folder
 * by inode) as of its last fsync(). Nothing else makes anything durable:
 * not close(), not a rename, not the fsync() of a file for the name it was
 * created under (POSIX promises no more; ext4 and XFS happen to give more).
 * A cut replaces the backing folder's content with the durable state.
 *
 * Not modelled: modes, owners and times (durable at once), symbolic and
 * hard links (the file system refuses to make them). Every function is
 * called under the file system's one lock. */
#ifndef RAKSHA_TESTS_POWERCUT_DISK_H
#define RAKSHA_TESTS_POWERCUT_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct disk_node;

/* What a cut kept, and the pages written since their file's last sync
 * that it dropped. */
struct disk_cut_stats {
	size_t files, folders, bytes, dropped_pages;
};

/* Takes the backing folder's content (root_fd, a descriptor of the folder)
 * as durable: the disk as it was before the mount. Returns 0 or -errno. */
int disk_load(int root_fd);

/* The node of the backing inode @ino, or NULL if it has none. */
struct disk_node *disk_find(ino_t ino);

/* The node of @ino; a new one (nothing of it durable) if it had none.
 * NULL only when out of memory. */
struct disk_node *disk_node_of(ino_t ino, bool folder, mode_t mode);

/* The backing inode @ino has no name any more (unlinked, or renamed over):
 * what of it is durable stays, for whichever durable names still hold it. */
void disk_forget(ino_t ino);

/* chmod() of @n: modes are durable at once. */
void disk_set_mode(struct disk_node *n, mode_t mode);

/* Bytes @off..@off+@len of @n's file were written. Returns 0 or -ENOMEM. */
int disk_wrote(struct disk_node *n, off_t off, size_t len);

/* @n's file was cut to @size (its content past it is zeros now). */
void disk_truncated(struct disk_node *n, off_t size);

/* fsync() or fdatasync() of @n's file, open as @fd: its content and size
 * durable. Returns 0 or -errno. */
int disk_sync_file(struct disk_node *n, int fd);

/* fsync() of @n's folder, open as @fd: its names durable (what each names
 * is durable by its own syncs). Returns 0 or -errno. */
int disk_sync_folder(struct disk_node *n, int fd);

/* The power cut: the backing folder's content replaced by the durable
 * state, whose nodes now name the new inodes; nodes no durable name holds
 * are freed. Returns 0 or -errno (then the folder is in no known state). */
int disk_cut(int root_fd, struct disk_cut_stats *stats);

/* Frees every node (at exit). */
void disk_close(void);

#endif
