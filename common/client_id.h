/* The client id Raksha's programs connect with when none is configured. */
#ifndef RAKSHA_COMMON_CLIENT_ID_H
#define RAKSHA_COMMON_CLIENT_ID_H

#include <stddef.h>

/* Writes "USERNAME:raksha-" (no username: "raksha-") and 16 random hex
 * digits into @out: the production broker binds a client id to its
 * username by that prefix. Returns 0, -EINVAL if @size is too small, or
 * -EIO if the kernel gave no randomness. */
int client_id_random(const char *username, char *out, size_t size);

#endif
