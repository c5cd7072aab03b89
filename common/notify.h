#ifndef RAKSHA_COMMON_NOTIFY_H
#define RAKSHA_COMMON_NOTIFY_H

#include <stdint.h>

/* systemd's service notification (sd_notify(3)): the printf-formatted
 * lines ("READY=1", "STATUS=...") in one datagram to $NOTIFY_SOCKET, a
 * path or an abstract name (@...). Not libsystemd's sd_notify(): linking
 * libsystemd brought six libraries more (gcrypt, gpg-error, zstd, lzma,
 * lz4, cap), 1 MiB of the agent's RSS (docs/benchmarks.md, issue 19
 * part 6, session 5), for a protocol sd_notify(3) documents as stable
 * and gives this implementation of. Returns 1 when sent, 0 without
 * $NOTIFY_SOCKET, or a negative errno. */
int notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sd_watchdog_enabled(): $WATCHDOG_USEC when $WATCHDOG_PID is unset or
 * this process, else 0. */
uint64_t notify_watchdog_us(void);

#endif
