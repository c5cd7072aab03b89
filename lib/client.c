/* The client's life: options, connection, reconnection, subscriptions. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <raksha/client.h>
#include <raksha/topic.h>

#include "common/client_id.h"
#include "common/clock.h"
#include "lib/client_internal.h"
#include "lib/sign_internal.h"

static char *dup_or_null(const char *s, bool *failed)
{
	if (s == NULL)
		return NULL;
	char *d = strdup(s);
	if (d == NULL)
		*failed = true;
	return d;
}

static bool url_valid(const char *u)
{
	return u != NULL && (strncmp(u, "mqtt://", 7) == 0 || strncmp(u, "mqtts://", 8) == 0) &&
	       strchr(u, ':') != strrchr(u, ':');  /* a port after the host */
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void client_free(struct raksha_client *c)
{
	if (c->mq != NULL)
		MQTTAsync_destroy(&c->mq);
	free_strings(c->urls, c->n_urls);
	free_strings(c->filters, c->n_filters);
	free_strings(c->retired, c->n_retired);
	free(c->resub);
	free(c->username);
	free(c->password);
	free(c->ca_file);
	free(c->cert_file);
	free(c->key_file);
	free(c->will_topic);
	free(c->will_payload);
	raksha_trust_store_free(c->trust);
	MQTTProperties_free(&c->connect_props);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->changed);
	pthread_cond_destroy(&c->resub_wake);
	pthread_cond_destroy(&c->reconnect_wake);
	free(c);
}

static int copy_options(struct raksha_client *c, const struct raksha_client_options *o)
{
	bool failed = false;
	c->urls = calloc(o->n_urls, sizeof(char *));
	c->n_urls = o->n_urls;
	for (size_t i = 0; c->urls != NULL && i < o->n_urls; i++)
		c->urls[i] = dup_or_null(o->urls[i], &failed);
	c->username = dup_or_null(o->username, &failed);
	c->password = dup_or_null(o->password, &failed);
	c->ca_file = dup_or_null(o->ca_file, &failed);
	c->cert_file = dup_or_null(o->cert_file, &failed);
	c->key_file = dup_or_null(o->key_file, &failed);
	c->will_topic = dup_or_null(o->will_topic, &failed);
	if (o->will_topic != NULL) {
		c->will_payload = malloc(o->will_len ? o->will_len : 1);
		if (c->will_payload != NULL)
			memcpy(c->will_payload, o->will_payload, o->will_len);
		else
			failed = true;
	}
	c->will_len = o->will_len;
	c->will_fn = o->will_fn;
	c->will_ctx = o->will_ctx;
	c->check = o->check;
	return (failed || c->urls == NULL) ? -ENOMEM : 0;
}

static bool any_tls(const struct raksha_client *c)
{
	for (size_t i = 0; i < c->n_urls; i++)
		if (strncmp(c->urls[i], "mqtts://", 8) == 0)
			return true;
	return false;
}

static void on_connected(void *context, char *cause);
static void on_connection_lost(void *context, char *cause);
static void on_connect_failure(void *context, MQTTAsync_failureData *resp);

/* Nothing to do here (on_connected is told of the connection), but paho
 * 1.3 clears a connection's onFailure only when it calls its onSuccess:
 * without one, the loss of an established connection would call
 * on_connect_failure too, after on_connection_lost, telling the loss twice
 * and doubling the first delay before the next attempt. */
static void on_connect_success(void *context, MQTTAsync_successData *resp)
{
	(void)context;
	(void)resp;
}

/* Fills paho's connect options from the copies; paho keeps pointers to them. */
static void set_connect_options(struct raksha_client *c, const struct raksha_client_options *o)
{
	MQTTAsync_connectOptions conn = MQTTAsync_connectOptions_initializer;
	conn.MQTTVersion = MQTTVERSION_3_1_1;
	conn.keepAliveInterval = o->keepalive_s > 0 ? o->keepalive_s : 30;
	conn.connectTimeout = o->connect_timeout_s > 0 ? o->connect_timeout_s : 10;
	conn.cleansession = !o->persistent_session;
	conn.automaticReconnect = 0;  /* the client's own, with a fresh Will (client_reconnect.c) */
	conn.serverURIs = c->urls;
	conn.serverURIcount = (int)c->n_urls;
	conn.username = c->username;
	conn.password = c->password;
	conn.onSuccess = on_connect_success;
	conn.onFailure = on_connect_failure;
	conn.context = c;
	if (c->will_topic != NULL) {
		MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
		c->will = will;
		c->will.topicName = c->will_topic;
		c->will.payload.data = c->will_payload;
		c->will.payload.len = (int)c->will_len;
		c->will.qos = 1;
		c->will.retained = o->will_retained;
		conn.will = &c->will;
	}
	if (any_tls(c)) {
		MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
		c->ssl = ssl;
		c->ssl.trustStore = c->ca_file;
		c->ssl.keyStore = c->cert_file;
		c->ssl.privateKey = c->key_file;
		c->ssl.enableServerCertAuth = 1;
		c->ssl.verify = 1;  /* the certificate must name the host we dialled */
		conn.ssl = &c->ssl;
	}
	c->conn = conn;
}

