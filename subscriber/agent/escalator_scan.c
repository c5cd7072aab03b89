/* Each stored message, looked at once: a report or a found child arms the
 * rules it matches, a reopened case starts its rules again, and the hooks
 * of its kind run (an escalation's too, the agent's own among them); a
 * report or a found child is compared with the open cases of the other
 * kind (escalator_match.c).
 * The timers and the "looked at up to" mark commit together, so a crash
 * neither loses a timer nor arms one twice. Only the escalator writes
 * timers and the mark, and messages are only appended, so the batch is read
 * outside the transaction. Hooks start after the commit:
 * at most once (the log, not the hook, is the record). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/escalator_impl.h"
#include "agent/hooks_env.h"
#include "history/history.h"

/* What a batch decided: written in one short transaction after reading,
 * so that ingestion never waits while the escalator decodes. */
struct action {
	uint8_t report_id[RAKSHA_UUID_LEN];
	int rule;          /* index in the rules; -1: clear the case's timers */
	int64_t at_ms;
};

struct batch {
	struct escalator *e;
	int64_t now_ms;
	int64_t last_seq;
	struct action *actions;
	size_t n_actions, cap_actions;
	struct hook_run *runs[SCAN_BATCH];
	int n_runs;
	struct escalator_matches matches;  /* escalator_match.c */
};

/* Room for one more message's actions, a clear and every rule: grown as
 * the batch needs, not made for its largest (211 KiB, which was zeroed,
 * taken from and given back to the system at each step, for what is most
 * often one report; docs/benchmarks.md, issue 19 part 1, session 4). */
static int reserve(struct batch *b)
{
	size_t need = b->n_actions + AGENT_MAX_RULES + 1;
	if (need <= b->cap_actions)
		return 0;
	struct action *more = realloc(b->actions, 2 * need * sizeof(*more));
	if (more == NULL)
		return -ENOMEM;
	b->actions = more;
	b->cap_actions = 2 * need;
	return 0;
}

static void add(struct batch *b, const uint8_t *report_id, int rule, int64_t at_ms)
{
	struct action *a = &b->actions[b->n_actions++];
	memcpy(a->report_id, report_id, RAKSHA_UUID_LEN);
	a->rule = rule;
	a->at_ms = at_ms;
}

static void arm(struct batch *b, const uint8_t *report_id, const char *topic, int priority,
		const char *region, int64_t at_ms)
{
	const struct agent_config *c = b->e->c;
	for (size_t i = 0; i < c->n_rules; i++)
		if (rules_match(&c->rules[i], topic, priority, region))
			add(b, report_id, (int)i, at_ms);
}

/* A reopened case: its rules start again from now. */
static int rearm(struct batch *b, const ProtobufCBinaryData *id, int64_t at_ms)
{
	struct escalator_case cv;
	add(b, id->data, -1, at_ms);
	int r = escalator_case_get(b->e->store, id->data, &cv);
	if (r == -ENOENT)
		return 0;  /* the report has not arrived: it arms them when it does */
	if (r == 0)
		arm(b, id->data, cv.topic, cv.priority, cv.region, at_ms);
	escalator_case_free(&cv);
	return r;
}

/* The hook of @kind's messages ([hooks] on_*), and its name; NULL if none. */
static const char *hook_of(const struct agent_config *c, enum raksha_kind kind, const char **name)
{
	switch (kind) {
	case RAKSHA_KIND_REPORT:
		*name = "on_report";
		return c->on_report;
	case RAKSHA_KIND_SIGHTING:
		*name = "on_sighting";
		return c->on_sighting;
	case RAKSHA_KIND_UPDATE:
		*name = "on_update";
		return c->on_update;
	case RAKSHA_KIND_ACK:
		*name = "on_ack";
		return c->on_ack;
	case RAKSHA_KIND_ESCALATION:
		*name = "on_escalation";
		return c->on_escalation;
	default:
		return NULL;
	}
}

static int look(struct batch *b, const raksha_envelope *env, const char *topic, int64_t at_ms)
{
	struct escalator *e = b->e;
	enum raksha_kind kind = raksha_envelope_kind(env);
	const ProtobufCBinaryData *id = raksha_envelope_report_id(env);
	int r = 0;
	if (kind == RAKSHA_KIND_REPORT && id->len == RAKSHA_UUID_LEN)
		arm(b, id->data, topic, env->report->priority, env->origin->region, at_ms);
	else if (store_is_found(env))  /* a found child: a case of its own, priority high */
		arm(b, env->sighting->sighting_id.data, topic, 0, env->origin->region, at_ms);
	else if (kind == RAKSHA_KIND_UPDATE && id->len == RAKSHA_UUID_LEN &&
		 env->update->status == RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_REOPENED)
		r = rearm(b, id, at_ms);
	const char *name, *command = hook_of(e->c, kind, &name);
	if (r == 0 && command != NULL)
		b->runs[b->n_runs++] = hooks_env_for_envelope(name, command, topic, env,
							      history_case_drill(&e->drill, env));
	return r;
}

