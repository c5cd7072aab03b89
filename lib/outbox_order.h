/* The order raksha_outbox_flush() sends in: text first. On one connection
 * an envelope goes out only after the one before it has, so a text report
 * or an ack queued behind a photo's 270 KB waits the photo's whole
 * transfer (8 s and more at 256 kbit/s; docs/benchmarks.md,
 * bench/slowlink.sh). The first pass sends, oldest first, every entry of
 * at most OUTBOX_TEXT_FIRST_MAX bytes whose case no held entry before it
 * has; the second sends the rest, oldest first. A case's entries therefore
 * keep their order (revisions, updates and acks of one case never overtake
 * one another), and only other cases' small entries overtake a large one. */
#ifndef RAKSHA_LIB_OUTBOX_ORDER_H
#define RAKSHA_LIB_OUTBOX_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include <raksha/outbox.h>

/* The largest envelope sent ahead: a text report is 1-2 KB, one with a
 * normalised photo tens or hundreds of KB. */
#define OUTBOX_TEXT_FIRST_MAX (16u * 1024u)

struct outbox_order;

/* A new, empty order; NULL when out of memory. */
struct outbox_order *outbox_order_new(void);

/* Whether @e goes in the first pass (1) or waits for the second (0), asked
 * in the scan's order. It waits if it is large, or of a case an entry held
 * before it is of, or undecodable (and then so does every entry after it:
 * its case is unknown); its cases then wait with it. An entry taken is
 * remembered for outbox_order_taken(). Returns 1, 0, or -ENOMEM. */
int outbox_order_first(struct outbox_order *o, const struct raksha_outbox_entry *e);

/* Whether the first pass held anything: else there is no second pass. */
bool outbox_order_held_any(const struct outbox_order *o);

/* Whether the first pass took the entry @id. */
bool outbox_order_taken(const struct outbox_order *o, const uint8_t id[RAKSHA_UUID_LEN]);

void outbox_order_free(struct outbox_order *o);

#endif
