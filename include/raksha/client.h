/* The MQTT client of libraksha: connect, publish at QoS 1 and learn of the
 * broker's acknowledgement, subscribe and receive checked envelopes.
 *
 * It wraps paho-mqtt-c's MQTTAsync and speaks MQTT 3.1.1, so it works with
 * mosquitto, mosquitto bridges and NATS's MQTT listener; or, asked to, MQTT 5
 * (mosquitto 2; NATS 2.9 does not speak it), whose PUBACK says when the
 * broker refused a publication, which MQTT 3.1.1 cannot. It reconnects by
 * itself with backoff (1 s after a loss or a first failure, doubling with
 * each further failure to 60 s), across the listed brokers, with the same
 * MQTT version and session options on every attempt and a Will made afresh
 * for each if asked (will_fn), and resubscribes every filter after each
 * reconnect.
 *
 * Threads: callbacks run on paho's own threads, never on the caller's. The
 * message callback runs on paho's receive thread, one message at a time, in
 * arrival order; the broker's PUBACK for a QoS 1 message is sent only after
 * it returns 0, so a subscriber that stores the message in the callback and
 * only then returns has acknowledged what is on disk. Callbacks may call any
 * raksha_client_* function except raksha_client_close(). */
#ifndef RAKSHA_CLIENT_H
#define RAKSHA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <raksha/envelope.h>
#include <raksha/problem.h>

