/* Retention: [agent] prune_closed_after = 90d deletes the cases that ended
 * (closed, cancelled, reunited) and saw no change for that long, with every
 * message, ack and timer of theirs. Open, found and rescued cases stay
 * whatever their age; so do rejected input and presence. */
#ifndef RAKSHA_AGENT_PRUNE_H
#define RAKSHA_AGENT_PRUNE_H

#include <stdint.h>

#include "agent/store.h"

/* Deletes, in one transaction, what ended before @before_ms. Sets how many
 * cases and messages went. Returns 0, or -ENOSPC / -EIO. */
int prune_closed(struct store *s, int64_t before_ms, int64_t *cases, int64_t *messages);

#endif
