/* A random client id (client_id.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "common/client_id.h"

int client_id_random(const char *username, char *out, size_t size)
{
	unsigned char r[8];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -EIO;
	int n = snprintf(out, size, "%s%sraksha-", username ? username : "", username ? ":" : "");
	if (n < 0 || (size_t)n + 2 * sizeof(r) >= size)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(out + n + 2 * i, 3, "%02x", r[i]);
	return 0;
}
