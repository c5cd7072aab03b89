/* raksha-replay stats: reads the cases, acks, escalation levels and
 * presence of the selection and sums them up per unit and per agent. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "history/history.h"
#include "replay/replay.h"
#include "replay/stats.h"

/* Each case whose first report arrived in the window, with its unit and
 * the first ack of anyone. */
static const char CASES_SQL[] =
	"SELECT c.report_id, c.state || '/' || c.region || '/' || c.agency, c.status,"
	" c.escalation_level, r.received_at_ms, r.topic,"
	" (SELECT min(received_at_ms) FROM messages a WHERE a.report_id = c.report_id AND a.kind = 'ack'),"
	" c.exercise FROM cases c JOIN messages r ON r.seq = (SELECT min(seq) FROM messages"
	"  WHERE report_id = c.report_id AND kind = 'report')"
	" WHERE r.received_at_ms >= ?1 AND r.received_at_ms < ?2";

/* Each unit's first ack of that case. */
static const char ACKS_SQL[] =
	"SELECT state || '/' || region || '/' || agency, min(received_at_ms) FROM messages"
	" WHERE report_id = ?1 AND kind = 'ack' GROUP BY state, region, agency";

/* A unit's figures for real cases, or for drills. */
static struct case_stats *kind_of(struct unit_stats *u, bool drill)
{
	return drill ? &u->drill : &u->real;
}

static void acks_of(sqlite3_stmt *acks, const void *id, int64_t arrived, bool drill, struct stats *s)
{
	sqlite3_bind_blob(acks, 1, id, RAKSHA_UUID_LEN, SQLITE_TRANSIENT);
	while (sqlite3_step(acks) == SQLITE_ROW) {
		struct unit_stats *u = stats_unit(s, (const char *)sqlite3_column_text(acks, 0));
		if (u == NULL)
			continue;
		struct case_stats *k = kind_of(u, drill);
		k->acks_given++;
		stats_samples_add(&k->gave_ack, sqlite3_column_int64(acks, 1) - arrived);
	}
	sqlite3_reset(acks);
}

static void one_case(sqlite3_stmt *q, sqlite3_stmt *acks, struct stats *s)
{
	struct unit_stats *u = stats_unit(s, (const char *)sqlite3_column_text(q, 1));
	if (u == NULL)
		return;
	bool drill = sqlite3_column_int(q, 7) != 0;
	struct case_stats *k = kind_of(u, drill);
	int64_t arrived = sqlite3_column_int64(q, 4);
	int level = sqlite3_column_int(q, 3);
	k->reports++;
	k->open += strcmp((const char *)sqlite3_column_text(q, 2), "open") == 0;
	for (int l = 0; l < 3; l++)
		k->escalated[l] += level > l;
	if (sqlite3_column_type(q, 6) == SQLITE_NULL)
		k->unacked++;
	else
		stats_samples_add(&k->first_ack, sqlite3_column_int64(q, 6) - arrived);
	if (sqlite3_column_bytes(q, 0) == RAKSHA_UUID_LEN)
		acks_of(acks, sqlite3_column_blob(q, 0), arrived, drill, s);
}

static int cases(sqlite3 *db, const struct history_filter *f, struct stats *s)
{
	sqlite3_stmt *q = NULL, *acks = NULL;
	if (sqlite3_prepare_v2(db, CASES_SQL, -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, ACKS_SQL, -1, &acks, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return -EIO;
	}
	sqlite3_bind_int64(q, 1, s->from_ms);
	sqlite3_bind_int64(q, 2, s->to_ms);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (history_topic_selected(f, (const char *)sqlite3_column_text(q, 5)))
			one_case(q, acks, s);
	sqlite3_finalize(q);
	sqlite3_finalize(acks);
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

/* Sums up the cases and the presence of a's selection in @db into @s, over
 * s->from_ms to s->to_ms. Returns 0 or -EIO. */
static int gather(sqlite3 *db, const struct args *a, struct stats *s)
{
	if (cases(db, &a->filter, s) < 0)
		return -EIO;
	struct history_filter f = a->filter;
	f.kinds = 1u << RAKSHA_KIND_AGENT;
	if (history_each(db, &f, presence, s) < 0)
		return -EIO;
	for (size_t i = 0; i < s->n_agents; i++)
		account(&s->agents[i], s->to_ms);
	return stats_rejected_gather(db, s);
}

int replay_stats(const struct args *a)
{
	sqlite3 *db;
	int r = replay_open_db(a, &db);
	if (r != 0)
		return r;
	struct stats *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		log_line(LOG_ERR, "raksha-replay: out of memory");
		sqlite3_close(db);
		return EX_OSERR;
	}
	s->from_ms = a->filter.since_ms;
	s->to_ms = a->filter.until_ms ? a->filter.until_ms : clock_wall_ms();
	r = gather(db, a, s) < 0 ? EX_DATAERR : EX_OK;
	if (r != EX_OK)
		log_line(LOG_ERR, "raksha-replay: cannot read %s", a->db);
	else if (a->format == FORMAT_JSON && stats_print_json(s) < 0)
		r = EX_OSERR;  /* not "0 and nothing printed" */
	else if (a->format != FORMAT_JSON)
		stats_print_text(s);
	stats_free(s);
	sqlite3_close(db);
	return r;
}
