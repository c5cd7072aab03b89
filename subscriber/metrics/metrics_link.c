/* The link's state and how often it came up, from the agent's own
 * presence in its own database: it stores the "online" of every
 * connection once the connection is up, the Will of a lost one and its
 * goodbye (docs/agent.md, "Presence"), as it tells the broker, each
 * with when its process started. */
#include <errno.h>
#include <stdio.h>

#include <raksha/raksha.h>

#include "history/history.h"
#include "metrics/metrics_impl.h"

static int take(void *ctx, const struct history_row *row)
{
	struct metrics_link *l = ctx;
	raksha_envelope *env = NULL;
	l->after_seq = row->seq;
	if (history_decode(row->bytes, row->len, row->topic, row->received_ms, &env) < 0)
		return 0;  /* stored before a rule it breaks now: not a status to trust */
	bool online = env->agent->online;
	int64_t started = env->agent->started_at_ms;
	raksha_envelope_free(env);
	l->connected = online;
	if (!online)
		return 0;
	l->connections++;
	/* Each status names its process's start: a second "online" of one
	 * run is the link coming back, not the agent starting again. */
	if (l->connections > 1 && started == l->started_ms)
		l->reconnections++;
	l->started_ms = started;
	return 0;
}

int metrics_link_update(sqlite3 *db, const char *const unit[3], const char *id, struct metrics_link *link,
			char *err, size_t errlen)
{
	char topic[RAKSHA_TOPIC_MAX];
	snprintf(topic, sizeof(topic), "raksha/v1/%s/%s/%s/agent/%s", unit[0], unit[1], unit[2], id);
	struct history_filter f = {.n_topics = 1, .kinds = 1u << RAKSHA_KIND_AGENT, .after_seq = link->after_seq};
	f.topics[0] = topic;  /* borrowed: f is not freed */
	if (link->after_seq == 0 && link->connections == 0)
		link->connected = -1;
	int64_t n = history_each(db, &f, take, link);
	if (n == -ENOMEM)
		return -ENOMEM;
	if (n < 0)
		return metrics_sql_error(db, "presence", err, errlen);
	return 0;
}
