/* The one-shot path's part of a send (publisher/send.c): whether to take it,
 * its connection around the queueing, what a refused login says. The
 * connection itself is publisher/oneshot/'s. */
#ifndef RAKSHA_PUBLISH_SEND_ONESHOT_H
#define RAKSHA_PUBLISH_SEND_ONESHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "publisher/oneshot/oneshot.h"
#include "publisher/publish.h"

/* True if the one-shot path can serve these options: one plain mqtt://
 * broker with its port, MQTT 3.1.1, no TLS file. */
bool send_oneshot_fits(const struct pub *p);

/* The one-shot path's connection, begun before the entry is queued so that
 * the broker's CONNACK comes while the entry is fsynced (nothing is
 * published before it is on disk): only when the options fit, the outbox's
 * send lock is free (then taken, until send_oneshot_end()) and the outbox
 * is empty. NULL otherwise, or if the connection could not be begun; half
 * the time left before @deadline is the one-shot path's. */
struct oneshot *send_oneshot_dial(const struct pub *p, struct raksha_outbox *ob,
				  const char *password, const struct timespec *deadline);

/* Once the envelope @id is queued: if the outbox holds only it, sends it
 * over @o and removes it at its PUBACK. Anything else, or any failure, leaves
 * it queued for the paho path, which sends it (again: the same message_id)
 * and reports as it always has. Ends @o (send_oneshot_end()) either way.
 * Returns 0 (sent and removed), -EACCES (the broker refused the login),
 * -EAGAIN (another envelope came meanwhile) or oneshot_send()'s error. */
int send_oneshot_queued(struct raksha_outbox *ob, struct oneshot *o, const char *topic,
			const uint8_t *buf, size_t len, const uint8_t *id);

/* Closes @o, if any, and gives the send lock back. */
void send_oneshot_end(struct raksha_outbox *ob, struct oneshot *o);

/* Says on stderr that the broker refused the one-shot path's login, naming
 * the user: the paho path, with the same credentials, would be refused too
 * (and paho says only "TCP/TLS connect failure"), so it is not tried. */
void send_oneshot_refused_login(const struct pub *p);

#endif
