/* Internal: the client's state, shared by client.c (connection),
 * client_publish.c and client_receive.c. */
#ifndef RAKSHA_LIB_CLIENT_INTERNAL_H
#define RAKSHA_LIB_CLIENT_INTERNAL_H

#include <pthread.h>

#include <MQTTAsync.h>

#include <raksha/client.h>

/* One publication waiting for its PUBACK. */
struct pending {
	struct pending *next;
	struct raksha_client *client;
	raksha_published_fn done;
	void *ctx;
};

struct raksha_client {
	MQTTAsync mq;
	pthread_mutex_t lock;          /* guards everything below */
	pthread_cond_t changed;        /* connected went up, or the DISCONNECT is done */
	bool started, connected, closing;
	bool disconnected;             /* paho has answered our DISCONNECT (client_close.c) */
	bool refusing;                 /* the application is refusing a message */
	unsigned generation;           /* counts connections and losses */
	char **filters;
	size_t n_filters;
	char **retired;                /* unsubscribed filters, freed with the client:
	                                * on_connected may still read them */
	size_t n_retired;
	/* Filters the broker refused, to be sent again (client_subscribe.c). */
	char **resub;
	size_t n_resub;
	unsigned resub_generation;     /* the connection they were refused on */
	int resub_delay_s;
	bool resub_started;
	pthread_t resub_thread;
	pthread_cond_t resub_wake;
	struct pending *pending;
	/* The client's own reconnection (client_reconnect.c). */
	int retry_delay_s;             /* the last delay; 0 once connected */
	bool reconnect_due, reconnect_started;
	struct timespec reconnect_at;  /* monotonic */
	pthread_t reconnect_thread;
	pthread_cond_t reconnect_wake;
	raksha_will_fn will_fn;
	void *will_ctx;

	raksha_message_fn on_message;
	void *message_ctx;
	raksha_connection_fn on_connection;
	void *connection_ctx;
	struct raksha_check_options check;
	struct raksha_trust_store *trust;  /* a reference of its own; NULL: not checked */
	bool require_signatures;

	/* Copies that paho reads on every reconnect. */
	char **urls;
	size_t n_urls;
	char *username, *password, *ca_file, *cert_file, *key_file, *will_topic;
	void *will_payload;
	size_t will_len;
	MQTTAsync_connectOptions conn;
	MQTTAsync_SSLOptions ssl;
	MQTTAsync_willOptions will;
	int mqtt_version;              /* 3 or 5 */
	MQTTProperties connect_props;  /* MQTT 5: the session's expiry (client_mqtt5.c) */
};

/* Paho's message-arrived callback (client_receive.c). */
int client_message_arrived(void *context, char *topic, int topic_len, MQTTAsync_message *m);

/* Tells the connection callback (client.c). */
void client_tell_connection(struct raksha_client *c, bool up, const char *reason);

/* Subscribes @n of the client's filters at QoS 1, sent on connection
 * @generation; with @on_connect, the connection is announced when the
 * broker has answered. Refused filters are tried again later. Call without
 * c->lock: paho holds its own mutex while it calls us back, so we never call
 * paho while holding ours (client_subscribe.c). */
void client_subscribe_now(struct raksha_client *c, char *const *filters, size_t n,
			  bool on_connect, unsigned generation);

/* The thread that sends refused filters again (client_subscribe.c). */
void *client_resubscriber(void *arg);

/* MQTT 5's CONNECT: a clean start instead of a clean session, and for a
 * persistent session an expiry that keeps it as MQTT 3.1.1 would, in
 * c->conn (client_mqtt5.c). Returns 0, or -ENOMEM. */
int client_mqtt5_connect_options(struct raksha_client *c, bool persistent);

/* Writes into @buf the reason of a failed connection @code (paho's or the
 * CONNACK's) with @message; with MQTT 5, a broker refusing the version is
 * named as one that speaks 3.1.1 only (client_mqtt5.c). */
void client_connect_failure_reason(const struct raksha_client *c, int code, const char *message,
				   char *buf, size_t size);

/* Makes a fresh Will and sends a CONNECT (client_reconnect.c). Returns 0
 * or -EIO (paho refused before trying). */
int client_connect_now(struct raksha_client *c);

/* With c->lock: schedules the next attempt after the backoff's next delay. */
void client_reconnect_later(struct raksha_client *c);

/* The thread that makes the attempts (client_reconnect.c). */
void *client_reconnecter(void *arg);

/* Destroys paho's handle, if any, and frees @c and its copies (client.c). */
void client_free(struct raksha_client *c);

/* Fails every pending publication with @status (client_publish.c). */
void client_fail_pending(struct raksha_client *c, int status);

#endif
