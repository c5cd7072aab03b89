/* Who may change a case (docs/agent.md, "Who may change a case"). A
 * revision, cancel, close or reopen is taken only from the unit that made
 * the case's report (its origin's state, region and agency: the case's
 * owner) or from a supervisor in the roster; found, rescued, reunited,
 * sightings and acks from anyone. A refused change goes to the rejected
 * store, cause not-owner, with the case's id, for its timeline. With
 * signatures required the origin is the signer's own roster row, so the
 * signature proves ownership; without, the origin is only claimed.
 *
 * A change that overtook its case's report (no owner known yet) is held,
 * and judged in arrival order once the report is taken. */
#include <stdio.h>
#include <string.h>

#include "agent/store_impl.h"
#include "common/clock.h"
#include "common/log.h"
#include "history/history.h"

#define REFUSED_LOG_INTERVAL_MS 60000

/* The case's owner and revision, once its report is stored, and whether
 * it is a drill (for the log line of a refused change). */
struct owner {
	bool known;
	char state[RAKSHA_SEGMENT_MAX + 1], region[RAKSHA_SEGMENT_MAX + 1], agency[RAKSHA_SEGMENT_MAX + 1];
	int64_t revision;
	bool exercise;
};

void store_set_supervisors(struct store *s, store_supervisor_fn fn, void *ctx)
{
	s->supervisor = fn;
	s->supervisor_ctx = ctx;
}

static void copy_column(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	snprintf(out, size, "%s", t != NULL ? t : "");
}

