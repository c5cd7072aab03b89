/* What a piece of a unit test writes to stderr, caught in memory: the
 * programs' log lines (common/log.h) go there. Needs _GNU_SOURCE
 * (memfd_create), defined before the first include. */
#ifndef RAKSHA_TESTS_STDERR_H
#define RAKSHA_TESTS_STDERR_H

#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

struct stderr_catch {
	int fd, saved;
};

/* From now on, stderr goes to memory. */
static inline void stderr_catch_begin(struct stderr_catch *c)
{
	c->fd = memfd_create("stderr", 0);
	c->saved = dup(STDERR_FILENO);
	dup2(c->fd, STDERR_FILENO);
}

/* stderr is back; what it got is in @buf (@size bytes, terminated). */
static inline void stderr_catch_end(struct stderr_catch *c, char *buf, size_t size)
{
	dup2(c->saved, STDERR_FILENO);
	ssize_t n = pread(c->fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(c->fd);
	close(c->saved);
}

#endif
