/* mqtt://HOST:PORT taken apart, for publisher/oneshot/oneshot.c. */
#ifndef RAKSHA_PUBLISH_ONESHOT_URL_H
#define RAKSHA_PUBLISH_ONESHOT_URL_H

#include <stddef.h>

/* Fills @host (brackets of an IPv6 address taken off) and @port. Returns 0,
 * or -1 if @url is not mqtt://HOST:PORT with a port of 1-65535 and a host
 * that fits @size. */
int oneshot_url_parse(const char *url, char *host, size_t size, int *port);

#endif
