/* Retention: [agent] prune_closed_after = 90d deletes the cases that ended
 * (closed, cancelled, reunited) and saw no change for that long, with every
 * message, ack and timer of theirs. Open, found and rescued cases stay
 * whatever their age; so does presence. prune_rejected_after = 30d does
 * the same for rejected input (but what waits for the clock) and the
 * counts of what was not kept (store_rejected()). */
#ifndef RAKSHA_AGENT_PRUNE_H
#define RAKSHA_AGENT_PRUNE_H

#include <stdint.h>

#include "agent/store.h"

/* Deletes, in one transaction, what ended before @before_ms. Sets how many
 * cases and messages went. Returns 0, or -ENOSPC / -EIO. */
int prune_closed(struct store *s, int64_t before_ms, int64_t *cases, int64_t *messages);

/* Deletes, in one transaction, the rejected rows that arrived before
 * @before_ms (but those of cause clock, and the newest: rejected.seq is
 * never reused either), and the not-kept counts whose last was before it.
 * Sets how many rows and counts went. Returns 0, or -ENOSPC / -EIO. */
int prune_rejected(struct store *s, int64_t before_ms, int64_t *rows, int64_t *counts);

#endif
