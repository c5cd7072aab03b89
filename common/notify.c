/* systemd's service notification without libsystemd (notify.h). */
#define _DEFAULT_SOURCE  /* SOCK_CLOEXEC */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/notify.h"

int notify(const char *fmt, ...)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !path[0])
		return 0;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path))
		return -EAFNOSUPPORT;
	memcpy(sa.sun_path, path, n);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';  /* an abstract name */
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(msg))
		return -EMSGSIZE;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ssize_t w = sendto(fd, msg, (size_t)len, MSG_NOSIGNAL, (const struct sockaddr *)&sa,
			   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
	int r = w == (ssize_t)len ? 1 : -errno;
	close(fd);
	return r;
}

uint64_t notify_watchdog_us(void)
{
	const char *us = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	if (!us || (pid && strtol(pid, NULL, 10) != (long)getpid()))
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(us, &end, 10);
	return errno == 0 && end != us && *end == '\0' ? (uint64_t)v : 0;
}
