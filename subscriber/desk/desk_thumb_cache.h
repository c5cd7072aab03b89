/* The thumbnails made, in memory, by their photo's SHA-256: a list page
 * asks for the same photos again and again, and decoding a phone's photo
 * costs milliseconds. Bounded in entries and bytes, the least recently
 * used going first. A photo refused is remembered too, so that a hostile
 * one is decoded (and logged) once. Used by the desk's one HTTP thread. */
#ifndef RAKSHA_DESK_THUMB_CACHE_H
#define RAKSHA_DESK_THUMB_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DESK_THUMB_CACHE_ENTRIES 512
#define DESK_THUMB_CACHE_BYTES (4u << 20)   /* about 1,000 thumbnails of 4 KB */
#define DESK_THUMB_HASH_LEN 32

struct desk_thumb_entry {
	uint8_t hash[DESK_THUMB_HASH_LEN];
	uint8_t *jpeg;      /* NULL: the photo was refused */
	size_t len;
	uint64_t used;      /* 0: the entry is free */
};

struct desk_thumb_cache {
	struct desk_thumb_entry e[DESK_THUMB_CACHE_ENTRIES];
	size_t bytes;
	uint64_t clock;
	uint8_t *placeholder;  /* made on first need */
	size_t placeholder_len;
};

/* The entry of @hash (now the most recently used), or NULL. */
const struct desk_thumb_entry *desk_thumb_cache_find(struct desk_thumb_cache *c,
						     const uint8_t hash[DESK_THUMB_HASH_LEN]);

/* Keeps @jpeg (@len bytes, malloc'd; NULL: refused) for @hash, taking it
 * over, after evicting the least recently used until it fits. Returns
 * the entry, or NULL if @len alone exceeds the bound (then @jpeg is the
 * caller's still). */
const struct desk_thumb_entry *desk_thumb_cache_put(struct desk_thumb_cache *c,
						    const uint8_t hash[DESK_THUMB_HASH_LEN], uint8_t *jpeg,
						    size_t len);

void desk_thumb_cache_free(struct desk_thumb_cache *c);

#endif
