/* The statistics of a window (history/stats.h): reads the cases, acks,
 * escalation levels and presence of the selection and sums them up per
 * unit, per day and per agent. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history.h"
#include "history/stats.h"

/* When a case ended, if its status says it did: the arrival of its last
 * update, or of its latest revision if a report ended it. One expression
 * for the cases counted and for the days' closed (stats_days.c). */
#define STATS_ENDED_SQL \
	" iif(c.status IN ('closed', 'cancelled', 'reunited'), coalesce((SELECT max(received_at_ms)" \
	" FROM messages u WHERE u.report_id = c.report_id AND u.kind = 'update'), (SELECT received_at_ms" \
	" FROM messages l WHERE l.seq = c.report_seq)), 0)"

/* Each case whose first report arrived in the window, with its unit and
 * the first ack of anyone. */
static const char CASES_SQL[] =
	"SELECT c.report_id, c.state || '/' || c.region || '/' || c.agency, c.status,"
	" c.escalation_level, r.received_at_ms, r.topic,"
	" (SELECT min(received_at_ms) FROM messages a WHERE a.report_id = c.report_id AND a.kind = 'ack'),"
	" c.exercise, c.report_seq," STATS_ENDED_SQL " FROM cases c JOIN messages r ON r.seq ="
	" (SELECT min(seq) FROM messages WHERE report_id = c.report_id AND kind = 'report')"
	" WHERE r.received_at_ms >= ?1 AND r.received_at_ms < ?2 ORDER BY r.received_at_ms, c.report_id";

/* Each unit's first ack of that case. */
static const char ACKS_SQL[] =
	"SELECT state || '/' || region || '/' || agency, min(received_at_ms) FROM messages"
	" WHERE report_id = ?1 AND kind = 'ack' GROUP BY state, region, agency";

static const char *text_at(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	return t != NULL ? (const char *)t : "";
}

static void case_of(sqlite3_stmt *q, struct stats_case *c)
{
	bool has_id = sqlite3_column_bytes(q, 0) == RAKSHA_UUID_LEN;
	c->report_id = has_id ? sqlite3_column_blob(q, 0) : NULL;
	c->unit = text_at(q, 1);
	c->status = text_at(q, 2);
	c->level = sqlite3_column_int(q, 3);
	c->opened_ms = sqlite3_column_int64(q, 4);
	c->topic = text_at(q, 5);
	c->first_ack_ms = sqlite3_column_int64(q, 6);  /* NULL reads as 0 */
	c->drill = sqlite3_column_int(q, 7) != 0;
	c->report_seq = sqlite3_column_int64(q, 8);
	c->ended_ms = sqlite3_column_int64(q, 9);
}

