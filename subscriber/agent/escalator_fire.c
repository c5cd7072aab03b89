/* A due timer: end it if the case was acknowledged, ended or no longer
 * matches its rule; otherwise raise the case a level. The Escalation
 * envelope, the case's level and the timer's next due time commit
 * together, the envelope also into own_pending, whence it goes to the
 * outbox: a crash at any point neither loses it nor makes a second one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/escalator_impl.h"
#include "agent/hooks_env.h"
#include "common/clock.h"
#include "common/log.h"

static const struct escalate_rule *rule_named(const struct agent_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_rules; i++)
		if (strcmp(c->rules[i].name, name) == 0)
			return &c->rules[i];
	return NULL;
}

static void duration_text(int64_t ms, char *buf, size_t size)
{
	int64_t s = ms / 1000;
	if (s % 3600 == 0 && s >= 3600)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else if (s % 60 == 0 && s >= 60)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, size, "%llds", (long long)s);
}

/* "no ack from grp, rpf within 10m" */
static void reason_text(const struct escalate_rule *r, int64_t waited_ms, char *buf, size_t size)
{
	char waited[24];
	duration_text(waited_ms, waited, sizeof(waited));
	int n = snprintf(buf, size, "no ack%s", r->n_unless ? " from " : "");
	for (size_t i = 0; i < r->n_unless && n > 0 && (size_t)n < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s%s", i ? ", " : "", r->unless_ack_from[i]);
	if (n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " within %s", waited);
}

static bool stops(const void *ctx, const char *agency)
{
	return rules_stopped_by(ctx, agency);
}

/* Why @t ends without firing, in @why; false if it fires. */
static bool ended(struct escalator *e, const struct escalate_rule *r, const struct due_timer *t,
		  const struct case_view *cv, char *why, size_t size)
{
	char who[80];
	if (strcmp(cv->status, "open") != 0)
		snprintf(why, size, "case %s", cv->status);
	else if (!rules_match(r, cv->topic, cv->priority, cv->region))
		snprintf(why, size, "the case no longer matches the rule");
	else if (esc_acked_by(e->store, t->report_id, stops, r, who, sizeof(who)))
		snprintf(why, size, "acknowledged by %s", who);
	else
		return false;
	return true;
}

/* The Escalation envelope for level @level, encoded into @bytes. */
static int make_envelope(struct escalator *e, const struct escalate_rule *r, const struct due_timer *t,
			 int level, const char *reason, uint8_t id[RAKSHA_UUID_LEN], uint8_t **bytes,
			 size_t *len)
{
	struct raksha_topic to;
	if (raksha_topic_parse(r->publish, &to, NULL) < 0)
		return -EINVAL;
	const struct agent_config *c = e->c;
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	origin.state = to.state, origin.region = to.region, origin.agency = to.agency;
	origin.unit = c->unit ? c->unit : c->id, origin.sender_id = c->id;
	Raksha__V1__Escalation body = RAKSHA__V1__ESCALATION__INIT;
	body.report_id = (ProtobufCBinaryData){RAKSHA_UUID_LEN, (uint8_t *)t->report_id};
	body.level = (uint32_t)level;
	body.reason = (char *)reason;
	body.target = r->target ? r->target : "";
	body.rule = (char *)r->name;
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	env.origin = &origin;
	env.body_case = RAKSHA__V1__ENVELOPE__BODY_ESCALATION;
	env.escalation = &body;
	struct raksha_problem problem;
	int rc = raksha_envelope_stamp(&env, id);
	if (rc == 0)
		rc = raksha_envelope_encode(&env, r->publish, NULL, bytes, len, &problem);
	if (rc == 0 && (rc = agent_config_sign(c, bytes, len)) < 0) {
		free(*bytes);
		snprintf(problem.text, sizeof(problem.text), "signing: %s", strerror(-rc));
	}
	if (rc < 0)
		log_line(LOG_ERR, "escalate.%s: cannot make the escalation: %s", r->name,
			  rc == -ENOMEM ? "out of memory" : problem.text);
	return rc;
}

/* Stores @bytes as a message of its own and as pending, in the open transaction. */
static int store_own(struct escalator *e, const char *topic, const uint8_t *id, const uint8_t *bytes,
		     size_t len, int64_t now)
{
	raksha_envelope *env = NULL;
	int r = raksha_envelope_decode(bytes, len, topic, NULL, &env, NULL);
	if (r == 0)
		r = store_envelope_in(e->store, topic, env, bytes, len, now);
	raksha_envelope_free(env);
	return r < 0 ? r : esc_pending_add(e->store, id, topic, bytes, len);
}

static int commit_level(struct escalator *e, const struct escalate_rule *r, const struct due_timer *t,
			int level, const char *reason, int64_t now)
{
	uint8_t id[RAKSHA_UUID_LEN], *bytes = NULL;
	size_t len = 0;
	if (r->publish != NULL && make_envelope(e, r, t, level, reason, id, &bytes, &len) < 0)
		bytes = NULL;  /* logged; the timer still advances and exec still runs */
	int rc = store_begin(e->store);
	if (rc == 0 && bytes != NULL)
		rc = store_own(e, r->publish, id, bytes, len, now);
	if (rc >= 0)
		rc = esc_case_level(e->store, t->report_id, level);
	if (rc == 0)
		rc = esc_timer_update(e->store, t, level, now, r->repeat_ms ? now + r->repeat_ms : 0,
				      r->repeat_ms ? NULL : "fired; the rule does not repeat");
	if (rc == 0)
		rc = store_commit(e->store);
	if (rc < 0)
		store_rollback(e->store);
	free(bytes);
	return rc;
}

static void announce(struct escalator *e, const struct escalate_rule *r, const struct due_timer *t,
		     const struct case_view *cv, int level, const char *reason)
{
	char id[RAKSHA_UUID_TEXT_LEN + 1];
	raksha_uuid_format(t->report_id, id);
	log_line(LOG_NOTICE, "ESCALATE level %d (%s) %s%s%s: %s  id %s", level, r->name,
		  cv->child_name ? cv->child_name : "?", cv->station && *cv->station ? ", " : "",
		  cv->station ? cv->station : "", reason, id);
	if (r->exec != NULL)
		hooks_queue(e->hooks, hook_for_escalation(r, t->report_id, cv, level, reason));
}

static int one(struct escalator *e, const struct due_timer *t, int64_t now)
{
	const struct escalate_rule *r = rule_named(e->c, t->rule);
	if (r == NULL)
		return esc_timer_update(e->store, t, 0, 0, 0, "the rule left the configuration");
	struct case_view cv;
	int rc = esc_case_get(e->store, t->report_id, &cv);
	if (rc == -ENOENT)
		return esc_timer_update(e->store, t, 0, 0, 0, "no report for the case");
	if (rc < 0)
		return rc;
	char why[160], reason[200];
	if (ended(e, r, t, &cv, why, sizeof(why))) {
		rc = esc_timer_update(e->store, t, 0, 0, 0, why);
	} else {
		int level = t->level + 1;
		reason_text(r, now - t->armed_ms, reason, sizeof(reason));
		rc = commit_level(e, r, t, level, reason, now);
		if (rc == 0)
			announce(e, r, t, &cv, level, reason);
	}
	esc_case_free(&cv);
	return rc;
}

int escalate_fire(struct escalator *e)
{
	struct due_timer due[FIRE_BATCH];
	int64_t now = clock_wall_ms();
	int n = esc_timers_due(e->store, now, due, FIRE_BATCH);
	int r = n < 0 ? n : 0;
	for (int i = 0; r == 0 && i < n; i++)
		r = one(e, &due[i], now);
	/* What it just committed goes to the outbox now. */
	return r == 0 ? escalate_send_pending(e) : r;
}

static int to_outbox(void *ctx, const uint8_t *id, const char *topic, const void *bytes, size_t len)
{
	struct escalator *e = ctx;
	int r = raksha_outbox_put(e->outbox, topic, bytes, len, id);
	if (r == 0)
		r = esc_pending_remove(e->store, id);
	if (r == 0)
		outbox_sender_kick(e->sender);
	return r;
}

int escalate_send_pending(struct escalator *e)
{
	return esc_pending_each(e->store, to_outbox, e);
}
