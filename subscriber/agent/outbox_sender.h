/* The agent sends the outbox of the publishers on its host: a report queued
 * while the link was down leaves as soon as the broker is back, even if
 * nobody runs `raksha-publish flush`. */
#ifndef RAKSHA_AGENT_OUTBOX_SENDER_H
#define RAKSHA_AGENT_OUTBOX_SENDER_H

#include <raksha/raksha.h>

struct outbox_sender;

/* Starts a thread that sends @dir's backlog over @client after every
 * (re)connection (outbox_sender_kick()) and every 30 s. Returns 0, or a
 * negative errno (the folder cannot be opened, no thread). */
int outbox_sender_start(const char *dir, struct raksha_client *client, struct outbox_sender **out);

/* Asks for a send now (the connection just came up). Thread-safe; NULL is a no-op. */
void outbox_sender_kick(struct outbox_sender *s);

/* Stops the thread (after the send under way, bounded by its timeout). */
void outbox_sender_stop(struct outbox_sender *s);

#endif
