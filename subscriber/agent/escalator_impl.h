/* What the escalator's files share (escalator.c, escalate_scan.c,
 * escalate_fire.c). Only the escalator's thread touches these. */
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

/* Looks at every message stored since the last look. Returns 0 or -errno. */
int escalate_scan(struct escalator *e);

/* Fires or ends the timers due now. Returns 0 or -errno. */
int escalate_fire(struct escalator *e);

/* Puts the agent's own envelopes waiting in own_pending into the outbox.
 * Returns 0 or -errno. */
int escalate_send_pending(struct escalator *e);

#endif
