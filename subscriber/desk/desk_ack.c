/* POST /case/ID/ack: "we are on it", an Ack in the acting state from the
 * agent's unit, naming the officer of the session (full name, badge),
 * through the agent's outbox as the board's are (agent/unit_pub.h). The
 * answer is a redirect to the case, whose page then says once whether the
 * Ack was sent or waits in the outbox. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "desk/desk_db.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"

struct open_case {
	bool open;
};

static void is_open(void *ctx, const struct desk_case *c)
{
	struct open_case *o = ctx;
	o->open = c->status != NULL && strcmp(c->status, "open") == 0;
}

enum MHD_Result desk_ack(struct desk_request *r, sqlite3 *db, const char *id)
{
	uint8_t uuid[RAKSHA_UUID_LEN];
	char text[RAKSHA_UUID_TEXT_LEN + 1], said[160], where[sizeof("/case/") + RAKSHA_UUID_TEXT_LEN];
	struct open_case o = {false};
	const struct desk_user *u = desk_page_user(r);
	if (u == NULL || raksha_uuid_parse(id, uuid) < 0 || desk_db_case(db, uuid, is_open, &o) != 1)
		return desk_refuse(r, 404, "There is no such case.");
	if (!o.open)
		return desk_refuse(r, 409, "This case is no longer open.");
	raksha_uuid_format(uuid, text);
	struct unit_officer officer = {u->full_name[0] ? u->full_name : u->name, u->badge};
	int sent = unit_pub_send(r->desk->pub, ACTION_ACK, uuid, &officer, said, sizeof(said));
	log_line(sent < 0 ? LOG_ERR : LOG_NOTICE, "raksha-desk: '%s' acknowledged case %s from %s: %s",
		 u->name, text, r->addr, said);
	snprintf(r->session->notice, sizeof(r->session->notice), "%s", said);
	snprintf(where, sizeof(where), "/case/%s", text);
	return desk_redirect(r, where, NULL);
}
