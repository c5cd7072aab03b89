#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk/desk_agent_alive.h"

#define AGENT_COMM "raksha-agent"  /* /proc/PID/comm of the agent's process */
#define SHM_DMS_BYTE 128  /* SQLite's unix VFS: UNIX_SHM_DMS, (22 + SQLITE_SHM_NLOCK) * 4 + 8 */

/* A line of /proc/locks ("7: POSIX  ADVISORY  READ 9146 fe:00:10952944 128 128";
 * a waiter's has "->" after the number): the pid of another process's
 * lock on inode @ino over the dead-man-switch byte, or 0. The inode alone
 * is compared: on an overlay the device named there is not stat()'s. */
static long holder(const char *line, unsigned long long ino, long self)
{
	char type[16], mode[16], rw[16], dev[64], end[32];
	long pid;
	unsigned long long start;
	if (sscanf(line, "%*d: %15s %15s %15s %ld %63s %llu %31s", type, mode, rw, &pid, dev, &start, end) != 7)
		return 0;  /* a waiter ("->"), or a form not known */
	const char *colon = strrchr(dev, ':');
	if (colon == NULL || strtoull(colon + 1, NULL, 10) != ino || pid == self || pid <= 0)
		return 0;
	if (start > SHM_DMS_BYTE || (strcmp(end, "EOF") != 0 && strtoull(end, NULL, 10) < SHM_DMS_BYTE))
		return 0;
	return pid;
}

/* A reader (raksha-board, another desk, sqlite3) holds the same lock:
 * only a process named raksha-agent counts, or one whose name cannot be
 * read (another pid namespace: counted, so as never to say "stopped"
 * wrongly). */
static bool is_agent(long pid)
{
	char path[64], comm[32] = "";
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return true;
	bool read = fgets(comm, sizeof(comm), f) != NULL;
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return !read || strcmp(comm, AGENT_COMM) == 0;
}

int desk_agent_alive(const char *database)
{
	char shm[4096], line[256];
	struct stat st;
	snprintf(shm, sizeof(shm), "%s-shm", database);
	if (stat(shm, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	FILE *f = fopen("/proc/locks", "re");
	if (f == NULL)
		return -errno;
	int found = 0;
	long self = (long)getpid();
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		long pid = holder(line, (unsigned long long)st.st_ino, self);
		found = pid > 0 && is_agent(pid);
	}
	fclose(f);
	return found;
}
