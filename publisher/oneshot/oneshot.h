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
	const char *url;       /* mqtt://HOST[:PORT], HOST a name, an IPv4 or [IPv6] address */
	const char *username;  /* NULL: none */
	const char *password;  /* NULL: none */
	int keepalive_s;       /* <= 0: 30 */
};

/* True if oneshot_publish() can serve @url: mqtt://, a host, a port if any
 * of 1-65535. mqtts:// (TLS) is not served. */
bool oneshot_serves(const char *url);

/* Connects (a clean session, a random client id: "USERNAME:raksha-" and 16
 * hex digits with a username, as lib/client.c names its clean sessions),
 * publishes @len bytes of @payload on @topic at QoS 1, waits for the PUBACK
 * and disconnects, all within @timeout_ms.
 * Returns 0 once the broker acknowledged the publication, or:
 *   -EINVAL        @url is not one oneshot_serves() takes
 *   -ENOMEM        out of memory
 *   -ECONNREFUSED  the broker refused the CONNECT (credentials, client id)
 *   -ENOTCONN      no connection, or it was lost before the PUBACK
 *   -ETIMEDOUT     no CONNACK or PUBACK within @timeout_ms */
int oneshot_publish(const struct oneshot_broker *b, const char *topic, const void *payload,
		    size_t len, int timeout_ms);

#endif
