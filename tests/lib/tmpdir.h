/* A unit test's own temporary folder, made at start and removed at the end. */
#ifndef RAKSHA_TESTS_TMPDIR_H
#define RAKSHA_TESTS_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

/* Makes /tmp/raksha-test-@name.XXXXXX into @dir (64 bytes). Returns 0, or -1. */
static inline int tmpdir_make(char dir[64], const char *name)
{
	snprintf(dir, 64, "/tmp/raksha-test-%s.XXXXXX", name);
	return mkdtemp(dir) == NULL ? -1 : 0;
}

/* Removes @dir and all it holds. Returns 0, or -1. */
static inline int tmpdir_remove(const char *dir)
{
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
