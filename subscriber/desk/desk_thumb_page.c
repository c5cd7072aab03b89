/* GET /case/ID/thumb/N (desk_pages.h): the thumbnail from the cache, or
 * made now and kept; the placeholder for a photo refused, which is logged
 * once (the refusal is kept too). Sent as every response with child data:
 * no-store, to a session only (desk_routes.c). */
#include <errno.h>
#include <stdlib.h>

#include <sodium.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_pages.h"
#include "desk/desk_thumb.h"

static const struct desk_thumb_entry *made(struct desk_request *r, const char *id, size_t index,
					   const Raksha__V1__Photo *photo, const uint8_t *hash)
{
	char why[256];
	uint8_t *jpeg = NULL;
	size_t len = 0;
	if (desk_thumb_make(photo->data.data, photo->data.len, DESK_THUMB_SIDE, &jpeg, &len, why,
			    sizeof(why)) < 0)
		log_line(LOG_WARNING, "raksha-desk: photo %zu of case %s refused for a thumbnail: %s; "
			 "a placeholder shown", index, id, why);
	const struct desk_thumb_entry *e = desk_thumb_cache_put(r->desk->thumbs, hash, jpeg, len);
	if (e == NULL)
		free(jpeg);
	return e;
}

static enum MHD_Result placeholder(struct desk_request *r)
{
	struct desk_thumb_cache *c = r->desk->thumbs;
	if (c->placeholder == NULL &&
	    desk_thumb_placeholder(DESK_THUMB_SIDE, &c->placeholder, &c->placeholder_len) < 0)
		return desk_refuse(r, 500, _("Out of memory."));
	return desk_reply(r, 200, "image/jpeg", c->placeholder, c->placeholder_len, NULL);
}

enum MHD_Result desk_thumb_reply(struct desk_request *r, const char *id, size_t index,
				 const Raksha__V1__Photo *photo)
{
	uint8_t hash[DESK_THUMB_HASH_LEN];
	if (r->desk->thumbs == NULL)
		r->desk->thumbs = calloc(1, sizeof(*r->desk->thumbs));
	if (r->desk->thumbs == NULL)
		return desk_refuse(r, 500, _("Out of memory."));
	crypto_hash_sha256(hash, photo->data.data, photo->data.len);
	const struct desk_thumb_entry *e = desk_thumb_cache_find(r->desk->thumbs, hash);
	if (e == NULL)
		e = made(r, id, index, photo, hash);
	if (e == NULL || e->jpeg == NULL)
		return placeholder(r);
	return desk_reply(r, 200, "image/jpeg", e->jpeg, e->len, NULL);
}
