#ifndef RAKSHA_COMMON_SYNC_DIR_H
#define RAKSHA_COMMON_SYNC_DIR_H

/* fsync() of the folder @dir: the names made or removed in it survive a
 * power cut (a folder's names are durable only at its own fsync; POSIX,
 * and tests/tools/powercut-fs). Returns 0 or a negative errno. */
int sync_dir(const char *dir);

/* sync_dir() of the folder holding @path (a file's name just made by
 * rename()). Returns 0 or a negative errno. */
int sync_dir_of(const char *path);

#endif
