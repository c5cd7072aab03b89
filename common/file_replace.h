#ifndef RAKSHA_COMMON_FILE_REPLACE_H
#define RAKSHA_COMMON_FILE_REPLACE_H

#include <stddef.h>
#include <stdio.h>

/* Replaces @path whole and durably, so that a crash or power cut leaves
 * the old file or the new one, never a mix: @write(f, @ctx) fills a new
 * file PATH.tmp-PID (mode 0600, one a crash left is removed first), which
 * is flushed, fsynced and renamed over @path, then the folder fsynced.
 * Returns 0, or a negative errno (@write's own, or of the step that
 * failed) with @err (@errlen bytes) naming the file and why. */
int file_replace(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx, char *err,
		 size_t errlen);

#endif