static int on_message(void *ctx, int64_t seq, const char *topic, const void *bytes, size_t len,
		      int64_t received_ms)
{
	struct batch *b = ctx;
	raksha_envelope *env = NULL;
	int r = reserve(b);
	if (r < 0)
		return r;
	b->last_seq = seq;
	/* It was checked when it arrived; a message that no longer passes
	 * (a rule of a newer libraksha) is left to the log. */
	if (history_decode(bytes, len, topic, received_ms, &env) < 0)
		return 0;
	/* Arrived before the clock was set back (and looked at after the
	 * timers were moved for it): its rules start now, not an hour on. */
	r = look(b, env, topic, received_ms < b->now_ms ? received_ms : b->now_ms);
	if (r == 0)
		r = escalator_match_look(b->e, &b->matches, env, seq);
	raksha_envelope_free(env);
	return r;
}

/* Writes what the batch decided, and how far it looked. */
static int apply(struct store *s, void *ctx)
{
	const struct batch *b = ctx;
	for (size_t i = 0; i < b->n_actions; i++) {
		const struct action *a = &b->actions[i];
		int r;
		if (a->rule < 0) {
			r = escalator_timers_clear(s, a->report_id);
		} else {
			const struct escalate_rule *rule = &b->e->c->rules[a->rule];
			r = escalator_timer_arm(s, a->report_id, rule->name, a->at_ms, a->at_ms + rule->after_ms);
		}
		if (r < 0)
			return r;
	}
	int r = escalator_match_apply(s, &b->matches, b->now_ms);
	if (r < 0)
		return r;
	return escalator_scanned_set(s, b->last_seq);
}

static bool starts_hooks(const struct batch *b)
{
	for (int i = 0; i < b->n_runs; i++)
		if (b->runs[i] != NULL)
			return true;
	return false;
}

/* With durability = power the escalator's commits wait for the disk: a
 * hook it starts after one must not start again after a power cut. A
 * batch that starts none leaves nothing outside the database, and its
 * commit need not wait (that flush was the largest part of an agent's CPU
 * for a lone report: docs/benchmarks.md, issue 19 part 1, session 4). A
 * power cut that takes it takes every commit after it too (the WAL is
 * read in order, up to its first frame not on the disk), the mark among
 * them; the next start looks at the same messages again and writes the
 * same timers (each due from its message's arrival, INSERT OR IGNORE) and
 * matches. The committer's records are safe in the journal meanwhile, and
 * the escalator's next synced commit (a hook's batch, a timer fired) puts
 * this one on the disk with it. The setting stays as the last commit left
 * it, each commit that must wait setting it back first (escalator_sync()):
 * one look after another sets nothing. */
static int commit(struct escalator *e, struct batch *b)
{
	bool hooks = starts_hooks(b);
	int r = escalator_sync(e, hooks);
	if (r < 0 && hooks)
		return r;
	/* NORMAL not set (it failed): this commit waits for the disk, no harm. */
	return store_transaction(e->store, apply, b);
}

/* Reads a batch, then writes what it decided in one transaction. Returns
 * how many messages, or -errno. */
static int scan_batch(struct escalator *e, struct batch *b, int64_t *mark)
{
	b->last_seq = *mark;
	b->n_actions = 0;
	b->n_runs = 0;
	escalator_match_reset(&b->matches);
	int n = escalator_messages_after(e->store, *mark, SCAN_BATCH, on_message, b);
	int r = n;
	if (n > 0)
		r = commit(e, b);
	if (r == 0)
		escalator_match_log(&b->matches);
	for (int i = 0; i < b->n_runs; i++) {
		if (r == 0 && b->runs[i] != NULL)
			hooks_queue(e->hooks, b->runs[i]);
		else
			hooks_run_free(b->runs[i]);
	}
	if (r < 0)
		return r;
	*mark = b->last_seq;
	return n;
}

int escalator_scan(struct escalator *e, int64_t now_ms)
{
	struct batch b = {.e = e, .now_ms = now_ms};
	/* Read once: only this thread writes it, and a failed batch leaves
	 * it where its transaction did. */
	int64_t mark = e->scanned_seq;
	int r = e->scanned_known ? 0 : escalator_scanned_get(e->store, &mark);
	e->scanned_known = r == 0;
	while (r == 0 && (r = scan_batch(e, &b, &mark)) == SCAN_BATCH)
		r = 0;
	e->scanned_seq = mark;
	free(b.actions);
	escalator_match_free(&b.matches);
	return r < 0 ? r : 0;
}
