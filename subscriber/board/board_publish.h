/* What the board publishes: an Ack ("we are on it"), a StatusUpdate
 * (found, closed) or a CaseLink (a possible match confirmed) from the
 * agent's own unit, through the durable outbox.
 * Nothing is lost: the envelope is on disk before it is sent, and what the
 * broker has not acknowledged stays there for the agent (or the board) to
 * send when the link returns. */
#ifndef RAKSHA_BOARD_PUBLISH_H
#define RAKSHA_BOARD_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/uuid.h>

#include "agent/config.h"

struct board_pub;

enum board_action { ACTION_ACK, ACTION_FOUND, ACTION_CLOSED, ACTION_LINK };

/* Opens the outbox ([agent] outbox, else raksha_outbox_default_dir()) and
 * makes the board's own client: id "{agent id}-board", clean session, no
 * subscriptions, the agent's brokers and credentials. It connects in the
 * background. On failure @err (@errlen bytes) says why.
 * Returns 0, or a negative errno:
 *   -EINVAL  a url or the client id is not valid
 *   -ENOKEY  [broker] password_file cannot be read
 *   -EIO     paho would not start connecting
 *   -ENOENT  no outbox folder can be named (no [agent] outbox, no HOME)
 *   -ENOMEM  out of memory
 *   the errors of raksha_outbox_open() */
int board_pub_open(const struct agent_config *c, struct board_pub **out, char *err, size_t errlen);

/* Disconnects (briefly waiting for answers under way) and frees. NULL is a
 * no-op. */
void board_pub_close(struct board_pub *p);

/* Publishes @action about case @report_id: queued in the outbox, then sent,
 * waiting at most 3 s for the broker. @said (@size bytes) gets the line to
 * show: "ack sent", "ack queued: broker unreachable; ...".
 * Returns 1 if the broker has it, 0 if it waits in the outbox, -EACCES if
 * the broker refused it (MQTT 5: it is set aside in the outbox's refused/),
 * or another negative errno if it was not even queued (@said says why). */
int board_pub_send(struct board_pub *p, enum board_action action,
		   const uint8_t report_id[RAKSHA_UUID_LEN], char *said, size_t size);

/* Publishes a CaseLink, "found child @found_id is report @report_id" (a
 * possible match a person confirmed), as board_pub_send() does. */
int board_pub_link(struct board_pub *p, const uint8_t found_id[RAKSHA_UUID_LEN],
		   const uint8_t report_id[RAKSHA_UUID_LEN], char *said, size_t size);

/* Called from the main loop every half second or so. After a reconnection
 * and every 30 s it counts what waits in the outbox, and if the agent does
 * not send this outbox itself (no [agent] outbox), sends it. */
void board_pub_tick(struct board_pub *p, int64_t now_ms);

/* The link to the broker, as the board's client sees it; @why (if not
 * NULL, @size bytes) gets the reason it is down. */
bool board_pub_connected(struct board_pub *p, char *why, size_t size);

/* Envelopes waiting in the outbox, as of the last count. */
int board_pub_queued(const struct board_pub *p);

#endif
