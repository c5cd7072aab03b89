/* The escalator: a thread beside ingestion that looks at each newly stored
 * message once (arming escalation timers, running the on_report,
 * on_sighting, on_update, on_ack and on_escalation hooks) and fires the
 * timers that fall due.
 * Its state is in the database, so it resumes where it stopped: a timer
 * that fell due while the agent was down fires once at start. */
#ifndef RAKSHA_AGENT_ESCALATOR_H
#define RAKSHA_AGENT_ESCALATOR_H

#include "agent/config.h"
#include "agent/outbox_sender.h"

struct escalator;

/* Opens its own connection to the database and the outbox, sends what a
 * crash left between the two, and starts the thread. @c must outlive it;
 * @sender (may be NULL) is kicked when an escalation is queued.
 * Returns 0, or a negative errno (the log says what). */
int escalator_start(const struct agent_config *c, struct outbox_sender *sender,
		    struct escalator **out);

/* Something new was stored: look now, not at the next tick. Thread-safe;
 * NULL is a no-op. */
void escalator_kick(struct escalator *e);

/* Stops the thread and the hooks it started (bounded). NULL is a no-op. */
void escalator_stop(struct escalator *e);

#endif
