/* The role matrix (docs/security.md) as mosquitto acl_file lines. Every
 * unit writes only under its own raksha/v1/{state}/{region}/{agency}/; what
 * it reads follows its role. */
#include <stdbool.h>
#include <stdio.h>

#include "tools/roster/roster.h"

#define OWN "raksha/v1/%s/%s/%s"

/* A unit's own publications: reports, sightings, updates, acks (and, for
 * agents and control rooms, escalations) on its own topics. */
static void own_kinds(FILE *out, const struct roster_unit *u, bool escalates)
{
	static const char *const kinds[] = {"report", "sighting", "update", "ack"};
	for (int i = 0; i < 4; i++)
		fprintf(out, "topic write " OWN "/%s\n", u->state, u->region, u->agency, kinds[i]);
	if (escalates)
		fprintf(out, "topic write " OWN "/escalation\n", u->state, u->region, u->agency);
}

static void presence(FILE *out, const struct roster_unit *u)
{
	fprintf(out, "topic write " OWN "/agent/%s\n", u->state, u->region, u->agency, u->id);
}

static void unit_acl(FILE *out, const struct roster_unit *u)
{
	fprintf(out, "\n# %s: %s (roster line %d)\nuser %s\n", u->id, roster_role_name(u->role), u->line, u->id);
	switch (u->role) {
	case ROSTER_UNIT:
		own_kinds(out, u, false);
		fprintf(out, "topic read raksha/v1/%s/#\n", u->state);
		break;
	case ROSTER_AGENT:
	case ROSTER_CONTROL:
		own_kinds(out, u, true);
		presence(out, u);
		/* Their state, and what crosses from every state bridged in
		 * (broker-config/bridge/): reports, sightings, updates, and the
		 * acks that stop their escalation of a case another state's
		 * unit acted on. */
		fprintf(out, "topic read raksha/v1/%s/#\ntopic read raksha/v1/+/+/+/report\n"
			     "topic read raksha/v1/+/+/+/sighting\ntopic read raksha/v1/+/+/+/update\n"
			     "topic read raksha/v1/+/+/+/ack\n",
			u->state);
		break;
	case ROSTER_SUPERVISOR:
		/* Its own revisions, cancels, closes and reopens of any case
		 * (docs/agent.md, "Who may change a case"), on its own topics. */
		own_kinds(out, u, false);
		fprintf(out, "topic read raksha/v1/%s/#\n", u->state);
		fprintf(out, "topic write raksha/replay/+/request/+\ntopic read raksha/replay/+/response/#\n");
		break;
	case ROSTER_ARCHIVE:
		presence(out, u);
		fprintf(out, "topic read raksha/v1/#\n");
		fprintf(out, "topic read raksha/replay/%s/request/+\n", u->id);
		fprintf(out, "topic write raksha/replay/%s/response/+\n", u->id);
		break;
	case ROSTER_ADMIN:
		fprintf(out, "topic readwrite raksha/#\ntopic read $SYS/#\n");
		break;
	}
}

int roster_write_acl(const struct roster *r, FILE *out)
{
	fprintf(out, "# Written by raksha-roster from the roster; edit the roster, not this file.\n"
		     "# Anything not granted here is refused (mosquitto drops a refused\n"
		     "# publication silently in MQTT 3.1.1). Client ids are bound to these\n"
		     "# user names by raksha-clientid.so, not here: ID, or ID:...\n");
	for (size_t i = 0; i < r->n; i++)
		unit_acl(out, &r->units[i]);
	return ferror(out) ? -1 : 0;
}
