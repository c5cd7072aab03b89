/* Envelopes refused for their time alone: sent more than a day after this
 * PC's clock (cause clock), and right in every other way. The store keeps
 * them whole; once the clock allows them (it was set right, or the
 * sender's time has come) they are taken as if they arrived now: stored,
 * in one transaction with the end of their rejection, and seen by the
 * escalator's next look like any other message. Never lost in between. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agent/config.h"
#include "agent/escalator_impl.h"
#include "common/log.h"
#include "history/display.h"
#include "history/history.h"

/* A pass over them at most once a minute (ESCALATOR_RETAKE_INTERVAL_MS);
 * the first at start. */
/* Rejections looked at per step: a long list is a few steps, not a stall
 * of escalations. */
#define RETAKE_BATCH 256

struct taking {
	const struct escalator_rejected *row;
	const raksha_envelope *env;
	int64_t now;
	int stored;  /* 1 new, 0 its message_id was stored meanwhile */
};

static int take(struct store *s, void *ctx)
{
	struct taking *t = ctx;
	int r = store_envelope_in(s, t->row->topic, t->env, t->row->bytes, t->row->len, t->now);
	if (r < 0)
		return r;
	t->stored = r;
	return escalator_rejected_delete(s, t->row->seq);
}

struct recausing {
	int64_t seq;
	const struct raksha_problem *why;
};

static int recause(struct store *s, void *ctx)
{
	const struct recausing *rc = ctx;
	return escalator_rejected_recause(s, rc->seq, rc->why);
}

/* @row as it reads at @now: 0 with *@env, -ERANGE if still too far ahead,
 * or another refusal, said in @p. */
static int judge(struct escalator *e, const struct escalator_rejected *row, int64_t now,
		 raksha_envelope **env, struct raksha_problem *p)
{
	struct raksha_check_options opts = {.now_ms = now};
	int r = raksha_envelope_decode(row->bytes, row->len, row->topic, &opts, env, p);
	if (r < 0)
		return r;
	/* The signature was never looked at: the decode had refused it. The
	 * live trust store, under the mutex a reload replaces it under. */
	pthread_mutex_lock(&agent_config_mutex);
	if (e->c->trust != NULL)
		r = raksha_envelope_verify(e->c->trust, row->bytes, row->len, *env, e->c->require_signatures, p);
	pthread_mutex_unlock(&agent_config_mutex);
	if (r < 0) {
		raksha_envelope_free(*env);
		*env = NULL;
	}
	return r;
}

static void log_taken(struct escalator *e, const struct escalator_rejected *row, const raksha_envelope *env,
		      int stored)
{
	char line[512], when[32];
	time_t t = (time_t)(row->received_ms / 1000);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	display_line(env, history_case_drill(&e->drill, env), line, sizeof(line));
	log_line(LOG_NOTICE, "%s now that this clock allows it (it arrived at %s): %s",
		 stored ? "taken" : "already stored", when, line);
}

static int retake_one(struct escalator *e, const struct escalator_rejected *row, int64_t now)
{
	/* Kept cut (by an agent before this one): only there to be read. */
	if ((int64_t)row->len != row->size)
		return 0;
	raksha_envelope *env = NULL;
	struct raksha_problem p = {0};
	int r = escalator_sync(e, true);  /* a row taken is gone from rejected */
	if (r < 0)
		return r;
	r = judge(e, row, now, &env, &p);
	if (r == -ERANGE)
		return 0;
	if (r < 0) {
		struct recausing rc = {row->seq, &p};
		r = store_transaction(e->store, recause, &rc);
		if (r == 0)
			log_line(LOG_WARNING, "rejected %s on %s, kept for its time until now: %s",
				 raksha_cause_name(p.cause), row->topic, p.text);
		return r;
	}
	struct taking t = {.row = row, .env = env, .now = now};
	r = store_transaction(e->store, take, &t);
	if (r == 0)
		log_taken(e, row, env, t.stored);
	raksha_envelope_free(env);
	return r;
}

int escalator_retake(struct escalator *e, int64_t now_ms)
{
	bool passing = e->retake_mark != 0;
	/* A clock set back since the last pass starts the next one at once. */
	bool due = e->retaken_ms == 0 || now_ms < e->retaken_ms || now_ms - e->retaken_ms >= ESCALATOR_RETAKE_INTERVAL_MS;
	if (!passing && !due)
		return 0;
	if (!passing)
		e->retaken_ms = now_ms;
	for (int i = 0; i < RETAKE_BATCH; i++) {
		struct escalator_rejected row;
		int r = escalator_clock_rejected_next(e->store, e->retake_mark, &row);
		if (r <= 0) {
			e->retake_mark = 0;
			return r;
		}
		e->retake_mark = row.seq;
		r = retake_one(e, &row, now_ms);
		escalator_rejected_free(&row);
		if (r < 0) {
			/* Not lost: the next step starts a pass from the first. */
			e->retake_mark = 0;
			e->retaken_ms = 0;
			return r;
		}
	}
	return 0;  /* more: the next step goes on from the mark */
}
