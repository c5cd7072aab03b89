#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "agent/hooks_env.h"
#include "history/display.h"

/* The enum value's name after @prefix, lower case, in @buf. */
static const char *enum_text(const ProtobufCEnumDescriptor *d, int value, const char *prefix,
			     char *buf, size_t size)
{
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(d, value);
	const char *name = v != NULL ? v->name : "";
	if (strncmp(name, prefix, strlen(prefix)) == 0)
		name += strlen(prefix);
	size_t n = 0;
	for (; name[n] && n + 1 < size; n++)
		buf[n] = (char)tolower((unsigned char)name[n]);
	buf[n] = '\0';
	return buf;
}

const char *hooks_env_priority(int priority)
{
	static const char *const names[] = {"high", "routine", "elevated", "high", "urgent", "critical"};
	return priority >= 0 && priority <= 5 ? names[priority] : "high";
}

static void set_uuid(struct hook_run *run, const char *name, ProtobufCBinaryData id)
{
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	if (id.len != RAKSHA_UUID_LEN)
		return;
	raksha_uuid_format(id.data, text);
	hooks_run_setenv(run, name, text);
}

static void set_int(struct hook_run *run, const char *name, long long v)
{
	char text[24];
	snprintf(text, sizeof(text), "%lld", v);
	hooks_run_setenv(run, name, text);
}

static void set_place(struct hook_run *run, const Raksha__V1__Place *p)
{
	if (p == NULL)
		return;
	hooks_run_setenv(run, "RAKSHA_STATION", p->station_code);
	hooks_run_setenv(run, "RAKSHA_TRAIN", p->train_number);
	hooks_run_setenv(run, "RAKSHA_COACH", p->coach);
	hooks_run_setenv(run, "RAKSHA_PLACE", p->description);
	if (p->time_ms > 0)
		set_int(run, "RAKSHA_SEEN_AT_MS", p->time_ms);
}

static void set_child(struct hook_run *run, const Raksha__V1__Child *c)
{
	char buf[32];
	if (c == NULL)
		return;
	hooks_run_setenv(run, "RAKSHA_CHILD_NAME", c->name);
	if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS)
		set_int(run, "RAKSHA_CHILD_AGE", c->age_years);
	if (c->gender != 0)
		hooks_run_setenv(run, "RAKSHA_CHILD_GENDER", enum_text(&raksha__v1__gender__descriptor,
			c->gender, "GENDER_", buf, sizeof(buf)));
	hooks_run_setenv(run, "RAKSHA_CHILD_CLOTHING", c->clothing);
}

static void set_body(struct hook_run *run, const raksha_envelope *env)
{
	char buf[32];
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT:
		set_int(run, "RAKSHA_REVISION", env->report->revision);
		hooks_run_setenv(run, "RAKSHA_PRIORITY", hooks_env_priority(env->report->priority));
		set_child(run, env->report->child);
		set_place(run, env->report->last_seen);
		break;
	case RAKSHA_KIND_SIGHTING:
		set_uuid(run, "RAKSHA_SIGHTING_ID", env->sighting->sighting_id);
		hooks_run_setenv(run, "RAKSHA_IN_CUSTODY", env->sighting->in_custody ? "1" : "0");
		set_child(run, env->sighting->child);
		set_place(run, env->sighting->place);
		break;
	case RAKSHA_KIND_UPDATE:
		hooks_run_setenv(run, "RAKSHA_STATUS", enum_text(&raksha__v1__update_status__descriptor,
			env->update->status, "UPDATE_STATUS_", buf, sizeof(buf)));
		hooks_run_setenv(run, "RAKSHA_HANDED_OVER_TO", env->update->handed_over_to);
		set_place(run, env->update->place);
		break;
	case RAKSHA_KIND_ACK:
		hooks_run_setenv(run, "RAKSHA_ACK_STATE", enum_text(&raksha__v1__ack_state__descriptor,
			env->ack->state, "ACK_STATE_", buf, sizeof(buf)));
		hooks_run_setenv(run, "RAKSHA_NOTES", env->ack->notes);
		break;
	case RAKSHA_KIND_ESCALATION:
		set_int(run, "RAKSHA_LEVEL", env->escalation->level);
		hooks_run_setenv(run, "RAKSHA_RULE", env->escalation->rule);
		hooks_run_setenv(run, "RAKSHA_TARGET", env->escalation->target);
		hooks_run_setenv(run, "RAKSHA_REASON", env->escalation->reason);
		break;
	default:
		break;
	}
}

struct hook_run *hooks_env_for_envelope(const char *name, const char *command, const char *topic,
				   const raksha_envelope *env, bool case_drill)
{
	struct hook_run *run = hooks_run_new(name, command);
	if (run == NULL)
		return NULL;
	const ProtobufCBinaryData *case_id = raksha_envelope_report_id(env);
	hooks_run_setenv(run, "RAKSHA_EVENT", raksha_kind_name(raksha_envelope_kind(env)));
	hooks_run_setenv(run, "RAKSHA_TOPIC", topic);
	set_uuid(run, "RAKSHA_MESSAGE_ID", env->message_id);
	if (case_id != NULL)
		set_uuid(run, "RAKSHA_REPORT_ID", *case_id);
	hooks_run_setenv(run, "RAKSHA_STATE", env->origin->state);
	hooks_run_setenv(run, "RAKSHA_REGION", env->origin->region);
	hooks_run_setenv(run, "RAKSHA_AGENCY", env->origin->agency);
	hooks_run_setenv(run, "RAKSHA_UNIT", env->origin->unit);
	hooks_run_setenv(run, "RAKSHA_EXERCISE", display_drill(env, case_drill) ? "1" : "0");
	set_body(run, env);
	return run;
}

struct hook_run *hooks_env_for_escalation(const struct escalate_rule *r, const uint8_t *report_id,
				     const struct escalator_case *c, int level, const char *reason)
{
	char name[RULE_NAME_MAX + 16];
	snprintf(name, sizeof(name), "escalate.%s", r->name);
	struct hook_run *run = hooks_run_new(name, r->exec);
	if (run == NULL)
		return NULL;
	hooks_run_setenv(run, "RAKSHA_EVENT", "escalation");
	hooks_run_setenv(run, "RAKSHA_RULE", r->name);
	set_int(run, "RAKSHA_LEVEL", level);
	hooks_run_setenv(run, "RAKSHA_REASON", reason);
	hooks_run_setenv(run, "RAKSHA_TARGET", r->target);
	set_uuid(run, "RAKSHA_REPORT_ID", (ProtobufCBinaryData){RAKSHA_UUID_LEN, (uint8_t *)report_id});
	hooks_run_setenv(run, "RAKSHA_TOPIC", c->topic);
	hooks_run_setenv(run, "RAKSHA_STATUS", c->status);
	hooks_run_setenv(run, "RAKSHA_EXERCISE", c->exercise ? "1" : "0");
	hooks_run_setenv(run, "RAKSHA_PRIORITY", hooks_env_priority(c->priority));
	hooks_run_setenv(run, "RAKSHA_REGION", c->region);
	hooks_run_setenv(run, "RAKSHA_CHILD_NAME", c->child_name);
	hooks_run_setenv(run, "RAKSHA_STATION", c->station);
	hooks_run_setenv(run, "RAKSHA_TRAIN", c->train);
	hooks_run_setenv(run, "RAKSHA_COACH", c->coach);
	return run;
}
