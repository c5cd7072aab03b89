/* What the escalator's files share (escalator.c, escalator_scan.c,
 * escalator_fire.c). Only the escalator's thread touches these. */
#ifndef RAKSHA_AGENT_ESCALATOR_IMPL_H
#define RAKSHA_AGENT_ESCALATOR_IMPL_H

#include <pthread.h>
#include <stdbool.h>

#include "agent/escalator.h"
#include "agent/escalator_store.h"
#include "agent/hooks.h"

/* Messages looked at per transaction. */
#define SCAN_BATCH 200
/* Timers handled per tick. */
#define FIRE_BATCH 32

struct escalator {
	const struct agent_config *c;
	struct store *store;              /* its own connection */
	struct raksha_outbox *outbox;
	struct outbox_sender *sender;
	struct hooks *hooks;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool kicked, stopping;
	int64_t failed_log_ms;            /* a database failure, logged once a minute */
	int64_t pruned_ms;                /* the last retention pass */
};

/* The escalator without its thread: its own connection to the database,
 * the outbox, the hook runner (escalator_start() is this and the thread;
 * the unit test drives the steps below itself). Returns 0 or -errno
 * (logged). */
int escalator_open(const struct agent_config *c, struct outbox_sender *sender, struct escalator **out);
void escalator_close(struct escalator *e);

/* Looks at every message stored since the last look. Returns 0 or -errno. */
int escalator_scan(struct escalator *e);

/* Fires or ends the timers due at @now_ms (wall time: due times are in
 * the database, and must survive a restart). Returns 0 or -errno. */
int escalator_fire(struct escalator *e, int64_t now_ms);

/* Puts the agent's own envelopes waiting in own_pending into the outbox.
 * Returns 0 or -errno. */
int escalator_send_pending(struct escalator *e);

#endif