#ifdef __cplusplus
extern "C" {
#endif

struct raksha_client;
struct raksha_trust_store;  /* raksha/sign.h */

/* Makes the Will's payload for the next connection attempt, so that each
 * connection has a Will of its own (an envelope with a fresh message id: a
 * Will repeated with the same id is a duplicate its subscribers drop). Set
 * *@payload to bytes from malloc(), which the client frees, and *@len, and
 * return 0; return a negative errno to keep the last Will. Called before
 * every attempt: on the caller's thread in raksha_client_connect(), then on
 * the client's own reconnecting thread, never at the same time. */
typedef int (*raksha_will_fn)(void *ctx, void **payload, size_t *len);

/* How to connect. Zero-initialise, then set what you need; strings are
 * copied by raksha_client_new(). */
struct raksha_client_options {
	const char *const *urls;     /* "mqtt://host:port" or "mqtts://host:port", tried in order */
	size_t n_urls;
	const char *client_id;       /* NULL: "raksha-" and random hex, after "USERNAME:" if there is
	                              * a username; persistent sessions need a stable one (on the
	                              * production broker, the username itself: docs/security.md) */
	bool persistent_session;     /* MQTT clean session off: the broker keeps subscriptions
	                              * and queues QoS 1 messages while this client is away */
	const char *username;        /* NULL: none */
	const char *password;
	const char *ca_file;         /* mqtts: CA certificate(s) to verify the broker; NULL: the system's */
	const char *cert_file;       /* mqtts: this client's certificate, for brokers that ask; NULL: none */
	const char *key_file;        /* mqtts: its private key */
	int keepalive_s;             /* 0: 30 */
	int connect_timeout_s;       /* 0: 10 */
	const char *will_topic;      /* NULL: no Will. Published by the broker if this client vanishes */
	const void *will_payload;
	size_t will_len;
	bool will_retained;
	raksha_will_fn will_fn;      /* NULL: will_payload on every connection; else a fresh payload
	                              * before each attempt (will_payload is the first until then) */
	void *will_ctx;
	struct raksha_check_options check;  /* for received envelopes */
	int mqtt_version;            /* 0 or 3: MQTT 3.1.1; 5: MQTT 5, where a publication the
	                              * broker refuses (its ACL) completes with -EACCES, and a
	                              * persistent session never expires (Session Expiry
	                              * Interval 0xFFFFFFFF: the broker's own limit applies) */
};

/* A received message, checked. Exactly one of @env and @problem is set. */
struct raksha_message {
	const char *topic;
	const void *payload;
	size_t len;
	const raksha_envelope *env;            /* valid envelope, or NULL */
	const struct raksha_problem *problem;  /* why it was rejected, or NULL */
	bool duplicate;                        /* MQTT DUP: the broker may have sent it before */
	bool retained;
};

/* Return 0 once the message is handled (stored, shown, or knowingly
 * dropped): the broker then gets its acknowledgement. Return a negative
 * errno if it cannot be handled yet (disk full): nothing is acknowledged, and
 * the same message is offered again every 200 ms until it is handled. While
 * it waits, no other message arrives; if the wait outlasts the keepalive the
 * connection drops, and the broker keeps the message for the next one. */
typedef int (*raksha_message_fn)(void *ctx, const struct raksha_message *msg);

/* For a message callback that keeps the decoded envelope beyond its return
 * (hands it to another thread, so that the bytes are not decoded a second
 * time): returns @msg's env, or an equal copy of it (protobuf-c's unpack of
 * the checked bytes, no check again) when the client's is in an arena
 * (raksha_message_keep_in() below keeps that one instead), and NULL if it
 * has none (or no memory for the copy). If this call of the callback
 * returns 0, it is the application's to free with raksha_envelope_free();
 * if the call returns an error, it stays the client's (the message is
 * offered again, then freed). Only for a @msg the client passed to the
 * callback, during that call. */
raksha_envelope *raksha_message_keep_envelope(const struct raksha_message *msg);

/* raksha_message_keep_envelope() without a copy: the client decodes each
 * envelope into an arena of its own (one block, not a malloc a field).
 * Returns @msg's env (NULL if it has none) and sets *@arena to the arena
 * that holds it; if this call of the callback returns 0, the envelope is
 * the application's, to free with raksha_envelope_arena_free(*@arena), or,
 * when *@arena is NULL (the client was short of memory for an arena), with
 * raksha_envelope_free(). If the call returns an error, it stays the
 * client's, as above. Only for a @msg the client passed to the callback,
 * during that call. */
raksha_envelope *raksha_message_keep_in(const struct raksha_message *msg,
					struct raksha_envelope_arena **arena);

/* @connected: true on every (re)connection, once the broker has answered
 * the resubscription of every filter (@reason says if it refused some, as an
 * ACL or a NATS cluster short of a node would); false when the connection is
 * lost, or cannot be made, with @reason (with mqtt_version 5, a broker that
 * refuses the protocol version is named as one that speaks MQTT 3.1.1 only). Refused filters are sent again on the same
 * connection, after 1 s doubling to 60 s, until the broker takes them; when
 * it has, this is called again with @connected true and @reason NULL. */
typedef void (*raksha_connection_fn)(void *ctx, bool connected, const char *reason);

/* The broker's verdict on one publication, called once:
 *   0            it acknowledged it (PUBACK)
 *   -ECONNRESET  the connection was lost first, or the client closed
 *   -EIO         paho gave up on it, or (MQTT 5) the broker answered with a
 *                reason code that may change later: 0x80 unspecified error,
 *                0x83 implementation specific, 0x91 packet id in use,
 *                0x97 quota exceeded
 *   -EACCES      MQTT 5: the broker refused it, not authorized (0x87): its
 *                ACL does not let this client publish on the topic
 *   -EPERM       MQTT 5: the broker refused it for good, topic name invalid
 *                (0x90) or payload format invalid (0x99)
 * Sending the same bytes again changes neither -EACCES nor -EPERM. With MQTT
 * 3.1.1 a broker acknowledges what its ACL drops: the status is 0. */
typedef void (*raksha_published_fn)(void *ctx, int status);

/* Inside a raksha_published_fn called with an MQTT 5 reason code (-EIO,
 * -EACCES, -EPERM): the broker's words, its reason code's name and number and
 * the reason string if it sent one ("Not authorized (MQTT 5 reason code
 * 0x87)"), not yet escaped for a terminal. Otherwise, or on another thread,
 * "". Valid until that callback returns. */
const char *raksha_client_refusal(void);

/* Makes a client; it does not connect yet.
 * Returns 0, or:
 *   -EINVAL  no url, a url that is not mqtt:// or mqtts://, a bad client id,
 *            or an mqtt_version other than 0, 3 and 5
 *   -ENOMEM  out of memory */
int raksha_client_new(const struct raksha_client_options *opts, struct raksha_client **out);

/* Sets the callbacks; call before raksha_client_connect(). NULL clears.
 * Without a message callback, received messages are acknowledged and dropped. */
void raksha_client_on_message(struct raksha_client *c, raksha_message_fn fn, void *ctx);
void raksha_client_on_connection(struct raksha_client *c, raksha_connection_fn fn, void *ctx);

/* Checks every received envelope's signature against @ts as well
 * (raksha_envelope_verify() with @require): one that fails comes to the
 * message callback with its problem (RAKSHA_CAUSE_UNSIGNED, _UNKNOWN_SIGNER,
 * _BAD_SIGNATURE or _WRONG_SIGNER), as a malformed one does. NULL stops
 * checking. The client keeps a reference of its own to @ts: the caller may
 * raksha_trust_store_free() it at once. Thread-safe, also while connected:
 * a roster read again replaces the old store, which is freed when the last
 * message being checked against it is done (a unit taken off the roster is
 * refused from the next message on, however often this is called). */
void raksha_client_verify_signatures(struct raksha_client *c, const struct raksha_trust_store *ts,
				     bool require);

/* Adds @filter (QoS 1) to the subscriptions, now if connected and after
 * every reconnect. Returns 0, or:
 *   -EINVAL  not a valid MQTT filter
 *   -ENOMEM  out of memory */
int raksha_client_subscribe(struct raksha_client *c, const char *filter);

/* Removes @filter from the subscriptions, and unsubscribes now if connected.
 * Returns 0, or:
 *   -ENOENT  not one of the subscriptions
 *   -ENOMEM  out of memory */
int raksha_client_unsubscribe(struct raksha_client *c, const char *filter);

/* Starts connecting in the background, and keeps reconnecting until
 * raksha_client_close(), each attempt with a fresh Will from will_fn if the
 * options have one. Returns 0, or:
 *   -EALREADY  already started
 *   -EIO       paho refused to start (its error is in the connection callback),
 *              or the thread that reconnects could not be made */
int raksha_client_connect(struct raksha_client *c);

/* Waits until connected and subscribed (the broker answered the SUBSCRIBE),
 * at most @timeout_ms (negative: forever), counted on the monotonic clock
 * (a step of the wall clock neither stretches nor cuts it, as for every
 * timeout of libraksha). Returns 0, or -ETIMEDOUT. */
int raksha_client_wait_connected(struct raksha_client *c, int timeout_ms);

/* True while connected. */
bool raksha_client_is_connected(const struct raksha_client *c);

/* Publishes @len bytes at QoS 1 on @topic; @done (may be NULL) learns the
 * broker's verdict. The bytes are copied; for durability put them in a
 * raksha_outbox first and remove them when @done says 0.
 * Returns 0 (sent, verdict pending), or:
 *   -ENOTCONN  not connected now: nothing was sent
 *   -EBUSY     the message callback is refusing a message (paho waits in
 *              it): nothing was sent; try again once it takes one
 *   -EINVAL    empty topic, or a topic with a wildcard
 *   -ENOMEM    out of memory
 *   -EIO       paho refused it */
int raksha_client_publish(struct raksha_client *c, const char *topic, const void *payload,
			  size_t len, bool retained, raksha_published_fn done, void *ctx);

/* Checks and encodes @env for @topic (raksha_envelope_encode()), then
 * publishes it. Returns as raksha_client_publish(), or the errors of
 * raksha_envelope_encode() with @problem saying why. */
int raksha_client_publish_envelope(struct raksha_client *c, const char *topic,
				   const raksha_envelope *env, bool retained,
				   raksha_published_fn done, void *ctx,
				   struct raksha_problem *problem);

/* Disconnects cleanly (the broker drops the Will), waiting at most
 * @timeout_ms for it, and frees @c. Publications still waiting for their
 * PUBACK get -ECONNRESET. If the message callback is still refusing a
 * message after @timeout_ms, the connection is dropped with that message
 * unacknowledged (the broker redelivers it later) and @c is left allocated
 * for the exiting process: freeing it would acknowledge the message.
 * NULL is a no-op. */
void raksha_client_close(struct raksha_client *c, int timeout_ms);

/* As raksha_client_close(), for a process that exits right after (a one-shot
 * publisher): disconnects cleanly the same way, waiting at most @timeout_ms,
 * and fails the publications still waiting with -ECONNRESET; but once the
 * broker's connection is closed, paho-mqtt-c's threads and @c's memory are
 * left to the exit instead of being freed, which saves the 100 ms that
 * paho-mqtt-c 1.3 sleeps stopping its threads. If the client was not
 * connected or the DISCONNECT did not finish in time, it is freed as by
 * raksha_client_close(). @c must not be used afterwards, and the process
 * should exit soon: paho's idle threads wake every 100 ms. NULL is a
 * no-op. */
void raksha_client_close_for_exit(struct raksha_client *c, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif
