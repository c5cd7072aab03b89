/* The agents' presence from the database (presence_list.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/presence_list.h"

/* The index of agent @id of @unit, or l->n if there is none. */
static size_t lookup(const struct presence_list *l, const char *unit, const char *id)
{
	size_t i = 0;
	while (i < l->n && (strcmp(l->agents[i].id, id) != 0 || strcmp(l->agents[i].unit, unit) != 0))
		i++;
	return i;
}

const struct presence_agent *presence_list_find(const struct presence_list *l, const char *unit,
						const char *id)
{
	size_t i = lookup(l, unit, id);
	return i < l->n ? &l->agents[i] : NULL;
}

/* The agent of @t, added (unknown yet: changes 0) if it is new. */
static struct presence_agent *agent_of(struct presence_list *l, const struct raksha_topic *t)
{
	char unit[sizeof(l->agents[0].unit)];
	snprintf(unit, sizeof(unit), "%s/%s/%s", t->state, t->region, t->agency);
	size_t i = lookup(l, unit, t->agent_id);
	if (i < l->n)
		return &l->agents[i];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct presence_agent *grown = realloc(l->agents, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		l->agents = grown;
		l->cap = cap;
	}
	struct presence_agent *a = &l->agents[l->n++];
	memset(a, 0, sizeof(*a));
	snprintf(a->id, sizeof(a->id), "%s", t->agent_id);
	snprintf(a->unit, sizeof(a->unit), "%s", unit);
	return a;
}

static int take(void *ctx, const struct history_row *row)
{
	struct presence_list *l = ctx;
	struct raksha_topic t;
	raksha_envelope *env = NULL;
	l->after_seq = row->seq;
	if (raksha_topic_parse(row->topic, &t, NULL) < 0 || t.kind != RAKSHA_KIND_AGENT ||
	    history_decode(row->bytes, row->len, row->topic, row->received_ms, &env) < 0)
		return 0;  /* stored before a rule it breaks now: not a status to trust */
	struct presence_agent *a = agent_of(l, &t);
	if (a == NULL) {
		raksha_envelope_free(env);
		return -ENOMEM;
	}
	bool online = env->agent->online;
	if (a->changes == 0 || a->online != online) {
		a->changes++;
		a->online = online;
		a->since_ms = row->received_ms;
	}
	a->last_ms = row->received_ms;
	a->started_at_ms = env->agent->started_at_ms;
	raksha_envelope_free(env);
	return 0;
}

int presence_list_update(sqlite3 *db, const struct history_filter *f, struct presence_list *l)
{
	struct history_filter only = {.n_topics = f->n_topics, .until_ms = f->until_ms,
				      .kinds = 1u << RAKSHA_KIND_AGENT, .after_seq = l->after_seq};
	memcpy(only.topics, f->topics, sizeof(only.topics));  /* borrowed, not freed here */
	int64_t n = history_each(db, &only, take, l);
	return n < 0 ? (int)n : 0;
}

static int offline_first(const void *x, const void *y)
{
	const struct presence_agent *a = x, *b = y;
	if (a->online != b->online)
		return a->online ? 1 : -1;
	if (!a->online && a->since_ms != b->since_ms)
		return a->since_ms < b->since_ms ? -1 : 1;
	int u = strcmp(a->unit, b->unit);
	return u != 0 ? u : strcmp(a->id, b->id);
}

void presence_list_sort(struct presence_list *l)
{
	if (l->n > 1)
		qsort(l->agents, l->n, sizeof(l->agents[0]), offline_first);
}

void presence_list_free(struct presence_list *l)
{
	free(l->agents);
	*l = (struct presence_list){0};
}
