/* The officer's actions on a case (docs/desk.md "Actions"): the forms on
 * the case page, and their POST routes, each through the agent's outbox
 * (agent/unit_pub.h) with the officer of the session named. */
#ifndef RAKSHA_DESK_ACTION_H
#define RAKSHA_DESK_ACTION_H

#include <sqlite3.h>

#include "desk/desk.h"
#include "desk/desk_db.h"
#include "desk/desk_html.h"
#include "desk/desk_users.h"

/* The Acknowledge form of open case @c (id text @id), into @h, for the top
 * of its page; nothing for a case that is not open. */
void desk_action_forms(struct desk_html *h, const struct desk_request *r, const char *id,
		       const struct desk_case *c);

/* The other actions open case @c offers (a sighting, Found, close and
 * cancel or who may), folded, for below the child's fields. */
void desk_action_more_forms(struct desk_html *h, const struct desk_request *r, const char *id,
			    const struct desk_case *c);

/* POST /case/ID/@verb ("ack", "found", "close", "cancel", "link"; the
 * route checked the CSRF token). A bad field gives the form again naming
 * it; all but ack ask for confirmation (confirm=yes) first; close and
 * cancel only for desk_action_may_close(), 403 otherwise; then a redirect to the case, whose page says once
 * "sent" or "queued". */
enum MHD_Result desk_action_post(struct desk_request *r, sqlite3 *db, const char *id, const char *verb);

/* Whether the desk's agent unit owns @c (made its report), as the
 * agent's store decides it. */
bool desk_action_owned(const struct desk_request *r, const struct desk_case *c);

/* Whether account @u may close or cancel @c here: a supervisor, and the
 * case this unit's. */
bool desk_action_may_close(const struct desk_request *r, const struct desk_user *u, const struct desk_case *c);

/* True for the verbs desk_action_post() answers. */
bool desk_action_verb(const char *verb);

#endif
