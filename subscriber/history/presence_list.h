/* Who is online and who is not, and since when, from the agents' presence
 * (AgentStatus, retained on raksha/v1/{state}/{region}/{agency}/agent/{id})
 * in an agent's database: raksha-replay presence and the board read it.
 * Times are arrivals at the agent whose database it is: an "offline" that
 * is an agent's Will is published by the broker when it gave up on the
 * link, so its arrival, not its sent_at_ms (when the Will was made, at the
 * connection's start), is when the link was lost. */
#ifndef RAKSHA_HISTORY_PRESENCE_LIST_H
#define RAKSHA_HISTORY_PRESENCE_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include <raksha/raksha.h>

#include "history/history.h"

/* One agent as its presence messages tell it. */
struct presence_agent {
	char id[RAKSHA_AGENT_ID_MAX + 1];
	char unit[3 * (RAKSHA_SEGMENT_MAX + 1)];  /* state/region/agency of its topic */
	bool online;
	int64_t since_ms;       /* arrival of the first status of the state it is in now */
	int64_t last_ms;        /* arrival of its latest status */
	int64_t started_at_ms;  /* when its process started, as its latest status says */
	int64_t changes;        /* how often its state changed (the first status counts) */
};

/* Zero-initialise; presence_list_update() fills and refreshes it. */
struct presence_list {
	struct presence_agent *agents;  /* in the order first heard of */
	size_t n, cap;
	int64_t after_seq;              /* the last message read */
};

/* Reads the presence messages of @f's topics (only those; its other bounds
 * but until_ms are ignored) that arrived since the last update, so that a
 * board refreshing it reads only what is new. A repeated status (the same
 * state again) keeps since_ms; a message that no longer decodes is skipped.
 * Returns 0, or -EIO (the database) or -ENOMEM; on failure what was read
 * stays valid. */
int presence_list_update(sqlite3 *db, const struct history_filter *f, struct presence_list *l);

/* The agent @id of unit @unit ("state/region/agency"), or NULL. */
const struct presence_agent *presence_list_find(const struct presence_list *l, const char *unit,
						const char *id);

/* Sorts the offline agents first, the longest offline first, then the
 * online ones by unit and id. */
void presence_list_sort(struct presence_list *l);

void presence_list_free(struct presence_list *l);

#endif
