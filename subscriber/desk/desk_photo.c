/* GET /case/ID/photo/N: the photo's bytes, from the case's latest report
 * as stored, with its media type; only JPEG and PNG are served, so that no
 * sender can make a browser take a photo's bytes for a page or a script
 * (and nosniff keeps it from guessing). GET /case/ID/thumb/N: its
 * thumbnail (desk_thumb_page.c). */
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_db.h"
#include "desk/desk_pages.h"

struct photo_reply {
	struct desk_request *r;
	const char *id;
	size_t index;
	bool thumb;
	bool replied;
	enum MHD_Result result;
};

static bool servable(const char *type)
{
	return strcmp(type, "image/jpeg") == 0 || strcmp(type, "image/png") == 0;
}

static void send_photo(void *ctx, const struct desk_case *c)
{
	struct photo_reply *p = ctx;
	const Raksha__V1__Child *child = c->child;
	if (child == NULL)
		return;
	if (p->index >= child->n_photos || !servable(child->photos[p->index]->media_type))
		return;
	const Raksha__V1__Photo *photo = child->photos[p->index];
	p->replied = true;
	if (p->thumb)
		p->result = desk_thumb_reply(p->r, p->id, p->index, photo);
	else
		p->result = desk_reply(p->r, 200, photo->media_type, photo->data.data, photo->data.len, NULL);
}

enum MHD_Result desk_page_photo(struct desk_request *r, sqlite3 *db, const char *id, const char *n, bool thumb)
{
	uint8_t uuid[RAKSHA_UUID_LEN];
	char *end;
	unsigned long index = strtoul(n, &end, 10);
	if (raksha_uuid_parse(id, uuid) < 0 || *n < '0' || *n > '9' || *end != '\0' || index > 255)
		return desk_refuse(r, 404, _("There is no such photo."));
	struct photo_reply p = {r, id, index, thumb, false, MHD_NO};
	if (desk_db_case(db, uuid, send_photo, &p) < 0)
		return desk_refuse(r, 503, _("The agent's database cannot be read now."));
	if (!p.replied)
		return desk_refuse(r, 404, _("There is no such photo, or it is neither JPEG nor PNG."));
	return p.result;
}