/* "raksha-" and 16 random hex digits; with a username, "USERNAME:" before
 * it, the form a broker that binds client ids to usernames takes for a
 * user's clean sessions (the production mosquitto's raksha-clientid). */
static char *random_client_id(const char *username)
{
	size_t size = (username ? strlen(username) + 1 : 0) + 24;
	char *out = malloc(size);
	if (out != NULL && client_id_random(username, out, size) < 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* paho's first client would run OpenSSL 1.0's explicit start-up (its
 * library init, every cipher and digest, every error string): 1.3 MiB of
 * libcrypto touched in every process, mqtt:// or not (bench/footprint.sh,
 * docs/benchmarks.md, issue 19 part 6). OpenSSL 3 starts itself at the
 * first TLS context, so an mqtts:// connection still has all of it. Told
 * before paho's first client; it only sets paho's flag. */
static void paho_global_init(void)
{
	MQTTAsync_init_options inits = MQTTAsync_init_options_initializer;
	inits.do_openssl_init = 0;
	MQTTAsync_global_init(&inits);
}

static int create_paho(struct raksha_client *c, const char *client_id, const char *username)
{
	static pthread_once_t paho_once = PTHREAD_ONCE_INIT;
	pthread_once(&paho_once, paho_global_init);
	MQTTAsync_createOptions co = MQTTAsync_createOptions_initializer;
	co.MQTTVersion = c->mqtt_version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
	co.sendWhileDisconnected = 0;  /* the outbox, not paho's memory, holds what waits */
	char *own = client_id ? NULL : random_client_id(username);
	if (client_id == NULL && own == NULL)
		return -ENOMEM;
	int rc = MQTTAsync_createWithOptions(&c->mq, c->urls[0], client_id ? client_id : own,
					     MQTTCLIENT_PERSISTENCE_NONE, NULL, &co);
	free(own);
	if (rc != MQTTASYNC_SUCCESS)
		return -EINVAL;
	MQTTAsync_setCallbacks(c->mq, c, on_connection_lost, client_message_arrived, NULL);
	MQTTAsync_setConnected(c->mq, c, on_connected);
	return 0;
}

int raksha_client_new(const struct raksha_client_options *o, struct raksha_client **out)
{
	if (o == NULL || o->n_urls == 0 || o->urls == NULL)
		return -EINVAL;
	for (size_t i = 0; i < o->n_urls; i++)
		if (!url_valid(o->urls[i]))
			return -EINVAL;
	if (o->client_id != NULL && (o->client_id[0] == '\0' || strlen(o->client_id) > 128))
		return -EINVAL;
	if (o->mqtt_version != 0 && o->mqtt_version != 3 && o->mqtt_version != 5)
		return -EINVAL;
	struct raksha_client *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	clock_cond_init(&c->changed);
	clock_cond_init(&c->resub_wake);
	clock_cond_init(&c->reconnect_wake);
	c->mqtt_version = o->mqtt_version == 5 ? 5 : 3;
	int r = copy_options(c, o);
	if (r < 0)
		goto error;
	r = create_paho(c, o->client_id, o->username);
	if (r < 0)
		goto error;
	set_connect_options(c, o);
	r = c->mqtt_version == 5 ? client_mqtt5_connect_options(c, o->persistent_session) : 0;
	if (r < 0)
		goto error;
	*out = c;
	return 0;

error:
	client_free(c);  /* it frees what was made and skips what was not */
	return r;
}

void raksha_client_on_message(struct raksha_client *c, raksha_message_fn fn, void *ctx)
{
	pthread_mutex_lock(&c->lock);
	c->on_message = fn;
	c->message_ctx = ctx;
	pthread_mutex_unlock(&c->lock);
}

void raksha_client_on_connection(struct raksha_client *c, raksha_connection_fn fn, void *ctx)
{
	pthread_mutex_lock(&c->lock);
	c->on_connection = fn;
	c->connection_ctx = ctx;
	pthread_mutex_unlock(&c->lock);
}

void raksha_client_verify_signatures(struct raksha_client *c, const struct raksha_trust_store *ts,
				     bool require)
{
	struct raksha_trust_store *next = trust_store_ref(ts);
	pthread_mutex_lock(&c->lock);
	struct raksha_trust_store *old = c->trust;
	c->trust = next;
	c->require_signatures = require;
	pthread_mutex_unlock(&c->lock);
	raksha_trust_store_free(old);  /* a message being checked holds its own */
}

void client_tell_connection(struct raksha_client *c, bool up, const char *reason)
{
	pthread_mutex_lock(&c->lock);
	raksha_connection_fn fn = c->on_connection;
	void *ctx = c->connection_ctx;
	pthread_mutex_unlock(&c->lock);
	if (fn != NULL)
		fn(ctx, up, reason);
}

static void on_connected(void *context, char *cause)
{
	struct raksha_client *c = context;
	(void)cause;
	pthread_mutex_lock(&c->lock);
	unsigned generation = ++c->generation;
	c->retry_delay_s = 0;  /* the next loss is tried again after the shortest delay */
	size_t n = c->n_filters;
	char **filters = n > 0 ? malloc(n * sizeof(char *)) : NULL;
	if (filters != NULL)  /* the strings live as long as the client */
		memcpy(filters, c->filters, n * sizeof(char *));
	pthread_mutex_unlock(&c->lock);
	client_subscribe_now(c, filters, filters ? n : 0, true, generation);
	free(filters);
}

static void on_connection_lost(void *context, char *cause)
{
	struct raksha_client *c = context;
	pthread_mutex_lock(&c->lock);
	c->connected = false;
	c->generation++;  /* answers to this connection's SUBSCRIBE no longer count */
	client_reconnect_later(c);
	pthread_mutex_unlock(&c->lock);
	client_tell_connection(c, false, cause ? cause : "connection lost");
	MQTTAsync_free(cause);
}

static void on_connect_failure(void *context, MQTTAsync_failureData *resp)
{
	struct raksha_client *c = context;
	char reason[200];
	client_connect_failure_reason(c, resp ? resp->code : -1, resp ? resp->message : NULL, reason,
				      sizeof(reason));
	pthread_mutex_lock(&c->lock);
	client_reconnect_later(c);
	pthread_mutex_unlock(&c->lock);
	client_tell_connection(c, false, reason);
}

int raksha_client_subscribe(struct raksha_client *c, const char *filter)
{
	if (raksha_filter_validate(filter) < 0)
		return -EINVAL;
	char *copy = strdup(filter);
	pthread_mutex_lock(&c->lock);
	char **v = copy ? realloc(c->filters, (c->n_filters + 1) * sizeof(char *)) : NULL;
	if (v == NULL) {
		pthread_mutex_unlock(&c->lock);
		free(copy);
		return -ENOMEM;
	}
	c->filters = v;
	c->filters[c->n_filters++] = copy;
	bool now = c->connected;
	unsigned generation = c->generation;
	pthread_mutex_unlock(&c->lock);
	if (now)
		client_subscribe_now(c, &copy, 1, false, generation);
	return 0;
}

int raksha_client_unsubscribe(struct raksha_client *c, const char *filter)
{
	pthread_mutex_lock(&c->lock);
	size_t i = 0;
	while (i < c->n_filters && strcmp(c->filters[i], filter) != 0)
		i++;
	char **r = i < c->n_filters ? realloc(c->retired, (c->n_retired + 1) * sizeof(char *)) : NULL;
	if (r == NULL) {
		pthread_mutex_unlock(&c->lock);
		return i < c->n_filters ? -ENOMEM : -ENOENT;
	}
	c->retired = r;
	c->retired[c->n_retired++] = c->filters[i];
	memmove(&c->filters[i], &c->filters[i + 1], (c->n_filters - i - 1) * sizeof(char *));
	c->n_filters--;
	bool now = c->connected;
	pthread_mutex_unlock(&c->lock);
	if (now) {
		MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
		MQTTAsync_unsubscribe(c->mq, filter, &ro);
	}
	return 0;
}

int raksha_client_connect(struct raksha_client *c)
{
	pthread_mutex_lock(&c->lock);
	bool started = c->started;
	c->started = true;
	pthread_mutex_unlock(&c->lock);
	if (started)
		return -EALREADY;
	if (client_connect_now(c) < 0)
		return -EIO;
	/* After the first attempt, so that only one thread at a time makes one. */
	pthread_mutex_lock(&c->lock);
	c->reconnect_started = pthread_create(&c->reconnect_thread, NULL, client_reconnecter, c) == 0;
	bool running = c->reconnect_started;
	pthread_mutex_unlock(&c->lock);
	return running ? 0 : -EIO;
}

int raksha_client_wait_connected(struct raksha_client *c, int timeout_ms)
{
	struct timespec until = clock_deadline(timeout_ms > 0 ? timeout_ms : 0);
	pthread_mutex_lock(&c->lock);
	int r = 0;
	while (!c->connected && r == 0)
		r = timeout_ms < 0 ? pthread_cond_wait(&c->changed, &c->lock)
				   : pthread_cond_timedwait(&c->changed, &c->lock, &until);
	bool up = c->connected;
	pthread_mutex_unlock(&c->lock);
	return up ? 0 : -ETIMEDOUT;
}

bool raksha_client_is_connected(const struct raksha_client *c)
{
	pthread_mutex_lock((pthread_mutex_t *)&c->lock);
	bool up = c->connected;
	pthread_mutex_unlock((pthread_mutex_t *)&c->lock);
	return up;
}
