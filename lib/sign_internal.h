/* Internal: the key and trust store types of sign.h, shared by sign_key.c,
 * sign.c and trust_store.c. */
#ifndef RAKSHA_LIB_SIGN_INTERNAL_H
#define RAKSHA_LIB_SIGN_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <sodium.h>

#include <raksha/sign.h>

/* In sodium_malloc()'d memory: guarded, kept out of swap, wiped on free. */
struct raksha_signing_key {
	char id[65];
	uint8_t seed[crypto_sign_SEEDBYTES];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
};

struct trusted_unit {
	char id[65], state[33], region[33], agency[33];
	uint8_t pk[RAKSHA_PUBLIC_KEY_LEN];
};

/* Sorted by id, for bsearch. Shared by its loader and the clients that
 * check against it: freed with the last reference. */
struct raksha_trust_store {
	struct trusted_unit *units;
	size_t n;
	/* The roster's supervisors, with a key or without (pk unused): who
	 * may change any case (raksha_trust_store_supervisor()). */
	struct trusted_unit *supervisors;
	size_t n_supervisors;
	atomic_int refs;
};

/* Takes a reference to @ts (NULL is a no-op). Returns @ts. */
struct raksha_trust_store *trust_store_ref(const struct raksha_trust_store *ts);

/* The unit @id trusts, or NULL. */
const struct trusted_unit *trust_store_find(const struct raksha_trust_store *ts, const char *id);

void public_key_text(const uint8_t pk[RAKSHA_PUBLIC_KEY_LEN], char out[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1]);

#endif
