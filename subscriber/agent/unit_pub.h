/* What an officer publishes from a tool beside the agent (the terminal
 * board, the web desk): an Ack ("we are on it"), a StatusUpdate (found,
 * closed) or a CaseLink (a possible match confirmed) from the agent's own
 * unit, through the durable outbox, signed as
 * the agent's envelopes are (seal.h). Nothing is lost: the envelope is on
 * disk before it is sent, and what the broker has not acknowledged stays
 * there for the agent (or the tool) to send when the link returns. */
#ifndef RAKSHA_AGENT_UNIT_PUB_H
#define RAKSHA_AGENT_UNIT_PUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>
#include <raksha/uuid.h>

#include "agent/config.h"

struct unit_pub;

enum unit_action { ACTION_ACK, ACTION_FOUND, ACTION_CLOSED, ACTION_LINK, ACTION_CANCELLED,
		  ACTION_SIGHTING };

/* What an action says beyond its kind (unit_pub_act()); zero: what
 * unit_pub_send() says (an Ack "acting", no note, no place). */
struct unit_act_detail {
	int ack_state;               /* Raksha__V1__AckState; 0: acting */
	const char *notes;           /* NULL: none */
	const char *handed_over_to;  /* StatusUpdate only; NULL: none */
	const void *place;           /* const Raksha__V1__Place *; StatusUpdate, Sighting */
	bool in_custody;             /* Sighting only */
};

/* Who acts, named in the envelope's origin (officer_name, officer_badge). */
struct unit_officer {
	const char *name, *badge;   /* "" or NULL: not given */
};

/* Opens the outbox ([agent] outbox, by default beside the database) and
 * makes the tool's own client: id "{username or agent id}:{tag}-{pid}"
 * (@tag "board", "desk"), clean session, no subscriptions, the agent's
 * brokers and credentials. It connects in the
 * background. On failure @err (@errlen bytes) says why.
 * Returns 0, or a negative errno:
 *   -EINVAL  a url or the client id is not valid
 *   -ENOKEY  [broker] password_file cannot be read
 *   -EIO     paho would not start connecting
 *   -ENOENT  no outbox folder can be named (no [agent] outbox, no HOME)
 *   -ENOMEM  out of memory
 *   the errors of raksha_outbox_open() */
int unit_pub_open(const struct agent_config *c, const char *tag, struct unit_pub **out, char *err,
		  size_t errlen);

/* Disconnects (briefly waiting for answers under way) and frees. NULL is a
 * no-op. */
void unit_pub_close(struct unit_pub *p);

/* What became of an envelope unit_pub was given: a code and its values,
 * from which unit_said_text() makes the English line (the board, the logs)
 * and the desk its words in the officer's language (desk_said.c). */
enum unit_said_code {
	UNIT_SAID_SENT,        /* the broker has it */
	UNIT_SAID_QUEUED,      /* in the outbox, for @why; @sender sends it when the link returns */
	UNIT_SAID_REFUSED,     /* the broker refused it on @topic (MQTT 5): set aside in @folder/refused/ */
	UNIT_SAID_NOT_QUEUED,  /* the outbox @folder did not take it: @err */
	UNIT_SAID_INVALID,     /* not even encoded: @problem names the field */
};

/* Why a queued envelope was not sent at once. */
enum unit_said_why {
	UNIT_WHY_UNREACHABLE,  /* no connection to the broker */
	UNIT_WHY_NO_ANSWER,    /* the broker did not answer in 3 s */
	UNIT_WHY_BUSY,         /* another sender is busy with the outbox */
	UNIT_WHY_ERRNO,        /* @err */
};