static int owner_of(struct store *s, const ProtobufCBinaryData *id, struct owner *o)
{
	sqlite3_stmt *st = s->st[ST_CASE_OWNER];
	*o = (struct owner){0};
	sqlite3_bind_blob(st, 1, id->data, (int)id->len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->known = true;
		copy_column(st, 0, o->state, sizeof(o->state));
		copy_column(st, 1, o->region, sizeof(o->region));
		copy_column(st, 2, o->agency, sizeof(o->agency));
		o->revision = sqlite3_column_int64(st, 3);
		o->exercise = sqlite3_column_int(st, 4) != 0;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

static bool owns(const struct owner *o, const Raksha__V1__Origin *from)
{
	return strcmp(o->state, from->state) == 0 && strcmp(o->region, from->region) == 0 &&
	       strcmp(o->agency, from->agency) == 0;
}

static bool supervises(struct store *s, const Raksha__V1__Origin *from)
{
	return s->supervisor != NULL && s->supervisor(s->supervisor_ctx, from);
}

/* Whether a status update is a finder's word (anyone's) or the owner's. */
static bool anyones(const raksha_envelope *env)
{
	switch (env->update->status) {
	case RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_FOUND:
	case RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_RESCUED:
	case RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_REUNITED:
		return true;
	default:
		return false;
	}
}

/* What @env does to its case, in words for the reason. */
static void change_name(const raksha_envelope *env, char *out, size_t size)
{
	static const char *const names[] = {"status change", "found", "rescued", "reunited", "close",
					    "cancel", "reopen"};
	if (raksha_envelope_kind(env) == RAKSHA_KIND_REPORT) {
		snprintf(out, size, "revision %u", env->report->revision);
		return;
	}
	int u = env->update->status;
	snprintf(out, size, "%s", u >= 0 && u <= 6 ? names[u] : names[0]);
}

static void not_owner(const raksha_envelope *env, const struct owner *o, struct raksha_problem *why)
{
	const Raksha__V1__Origin *f = env->origin;
	char what[40];
	change_name(env, what, sizeof(what));
	why->cause = RAKSHA_CAUSE_NOT_OWNER;
	snprintf(why->text, sizeof(why->text), "%s from %s/%s/%s (%s, %s) refused: the case is %s/%s/%s's,"
		 " and %s/%s/%s is not a supervisor in the roster", what, f->state, f->region, f->agency,
		 f->unit, f->sender_id, o->state, o->region, o->agency, f->state, f->region, f->agency);
}

/* 0: take it; 1: refuse it, with @why. */
static int judge_report(struct store *s, const raksha_envelope *env, const struct owner *o,
			struct raksha_problem *why)
{
	if (!o->known)
		return 0;  /* the first report: its unit is the owner */
	if (!owns(o, env->origin) && !supervises(s, env->origin)) {
		not_owner(env, o, why);
		return 1;
	}
	if ((int64_t)env->report->revision <= o->revision + STORE_REVISION_STEP_MAX)
		return 0;
	why->cause = RAKSHA_CAUSE_INVALID;
	snprintf(why->text, sizeof(why->text), "report.revision: %u is more than %d past the case's revision"
		 " %lld (revisions advance by small steps)", env->report->revision, STORE_REVISION_STEP_MAX,
		 (long long)o->revision);
	return 1;
}

/* Held for the report to come, unless its sender holds too many. */
static int hold(struct store *s, const char *topic, const raksha_envelope *env, const void *bytes,
		size_t len, int64_t received_ms, struct raksha_problem *why)
{
	char sender[STORE_SENDER_MAX];
	store_sender(topic, sender);
	sqlite3_stmt *st = s->st[ST_HELD_COUNT];
	sqlite3_bind_text(st, 1, sender, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int64_t held = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW)
		return store_errno(rc);
	if (held >= STORE_HELD_PER_SENDER) {
		why->cause = RAKSHA_CAUSE_NOT_OWNER;
		snprintf(why->text, sizeof(why->text), "a change of a case whose report has not arrived, and %s"
			 " has %lld such held already", sender, (long long)held);
		return 1;
	}
	st = s->st[ST_HOLD];
	sqlite3_bind_blob(st, 1, env->message_id.data, (int)env->message_id.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, env->update->report_id.data, (int)env->update->report_id.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sender, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, received_ms);
	sqlite3_bind_text(st, 5, topic, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, bytes, (int)len, SQLITE_STATIC);
	int r = store_run(st);
	return r < 0 ? r : 2;
}

/* 0: take it; 1: refuse it, with @why; 2: held. */
static int judge_update(struct store *s, const char *topic, const raksha_envelope *env, const void *bytes,
			size_t len, int64_t received_ms, const struct owner *o, struct raksha_problem *why)
{
	if (anyones(env))
		return 0;
	if (!o->known)
		return hold(s, topic, env, bytes, len, received_ms, why);
	if (owns(o, env->origin) || supervises(s, env->origin))
		return 0;
	not_owner(env, o, why);
	return 1;
}

/* Whether @env's message_id is stored: a redelivery of what was taken
 * (perhaps before the roster changed) is not refused now. */
static int known(struct store *s, const raksha_envelope *env)
{
	sqlite3_stmt *st = s->st[ST_KNOWN];
	sqlite3_bind_blob(st, 1, env->message_id.data, (int)env->message_id.len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_errno(rc);
	return rc == SQLITE_ROW;
}

/* Said at most once a minute, with how many since: a unit that keeps
 * closing others' cases must not fill the journal. A drill's starts DRILL,
 * as every other line of a drill does (docs/agent.md, "Drills"). */
static void log_refused(struct store *s, const char *topic, const ProtobufCBinaryData *id,
			const struct owner *o, const struct raksha_problem *why)
{
	int64_t now = clock_mono_ms();
	int d = o->exercise;
	s->refused_since_log[d]++;
	if (s->refused_logged_ms[d] != 0 && now - s->refused_logged_ms[d] < REFUSED_LOG_INTERVAL_MS)
		return;
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	raksha_uuid_format(id->data, text);
	log_line(LOG_WARNING, "%srefused %s on %s: %s (%lld refused since the last note)  id %s",
		 d ? "DRILL " : "", raksha_cause_name(why->cause), topic, why->text,
		 (long long)s->refused_since_log[d], text);
	s->refused_logged_ms[d] = now;
	s->refused_since_log[d] = 0;
}

int store_owner_judge(struct store *s, const char *topic, const raksha_envelope *env, const void *bytes,
		      size_t len, int64_t received_ms)
{
	enum raksha_kind kind = raksha_envelope_kind(env);
	const ProtobufCBinaryData *id = raksha_envelope_report_id(env);
	if ((kind != RAKSHA_KIND_REPORT && kind != RAKSHA_KIND_UPDATE) || id == NULL ||
	    id->len != RAKSHA_UUID_LEN)
		return 0;
	struct owner o;
	int r = owner_of(s, id, &o);
	if (r < 0)
		return r;
	struct raksha_problem why = {0};
	if (kind == RAKSHA_KIND_REPORT)
		r = judge_report(s, env, &o, &why);
	else
		r = judge_update(s, topic, env, bytes, len, received_ms, &o, &why);
	if (r != 1)
		return r < 0 ? r : r == 2;
	r = known(s, env);
	if (r != 0)
		return r < 0 ? r : 1;
	r = store_refused(s, topic, id, bytes, len, &why, received_ms);
	if (r < 0)
		return r;
	log_refused(s, topic, id, &o, &why);
	return 1;
}

/* One held change, judged now that its case has an owner. */
static int release_one(struct store *s, const char *topic, const void *bytes, size_t len, int64_t received_ms)
{
	raksha_envelope *env = NULL;
	if (history_decode(bytes, len, topic, received_ms, &env) < 0)
		return 0;  /* it passed when it arrived; a newer rule is left to the log */
	int r = store_owner_judge(s, topic, env, bytes, len, received_ms);
	if (r == 0)
		r = store_take(s, topic, env, bytes, len, received_ms);
	raksha_envelope_free(env);
	return r < 0 ? r : 0;
}

int store_owner_release(struct store *s, const ProtobufCBinaryData *report_id)
{
	sqlite3_stmt *st = s->st[ST_HELD_OF];
	sqlite3_bind_blob(st, 1, report_id->data, (int)report_id->len, SQLITE_STATIC);
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = release_one(s, (const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
				(size_t)sqlite3_column_bytes(st, 1), sqlite3_column_int64(st, 2));
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	sqlite3_reset(st);
	if (r < 0) {
		sqlite3_clear_bindings(st);
		return r;
	}
	st = s->st[ST_HELD_DROP];
	sqlite3_bind_blob(st, 1, report_id->data, (int)report_id->len, SQLITE_STATIC);
	r = store_run(st);
	sqlite3_clear_bindings(s->st[ST_HELD_OF]);
	return r;
}
