#include <stdlib.h>
#include <string.h>

#include "desk/desk_thumb_cache.h"

const struct desk_thumb_entry *desk_thumb_cache_find(struct desk_thumb_cache *c,
						     const uint8_t hash[DESK_THUMB_HASH_LEN])
{
	for (size_t i = 0; i < DESK_THUMB_CACHE_ENTRIES; i++) {
		struct desk_thumb_entry *e = &c->e[i];
		if (e->used != 0 && memcmp(e->hash, hash, DESK_THUMB_HASH_LEN) == 0) {
			e->used = ++c->clock;
			return e;
		}
	}
	return NULL;
}

static void drop(struct desk_thumb_cache *c, struct desk_thumb_entry *e)
{
	c->bytes -= e->len;
	free(e->jpeg);
	*e = (struct desk_thumb_entry){0};
}

/* The least recently used entry; there is one whenever bytes are held. */
static struct desk_thumb_entry *oldest(struct desk_thumb_cache *c)
{
	struct desk_thumb_entry *o = NULL;
	for (size_t i = 0; i < DESK_THUMB_CACHE_ENTRIES; i++) {
		if (c->e[i].used != 0 && (o == NULL || c->e[i].used < o->used))
			o = &c->e[i];
	}
	return o;
}

static struct desk_thumb_entry *unused(struct desk_thumb_cache *c)
{
	for (size_t i = 0; i < DESK_THUMB_CACHE_ENTRIES; i++) {
		if (c->e[i].used == 0)
			return &c->e[i];
	}
	return NULL;
}

const struct desk_thumb_entry *desk_thumb_cache_put(struct desk_thumb_cache *c,
						    const uint8_t hash[DESK_THUMB_HASH_LEN], uint8_t *jpeg,
						    size_t len)
{
	if (len > DESK_THUMB_CACHE_BYTES)
		return NULL;
	while (c->bytes + len > DESK_THUMB_CACHE_BYTES)
		drop(c, oldest(c));
	struct desk_thumb_entry *e = unused(c);
	if (e == NULL) {
		e = oldest(c);
		drop(c, e);
	}
	memcpy(e->hash, hash, DESK_THUMB_HASH_LEN);
	e->jpeg = jpeg;
	e->len = len;
	e->used = ++c->clock;
	c->bytes += len;
	return e;
}

void desk_thumb_cache_free(struct desk_thumb_cache *c)
{
	for (size_t i = 0; i < DESK_THUMB_CACHE_ENTRIES; i++)
		free(c->e[i].jpeg);
	free(c->placeholder);
	*c = (struct desk_thumb_cache){0};
}
