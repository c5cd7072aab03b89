/* Closing the client: a clean DISCONNECT, then paho's handle destroyed, or,
 * for a process about to exit, left to the exit.
 *
 * Both wait for paho's answer to the DISCONNECT on a condition variable,
 * not in sleeps: a one-shot publisher closes once per report, and any fixed
 * pause there is paid by every hook and script that calls it
 * (docs/benchmarks.md, bench/oneshot-publish.sh). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <time.h>

#include <raksha/client.h>

#include "common/clock.h"
#include "lib/client_internal.h"

/* A message the application keeps refusing must not be acknowledged, and
 * paho acknowledges it when the callback returns: so the callback never
 * returns (client_receive.c), and the client cannot be freed under it. Waits
 * up to @timeout_ms for the application to take the message; if it still
 * refuses, drops the connection unacknowledged and abandons the client (a
 * few kilobytes) to the exiting process. */
static bool abandon_if_refusing(struct raksha_client *c, int timeout_ms)
{
	for (int waited = 0; ; waited += 10) {
		pthread_mutex_lock(&c->lock);
		bool refusing = c->refusing;
		pthread_mutex_unlock(&c->lock);
		if (!refusing)
			return false;
		if (waited >= timeout_ms)
			break;
		nanosleep(&(struct timespec){0, 10000000L}, NULL);
	}
	MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
	MQTTAsync_disconnect(c->mq, &d);
	return true;
}

/* paho calls these once it has sent the DISCONNECT and closed the socket
 * (or could not): after any answer to the session's publications. */
static void on_disconnected(void *context, MQTTAsync_successData *resp)
{
	struct raksha_client *c = context;
	(void)resp;
	pthread_mutex_lock(&c->lock);
	c->disconnected = true;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

static void on_disconnect_failure(void *context, MQTTAsync_failureData *resp)
{
	(void)resp;
	on_disconnected(context, NULL);
}

/* Sends a DISCONNECT and waits at most @timeout_ms for paho to finish it.
 * Returns true if paho answered (no callback of this connection comes
 * after), false if it was not connected or did not answer in time. */
static bool disconnect(struct raksha_client *c, int timeout_ms)
{
	if (!MQTTAsync_isConnected(c->mq))
		return false;
	MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
	d.timeout = timeout_ms > 0 ? timeout_ms : 0;
	d.onSuccess = on_disconnected;
	d.onFailure = on_disconnect_failure;
	d.context = c;
	if (MQTTAsync_disconnect(c->mq, &d) != MQTTASYNC_SUCCESS)
		return false;
	struct timespec until = clock_deadline(timeout_ms > 0 ? timeout_ms : 0);
	pthread_mutex_lock(&c->lock);
	int r = 0;
	while (!c->disconnected && r == 0)
		r = pthread_cond_timedwait(&c->changed, &c->lock, &until);
	bool done = c->disconnected;
	pthread_mutex_unlock(&c->lock);
	return done;
}

/* Stops the client's own threads. Returns false if the client was
 * abandoned to the exiting process (abandon_if_refusing()). */
static bool stop_threads(struct raksha_client *c, int timeout_ms)
{
	pthread_mutex_lock(&c->lock);
	c->closing = true;
	pthread_cond_broadcast(&c->resub_wake);
	pthread_cond_broadcast(&c->reconnect_wake);
	bool resubscriber = c->resub_started;
	bool reconnecter = c->reconnect_started;
	pthread_mutex_unlock(&c->lock);
	if (reconnecter)  /* no attempt from now on */
		pthread_join(c->reconnect_thread, NULL);
	if (abandon_if_refusing(c, timeout_ms))
		return false;
	if (resubscriber)
		pthread_join(c->resub_thread, NULL);
	return true;
}

static void destroy(struct raksha_client *c)
{
	MQTTAsync_destroy(&c->mq);
	c->mq = NULL;
	client_fail_pending(c, -ECONNRESET);
	client_free(c);
}

void raksha_client_close(struct raksha_client *c, int timeout_ms)
{
	if (c == NULL || !stop_threads(c, timeout_ms))
		return;
	disconnect(c, timeout_ms);
	destroy(c);
}

/* paho-mqtt-c 1.3's MQTTAsync_destroy() of the last handle stops its two
 * threads by sleeping 100 ms at least once (MQTTAsync_stop()): that is what
 * is skipped here, and only once paho has answered the DISCONNECT, so that
 * nothing of this connection calls back into a process that is exiting. */
void raksha_client_close_for_exit(struct raksha_client *c, int timeout_ms)
{
	if (c == NULL || !stop_threads(c, timeout_ms))
		return;
	if (!disconnect(c, timeout_ms)) {
		destroy(c);
		return;
	}
	client_fail_pending(c, -ECONNRESET);
	/* c and paho's handle stay reachable from paho's list until the exit. */
}
