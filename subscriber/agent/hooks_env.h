/* What a hook learns of its event: RAKSHA_* environment variables (listed
 * in docs/agent.md, "Hooks"). */
#ifndef RAKSHA_AGENT_HOOK_ENV_H
#define RAKSHA_AGENT_HOOK_ENV_H

#include <stdbool.h>

#include <raksha/raksha.h>

#include "agent/escalator_store.h"
#include "agent/hooks.h"
#include "agent/rules.h"

/* A run of @command (hook @name) for @env, which arrived on @topic:
 * RAKSHA_EVENT (report, sighting, update, ack, escalation), RAKSHA_TOPIC,
 * RAKSHA_MESSAGE_ID, RAKSHA_REPORT_ID, the sender's
 * RAKSHA_STATE/REGION/AGENCY/UNIT, RAKSHA_EXERCISE (1 for a drill, by
 * display_drill() of @env and @case_drill, its case's flag; 0 for a real
 * case), and the body's child, place, priority, status, ack state, or
 * level, rule, target and reason. NULL for out of memory. */
struct hook_run *hooks_env_for_envelope(const char *name, const char *command, const char *topic,
				   const raksha_envelope *env, bool case_drill);

/* A run of @r's exec for level @level of the case @c: RAKSHA_EVENT
 * (escalation), RAKSHA_RULE, RAKSHA_LEVEL, RAKSHA_REASON, RAKSHA_TARGET,
 * RAKSHA_REPORT_ID, RAKSHA_TOPIC (the report's), RAKSHA_STATUS,
 * RAKSHA_EXERCISE, RAKSHA_PRIORITY, RAKSHA_REGION, and the case's child
 * name and place. */
struct hook_run *hooks_env_for_escalation(const struct escalate_rule *r, const uint8_t *report_id,
				     const struct escalator_case *c, int level, const char *reason);

/* "urgent" for PRIORITY_URGENT; "high" for 0 (the schema's default). */
const char *hooks_env_priority(int priority);

#endif
