/* The one URL form the one-shot path takes: mqtt://HOST:PORT, the port
 * given, as libraksha's client wants it (so that a url the one-shot path
 * takes is never one the paho path, its fallback, refuses). */
#include <stdlib.h>
#include <string.h>

#include "publisher/oneshot/oneshot_url.h"

int oneshot_url_parse(const char *url, char *host, size_t size, int *port)
{
	if (strncmp(url, "mqtt://", 7) != 0)
		return -1;
	const char *h = url + 7;
	const char *end = h + strlen(h);
	const char *colon = strrchr(h, ':');
	if (h[0] == '[') {  /* an IPv6 address: its colons are not the port's */
		const char *close = strchr(h, ']');
		if (close == NULL)
			return -1;
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != ':' && close[1] != '\0')
			return -1;
		h++;
		end = close;
	} else if (colon != NULL) {
		end = colon;
	}
	if (colon == NULL)
		return -1;
	char *stop;
	long p = strtol(colon + 1, &stop, 10);
	if (colon[1] == '\0' || *stop != '\0' || p < 1 || p > 65535)
		return -1;
	*port = (int)p;
	size_t n = (size_t)(end - h);
	if (n == 0 || n >= size || memchr(h, '/', n) != NULL)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	return 0;
}
