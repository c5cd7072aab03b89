/* One-shot publishing: one envelope to one broker at QoS 1 from the caller's
 * thread, over libmosquitto, for a process that sends one report and exits.
 * paho-mqtt-c's clients wait on their own before CONNECT (MQTTAsync's
 * receive thread 10-110 ms, MQTTClient's 100 ms poll for the TCP connect:
 * docs/benchmarks.md, issue 19 part 3); libmosquitto sends CONNECT as soon as
 * the socket is writable. It serves plain mqtt:// over MQTT 3.1.1 with a
 * username and password; anything else is the paho path's (publisher/send.c
 * falls back to it). It knows nothing of the outbox: the caller queues before
 * and removes after a 0. */
#ifndef RAKSHA_PUBLISH_ONESHOT_H
#define RAKSHA_PUBLISH_ONESHOT_H

#include <stdbool.h>
#include <stddef.h>

struct oneshot_broker {
	const char *url;       /* mqtt://HOST:PORT, HOST a name, an IPv4 or [IPv6] address */
	const char *username;  /* NULL: none */
	const char *password;  /* NULL: none */
	int keepalive_s;       /* <= 0: 30 */
};

/* True if oneshot_dial() can serve @url: mqtt://, a host, a port of
 * 1-65535 (a url the paho path takes too). mqtts:// (TLS) is not served. */
bool oneshot_serves(const char *url);

struct oneshot;  /* a connection begun by oneshot_dial() */

/* Begins a connection (a clean session, a random client id: "USERNAME:raksha-"
 * and 16 hex digits with a username, as lib/client.c names its clean
 * sessions): the TCP connect and the CONNECT, without waiting for the
 * CONNACK, so that the caller's work (the outbox entry's fsyncs) overlaps the
 * broker's answer. Nothing is published before oneshot_send(). @timeout_ms
 * bounds the whole exchange, oneshot_send() included.
 * Returns 0 with *@out, to be freed with oneshot_close(), or:
 *   -EINVAL    @url is not one oneshot_serves() takes
 *   -ENOMEM    out of memory
 *   -ENOTCONN  the connection could not be begun (refused at once, no such host) */
int oneshot_dial(const struct oneshot_broker *b, int timeout_ms, struct oneshot **out);

/* Waits for the CONNACK, publishes @len bytes of @payload on @topic at QoS 1,
 * waits for the PUBACK and disconnects, within the dial's timeout.
 * Returns 0 once the broker acknowledged the publication, or:
 *   -EINVAL        @len over 2^31 - 1
 *   -EACCES        the broker refused the login (CONNACK 4, a bad user name or
 *                  password, or 5, not authorised)
 *   -ECONNREFUSED  the broker refused the CONNECT otherwise (client id, version)
 *   -ENOTCONN      the connection failed, or was lost before the PUBACK
 *   -ETIMEDOUT     no CONNACK or PUBACK within the timeout */
int oneshot_send(struct oneshot *o, const char *topic, const void *payload, size_t len);

/* Closes the connection (if oneshot_send() did not) and frees @o; NULL is
 * ignored. */
void oneshot_close(struct oneshot *o);

#endif
