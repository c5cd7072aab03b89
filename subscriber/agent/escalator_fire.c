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
#include "agent/seal.h"
#include "agent/hooks_env.h"
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

/* "no ack from grp, rpf within 10m"; a drill's "DRILL: no ack ...", so that
 * whoever reads only the reason (a pager, an older receiver) knows it. */
static void reason_text(const struct escalate_rule *r, int64_t waited_ms, bool drill, char *buf, size_t size)
{
	char waited[24];
	duration_text(waited_ms, waited, sizeof(waited));
	int n = snprintf(buf, size, "%sno ack%s", drill ? "DRILL: " : "", r->n_unless ? " from " : "");
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
static bool ended(struct escalator *e, const struct escalate_rule *r, const struct escalator_timer *t,
		  const struct escalator_case *cv, char *why, size_t size)
{
	char who[80];
	if (strcmp(cv->status, "open") != 0)
		snprintf(why, size, "case %s", cv->status);
	else if (cv->linked)  /* the report's own rules go on for the child */
		snprintf(why, size, "the found child was linked to a report");
	else if (!rules_match(r, cv->topic, cv->priority, cv->region))
		snprintf(why, size, "the case no longer matches the rule");
	else if (escalator_acked_by(e->store, t->report_id, stops, r, who, sizeof(who)))
		snprintf(why, size, "acknowledged by %s", who);
	else
		return false;
	return true;
}

/* The Escalation envelope for level @level (of a drill: @drill), encoded
 * into @bytes. */
static int make_envelope(struct escalator *e, const struct escalate_rule *r, const struct escalator_timer *t,
			 int level, bool drill, const char *reason, uint8_t id[RAKSHA_UUID_LEN],
			 uint8_t **bytes, size_t *len)
{
	struct raksha_topic to;
	if (raksha_topic_parse(r->publish, &to, NULL) < 0)
		return -EINVAL;
	const struct agent_config *c = e->c;
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	origin.state = to.state;
	origin.region = to.region;
	origin.agency = to.agency;
	origin.unit = c->unit ? c->unit : c->id;
	origin.sender_id = c->id;
	Raksha__V1__Escalation body = RAKSHA__V1__ESCALATION__INIT;
	body.report_id = (ProtobufCBinaryData){RAKSHA_UUID_LEN, (uint8_t *)t->report_id};
	body.level = (uint32_t)level;
	body.reason = (char *)reason;
	body.target = r->target ? r->target : "";
	body.rule = (char *)r->name;
	body.exercise = drill;
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	env.origin = &origin;
	env.body_case = RAKSHA__V1__ENVELOPE__BODY_ESCALATION;
	env.escalation = &body;
	struct raksha_problem problem;
	int rc = seal_envelope(c, &env, r->publish, id, bytes, len, &problem);
	if (rc < 0)
		log_line(LOG_ERR, "escalate.%s: cannot make the escalation: %s", r->name,
			 rc == -ENOMEM ? "out of memory" : problem.text);
	return rc;
}

/* Stores @bytes as a message of its own and as pending, in the open transaction. */
static int store_own(struct store *s, const char *topic, const uint8_t *id, const uint8_t *bytes,
		     size_t len, int64_t now)
{
	raksha_envelope *env = NULL;
	int r = raksha_envelope_decode(bytes, len, topic, NULL, &env, NULL);
	if (r == 0)
		r = store_envelope_in(s, topic, env, bytes, len, now);
	raksha_envelope_free(env);
	if (r < 0)
		return r;
	return escalator_pending_add(s, id, topic, bytes, len);
}

/* What one level's transaction writes. */
struct level_step {
	const struct escalate_rule *r;
	const struct escalator_timer *t;
	int level;
	int64_t now;
	uint8_t id[RAKSHA_UUID_LEN];
	uint8_t *bytes;    /* the Escalation, or NULL (no publish, or it could not be made) */
	size_t len;
};

static int level_steps(struct store *s, void *ctx)
{
	const struct level_step *l = ctx;
	int rc = 0;
	if (l->bytes != NULL)
		rc = store_own(s, l->r->publish, l->id, l->bytes, l->len, l->now);
	if (rc < 0)
		return rc;
	rc = escalator_case_level(s, l->t->report_id, l->level);
	if (rc < 0)
		return rc;
	if (l->r->repeat_ms == 0)
		return escalator_timer_update(s, l->t, l->level, l->now, 0, "fired; the rule does not repeat");
	return escalator_timer_update(s, l->t, l->level, l->now, l->now + l->r->repeat_ms, NULL);
}

static int commit_level(struct escalator *e, const struct escalate_rule *r, const struct escalator_timer *t,
			int level, bool drill, const char *reason, int64_t now)
{
	struct level_step l = {.r = r, .t = t, .level = level, .now = now};
	if (r->publish != NULL && make_envelope(e, r, t, level, drill, reason, l.id, &l.bytes, &l.len) < 0)
		l.bytes = NULL;  /* logged; the timer still advances and exec still runs */
	int rc = store_transaction(e->store, level_steps, &l);
	free(l.bytes);
	return rc;
}

static void announce(struct escalator *e, const struct escalate_rule *r, const struct escalator_timer *t,
		     const struct escalator_case *cv, int level, const char *reason)
{
	char id[RAKSHA_UUID_TEXT_LEN + 1];
	raksha_uuid_format(t->report_id, id);
	log_line(LOG_NOTICE, "%sESCALATE level %d (%s) %s%s%s: %s  id %s", cv->exercise ? "DRILL " : "",
		 level, r->name, cv->child_name ? cv->child_name : "?", cv->station && *cv->station ? ", " : "",
		 cv->station ? cv->station : "", reason, id);
	if (r->exec != NULL)
		hooks_queue(e->hooks, hooks_env_for_escalation(r, t->report_id, cv, level, reason));
}

static int one(struct escalator *e, const struct escalator_timer *t, int64_t now)
{
	const struct escalate_rule *r = rule_named(e->c, t->rule);
	if (r == NULL)
		return escalator_timer_update(e->store, t, 0, 0, 0, "the rule left the configuration");
	struct escalator_case cv;
	int rc = escalator_case_get(e->store, t->report_id, &cv);
	if (rc == -ENOENT)
		return escalator_timer_update(e->store, t, 0, 0, 0, "no report for the case");
	if (rc < 0)
		return rc;
	char why[160], reason[200];
	if (ended(e, r, t, &cv, why, sizeof(why))) {
		rc = escalator_timer_update(e->store, t, 0, 0, 0, why);
	} else {
		int level = t->level + 1;
		reason_text(r, now - t->armed_ms, cv.exercise, reason, sizeof(reason));
		rc = commit_level(e, r, t, level, cv.exercise, reason, now);
		if (rc == 0)
			announce(e, r, t, &cv, level, reason);
	}
	escalator_case_free(&cv);
	return rc;
}

int escalator_fire(struct escalator *e, int64_t now)
{
	struct escalator_timer due[FIRE_BATCH];
	int n = escalator_timers_due(e->store, now, due, FIRE_BATCH);
	if (n < 0)
		return n;
	/* Each fire is on the disk before its escalation is in the outbox,
	 * its hook started or its line logged. */
	int synced = n > 0 ? escalator_sync(e, true) : 0;
	if (synced < 0)
		return synced;
	for (int i = 0; i < n; i++) {
		int r = one(e, &due[i], now);
		if (r < 0)
			return r;
	}
	/* What it just committed goes to the outbox now; with nothing due,
	 * nothing was (the step began by sending what waited). */
	if (n == 0)
		return 0;
	e->pending_maybe = true;
	return escalator_send_pending(e);
}

static int to_outbox(void *ctx, const uint8_t *id, const char *topic, const void *bytes, size_t len)
{
	struct escalator *e = ctx;
	int r = raksha_outbox_put(e->outbox, topic, bytes, len, id);
	if (r < 0)
		return r;
	r = escalator_pending_remove(e->store, id);
	if (r < 0)
		return r;
	outbox_sender_kick(e->sender);
	return 0;
}

/* Only escalator_fire() adds to own_pending, on this thread: once the
 * table was seen empty, it is not read again at each step until a fire. */
int escalator_send_pending(struct escalator *e)
{
	if (!e->pending_maybe)
		return 0;
	int r = escalator_sync(e, true);
	if (r < 0)
		return r;
	r = escalator_pending_each(e->store, to_outbox, e);
	e->pending_maybe = r < 0;
	return r;
}
