/* A unit test's agent database, as the stats' and metrics' tests make it:
 * in a temporary folder of its own (tmpdir.h), by the agent's store. */
#ifndef RAKSHA_TESTS_TEST_STORE_H
#define RAKSHA_TESTS_TEST_STORE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/store.h"
#include "tests/lib/tmpdir.h"

/* Makes @dir (tmpdir_make(), for @name) and opens @dir/agent.db, its path
 * in @path (@size bytes), with durability = crash into *@st. Returns 0, or
 * -1 with @err (@errlen bytes) saying why. */
static inline int test_store_make(char dir[64], const char *name, char *path, size_t size, struct store **st,
				  char *err, size_t errlen)
{
	if (tmpdir_make(dir, name) < 0) {
		snprintf(err, errlen, "no temporary folder");
		return -1;
	}
	snprintf(path, size, "%s/agent.db", dir);
	return store_open(path, DURABILITY_CRASH, st, err, errlen) < 0 ? -1 : 0;
}

/* @n distinct ids, 0x11, 0x22... each byte of the k-th, with the version
 * nibble of a UUIDv7. */
static inline void test_store_ids(uint8_t (*ids)[16], int n)
{
	for (int i = 0; i < n; i++) {
		memset(ids[i], 0x11 * (i + 1), 16);
		ids[i][6] = 0x70;
	}
}

#endif