struct unit_said {
	enum unit_said_code code;
	const char *what;          /* the action's or kind's word: "ack", "report" */
	enum unit_said_why why;    /* UNIT_SAID_QUEUED */
	bool by_agent;             /* UNIT_SAID_QUEUED: the agent sends it, not @sender */
	const char *sender;        /* the program's tag ("raksha-desk"), while its unit_pub lives */
	int err;                   /* an errno, UNIT_WHY_ERRNO and UNIT_SAID_NOT_QUEUED */
	char topic[RAKSHA_TOPIC_MAX];
	const char *folder;        /* the outbox's, while its unit_pub lives */
	char problem[RAKSHA_PROBLEM_TEXT_MAX];
};

/* @s in English, into @out (@size bytes): "ack sent", "ack queued: broker
 * unreachable; the agent sends it when the link returns", "report NOT
 * sent: WHY". */
void unit_said_text(const struct unit_said *s, char *out, size_t size);

/* Publishes @action about case @report_id, by @officer (NULL: the unit
 * alone): queued in the outbox, then sent,
 * waiting at most 3 s for the broker. @said gets what became of it
 * (unit_said_text(): "ack sent", "ack queued: broker unreachable; ...").
 * Returns 1 if the broker has it, 0 if it waits in the outbox, -EACCES if
 * the broker refused it (MQTT 5: it is set aside in the outbox's refused/),
 * or another negative errno if it was not even queued (@said says why). */
int unit_pub_send(struct unit_pub *p, enum unit_action action, const uint8_t report_id[RAKSHA_UUID_LEN],
		  const struct unit_officer *officer, struct unit_said *said);

/* unit_pub_send() with @detail (NULL: none): the Ack's state and note, the
 * StatusUpdate's place, handed_over_to and note, the Sighting's place,
 * in_custody and note (ACTION_SIGHTING: a sighting of the case, its
 * sighting_id a new UUIDv7). The envelope is checked
 * by the validator before it is queued: a field it refuses returns its
 * error (-EINVAL and the like) with @said naming the field, and nothing
 * is queued. Returns as unit_pub_send(). */
int unit_pub_act(struct unit_pub *p, enum unit_action action, const uint8_t report_id[RAKSHA_UUID_LEN],
		 const struct unit_act_detail *detail, const struct unit_officer *officer,
		 struct unit_said *said);

/* Publishes a CaseLink, "found child @found_id is report @report_id" (a
 * possible match a person confirmed), as unit_pub_send() does. */
int unit_pub_link(struct unit_pub *p, const uint8_t found_id[RAKSHA_UUID_LEN],
		  const uint8_t report_id[RAKSHA_UUID_LEN], const struct unit_officer *officer,
		  struct unit_said *said);

/* Checks @body (a Report, Sighting or StatusUpdate, as @kind says) in the
 * envelope unit_pub_body() would send, by the validator every Raksha
 * program uses (raksha_envelope_check(), its topic's rules too), without
 * queueing anything: the desk's forms name each bad field from it.
 * Returns 0, or its negative errno with @pr naming the field. */
int unit_pub_check(const struct unit_pub *p, enum raksha_kind kind, ProtobufCMessage *body,
		   const struct unit_officer *officer, struct raksha_problem *pr);

/* Publishes @body (as unit_pub_check() takes it) from the agent's unit and
 * @officer, checked, signed and queued as unit_pub_act() does; @said
 * says "report sent", "report queued: ..." or "report NOT sent: WHY"
 * (unit_said_text()). Returns as unit_pub_send(). */
int unit_pub_body(struct unit_pub *p, enum raksha_kind kind, ProtobufCMessage *body,
		  const struct unit_officer *officer, struct unit_said *said);

/* Called from the main loop every half second or so. After a reconnection
 * and every 30 s it counts what waits in the outbox, and if the agent does
 * not send this outbox itself (no [agent] outbox), sends it. */
void unit_pub_tick(struct unit_pub *p, int64_t now_ms);

/* The link to the broker, as the board's client sees it; @why (if not
 * NULL, @size bytes) gets the reason it is down. */
bool unit_pub_connected(struct unit_pub *p, char *why, size_t size);

/* Envelopes waiting in the outbox, as of the last count. */
int unit_pub_queued(const struct unit_pub *p);

#endif
