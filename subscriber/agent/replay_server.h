/* The archive's side of remote replay: requests arriving on
 * raksha/replay/{id}/request/{correlation} are answered, one at a time on a
 * thread of their own (never on paho's receive thread, which must go on
 * logging), from the database through history.c: exactly what a local
 * raksha-replay with the same filters prints. */
#ifndef RAKSHA_AGENT_REPLAY_SERVER_H
#define RAKSHA_AGENT_REPLAY_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/config.h"

#define REPLAY_QUEUE_MAX 8

struct replay_server;

/* The filter the archive subscribes to for its requests, into @buf. */
void replay_server_filter(const struct agent_config *c, char *buf, size_t size);

/* True if @topic is a replay request (not bus traffic to log). */
bool replay_server_is_request(const char *topic);

/* Opens its own read connection to the database and starts the thread.
 * Returns 0, or a negative errno (logged). */
int replay_server_start(const struct agent_config *c, struct raksha_client *client,
			struct replay_server **out);

/* Queues the request that arrived on @topic (copied). With a full queue
 * it is refused and logged; the asker times out. Thread-safe. */
void replay_server_take(struct replay_server *s, const char *topic, const void *payload, size_t len);

/* Stops the thread, cutting short the answer under way. NULL is a no-op. */
void replay_server_stop(struct replay_server *s);

/* Frees @s: after raksha_client_close(), which may still report the fate
 * of frames in flight to it. NULL is a no-op. */
void replay_server_free(struct replay_server *s);

#endif
