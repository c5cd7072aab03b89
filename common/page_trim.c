/* Giving back a library's pages touched once (page_trim.h). */
#define _DEFAULT_SOURCE  /* madvise */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common/page_trim.h"

static bool named(const char *line, const char *const *names)
{
	for (; *names; names++) {
		if (strstr(line, *names) != NULL)
			return true;
	}
	return false;
}

void page_trim(const char *const *names)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return;
	char line[512];
	unsigned long start = 0, end = 0;
	bool candidate = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e, anon;
		char perms[5];
		if (sscanf(line, "%lx-%lx %4s", &s, &e, perms) == 3) {
			start = s;
			end = e;
			candidate = perms[1] != 'w' && named(line, names);
			continue;
		}
		if (candidate && sscanf(line, "Anonymous: %lu", &anon) == 1) {
			if (anon == 0)
				madvise((void *)start, end - start, MADV_DONTNEED);
			candidate = false;
		}
	}
	fclose(f);
}
