/* Who may close or cancel a case from the desk (desk_action.h): a
 * supervisor's account, on the desk of the unit that owns the case. The
 * owner is the unit whose report made the case, its origin's state, region
 * and agency, as the agent's store decides it (agent/store_owner.c, which
 * copies them into cases.state, region, agency); the store refuses a close
 * from anyone else anyway, so the desk does not offer it. */
#include <string.h>

#include "desk/desk_action.h"
#include "desk/desk_config.h"
#include "desk/desk_users.h"

bool desk_action_owned(const struct desk_request *r, const struct desk_case *c)
{
	const struct agent_config *a = &r->desk->c->agent;
	if (c->report == NULL || c->report->origin == NULL)
		return false;
	const Raksha__V1__Origin *o = c->report->origin;
	return strcmp(o->state, a->state) == 0 && strcmp(o->region, a->region) == 0 &&
	       strcmp(o->agency, a->agency) == 0;
}

bool desk_action_may_close(const struct desk_request *r, const struct desk_user *u, const struct desk_case *c)
{
	return u != NULL && strcmp(u->role, "supervisor") == 0 && desk_action_owned(r, c);
}
