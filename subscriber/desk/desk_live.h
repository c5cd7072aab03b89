/* Live updates: a thread of the desk's own watches the agent's database
 * cheaply (max(messages.seq) and the agent's own presence, every
 * DESK_LIVE_POLL_MS) and wakes the browsers' event streams (GET /events,
 * Server-Sent Events) when either changed. A stream with nothing to say
 * is suspended in libmicrohttpd, so that it never holds up a page. */
#ifndef RAKSHA_DESK_LIVE_H
#define RAKSHA_DESK_LIVE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "agent/config.h"

#define DESK_LIVE_POLL_MS 200
#define DESK_LIVE_KEEPALIVE_MS 15000  /* under the connection timeout (30 s) */
#define DESK_LIVE_STREAMS 64          /* browsers waiting at once; more get 503 */

/* STOPPED: its presence says online (or nothing) but no process has its
 * database open (desk_agent_alive.h): killed, crashed. */
enum desk_agent_state {
	DESK_AGENT_UNKNOWN, DESK_AGENT_ONLINE, DESK_AGENT_OFFLINE, DESK_AGENT_NO_DB, DESK_AGENT_STOPPED,
};

struct desk_live {
	const struct agent_config *c;
	pthread_mutex_t lock;  /* everything below */
	pthread_cond_t wake;   /* desk_live_stop() */
	pthread_t thread;
	bool started, stopping;
	uint64_t gen;          /* bumped at every change of what follows */
	int64_t seq;           /* the newest message the agent committed */
	enum desk_agent_state agent;
	int64_t agent_since_ms;  /* STOPPED: when the watch first saw it */
	struct MHD_Connection *waiting[DESK_LIVE_STREAMS];
	size_t n_waiting;
	size_t n_streams;      /* open streams, waiting or not */
};

/* Starts the watching thread for @c's database. Returns 0 or a negative
 * errno (pthread_create's). */
int desk_live_start(struct desk_live *l, const struct agent_config *c);

/* Ends every stream (each sends what it has and ends) and the thread;
 * before MHD_stop_daemon(), which must not find a stream suspended. */
void desk_live_stop(struct desk_live *l);

/* The stream itself is GET /events, desk_page_events() (desk_pages.h):
 * each event's data is {"seq":N,"agent":"online|offline|unknown|nodb|stopped",
 * "since":MS}, sent at once and at every change. */

#endif
