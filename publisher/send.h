/* Getting envelopes to the broker through the durable outbox. */
#ifndef RAKSHA_PUBLISH_SEND_H
#define RAKSHA_PUBLISH_SEND_H

#include <stddef.h>
#include <stdint.h>

#include "publisher/publish.h"

/* What the command does around the send, each with @ctx (either may be
 * NULL): @queued once the envelope is on disk; @settled after the one-shot
 * path is done with it (sent, or left queued), before any wait on the paho
 * path. Between the two the one-shot path talks to the broker, so work begun
 * in @queued (the copy for --revise) overlaps that exchange. */
struct send_hooks {
	void (*queued)(void *ctx);
	void (*settled)(void *ctx);
	void *ctx;
};

/* Writes the envelope into the outbox (durably), then sends the whole
 * outbox in order. Returns 0 if this envelope was acknowledged by the
 * broker, EX_TEMPFAIL if it is kept in the outbox (said on stderr), or
 * another sysexits code. @hooks are called as their comments say. */
int send_envelope(struct pub *p, const char *topic, const uint8_t *buf, size_t len,
		  const uint8_t id[16], const struct send_hooks *hooks);

/* Sends what the outbox holds. Returns 0 if all of it was acknowledged,
 * EX_TEMPFAIL if some is kept, or another sysexits code. */
int send_flush(struct pub *p);

/* Prints the outbox, one line per entry. Returns a sysexits code. */
int send_list(struct pub *p);

#endif