int stats_cases_each(sqlite3 *db, const struct history_filter *f, int64_t from_ms, int64_t to_ms,
		     stats_case_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, CASES_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(q, 1, from_ms);
	sqlite3_bind_int64(q, 2, to_ms);
	int rc, stop = 0;
	while (stop == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct stats_case c;
		case_of(q, &c);
		if (history_topic_selected(f, c.topic))
			stop = fn(ctx, &c);
	}
	sqlite3_finalize(q);
	if (stop != 0)
		return stop;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* A unit's figures for real cases, or for drills. */
static struct case_stats *kind_of(struct unit_stats *u, bool drill)
{
	return drill ? &u->drill : &u->real;
}

struct gathering {
	struct stats *s;
	sqlite3_stmt *acks;
	int err;
};

static void acks_of(struct gathering *g, const struct stats_case *c)
{
	sqlite3_stmt *acks = g->acks;
	sqlite3_bind_blob(acks, 1, c->report_id, RAKSHA_UUID_LEN, SQLITE_TRANSIENT);
	while (sqlite3_step(acks) == SQLITE_ROW) {
		struct unit_stats *u = stats_unit(g->s, text_at(acks, 0));
		if (u == NULL)
			continue;
		struct case_stats *k = kind_of(u, c->drill);
		k->acks_given++;
		if (stats_samples_add(&k->gave_ack, sqlite3_column_int64(acks, 1) - c->opened_ms) < 0)
			g->err = -ENOMEM;
	}
	sqlite3_reset(acks);
}

static int one_case(void *ctx, const struct stats_case *c)
{
	struct gathering *g = ctx;
	struct unit_stats *u = stats_unit(g->s, c->unit);
	if (u == NULL)
		return 0;
	struct case_stats *k = kind_of(u, c->drill);
	k->reports++;
	k->open += strcmp(c->status, "open") == 0;
	for (int l = 0; l < 3; l++)
		k->escalated[l] += c->level > l;
	if (c->first_ack_ms == 0)
		k->unacked++;
	else if (stats_samples_add(&k->first_ack, c->first_ack_ms - c->opened_ms) < 0)
		g->err = -ENOMEM;
	struct stats_day *d = stats_day_of(g->s, c->opened_ms);
	if (d != NULL)
		(c->drill ? &d->drill : &d->real)->opened++;
	if (c->report_id != NULL)
		acks_of(g, c);
	return 0;
}

static int cases(sqlite3 *db, const struct history_filter *f, struct stats *s)
{
	struct gathering g = {.s = s};
	if (sqlite3_prepare_v2(db, ACKS_SQL, -1, &g.acks, NULL) != SQLITE_OK)
		return -EIO;
	int r = stats_cases_each(db, f, s->from_ms, s->to_ms, one_case, &g);
	sqlite3_finalize(g.acks);
	return r < 0 ? r : g.err;
}

/* The report cases that ended in the window, whenever they were opened,
 * each counted on the day it ended. */
static const char CLOSED_SQL[] =
	"SELECT r.topic, c.exercise," STATS_ENDED_SQL " AS ended FROM cases c JOIN messages r ON r.seq ="
	" (SELECT min(seq) FROM messages WHERE report_id = c.report_id AND kind = 'report')"
	" WHERE c.kind = 'report' AND c.status IN ('closed', 'cancelled', 'reunited')"
	" AND ended >= ?1 AND ended < ?2";

static int days_closed(sqlite3 *db, const struct history_filter *f, struct stats *s)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, CLOSED_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(q, 1, s->from_ms);
	sqlite3_bind_int64(q, 2, s->to_ms);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct stats_day *d = stats_day_of(s, sqlite3_column_int64(q, 2));
		if (d != NULL && history_topic_selected(f, text_at(q, 0)))
			(sqlite3_column_int(q, 1) ? &d->drill : &d->real)->closed++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static struct agent_stats *agent_named(struct stats *s, const struct raksha_topic *t)
{
	char unit[100];
	snprintf(unit, sizeof(unit), "%s/%s/%s", t->state, t->region, t->agency);
	for (size_t i = 0; i < s->n_agents; i++)
		if (strcmp(s->agents[i].id, t->agent_id) == 0 && strcmp(s->agents[i].unit, unit) == 0)
			return &s->agents[i];
	if (s->n_agents == STATS_MAX_AGENTS)
		return NULL;
	struct agent_stats *a = &s->agents[s->n_agents++];
	memset(a, 0, sizeof(*a));
	snprintf(a->id, sizeof(a->id), "%s", t->agent_id);
	snprintf(a->unit, sizeof(a->unit), "%s", unit);
	a->online = -1;
	return a;
}

/* Adds the time since the last status, in its state, to the agent's sums. */
static void account(struct agent_stats *a, int64_t until)
{
	if (a->online < 0 || until <= a->since_ms)
		return;
	a->known_ms += until - a->since_ms;
	if (a->online)
		a->online_ms += until - a->since_ms;
}

static int presence(void *ctx, const struct history_row *row)
{
	struct stats *s = ctx;
	struct raksha_topic t;
	raksha_envelope *env = NULL;
	if (raksha_topic_parse(row->topic, &t, NULL) < 0 ||
	    history_decode(row->bytes, row->len, row->topic, row->received_ms, &env) < 0)
		return 0;
	struct agent_stats *a = agent_named(s, &t);
	if (a != NULL) {
		account(a, row->received_ms);
		a->online = env->agent->online;
		a->since_ms = row->received_ms;
	}
	raksha_envelope_free(env);
	return 0;
}

/* The agents' times summed per unit, for those with any. */
static void units_online(struct stats *s)
{
	for (size_t i = 0; i < s->n_agents; i++) {
		const struct agent_stats *a = &s->agents[i];
		struct unit_online *u = NULL;
		for (size_t j = 0; j < s->n_units_online && u == NULL; j++)
			if (strcmp(s->units_online[j].unit, a->unit) == 0)
				u = &s->units_online[j];
		if (a->known_ms <= 0)
			continue;
		if (u == NULL) {
			u = &s->units_online[s->n_units_online++];
			snprintf(u->unit, sizeof(u->unit), "%s", a->unit);
		}
		u->online_ms += a->online_ms;
		u->known_ms += a->known_ms;
	}
	stats_sort_online(s);
}

/* The first day of the series: the window's, or the first arrival's (none
 * without messages: @to_ms). */
static int64_t first_arrival(sqlite3 *db, int64_t from_ms, int64_t to_ms)
{
	sqlite3_stmt *q;
	int64_t first = from_ms > 0 ? from_ms : to_ms;
	if (from_ms > 0 || sqlite3_prepare_v2(db, "SELECT min(received_at_ms) FROM messages", -1, &q, NULL) != SQLITE_OK)
		return first;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		first = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return first;
}

int stats_gather(sqlite3 *db, const struct history_filter *f, struct stats *s)
{
	if (stats_days_span(s, first_arrival(db, s->from_ms, s->to_ms)) < 0)
		return -ENOMEM;
	int r = cases(db, f, s);
	if (r < 0)
		return r;
	if (days_closed(db, f, s) < 0)
		return -EIO;
	struct history_filter p = *f;
	p.kinds = 1u << RAKSHA_KIND_AGENT;
	p.since_ms = s->from_ms;
	p.until_ms = s->to_ms;
	if (history_each(db, &p, presence, s) < 0)
		return -EIO;
	for (size_t i = 0; i < s->n_agents; i++)
		account(&s->agents[i], s->to_ms);
	units_online(s);
	return stats_rejected_gather(db, s);
}
