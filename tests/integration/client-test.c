/* The libraksha client against a real mosquitto (URL in RAKSHA_TEST_URL):
 * PUBACK reporting, checked delivery, refusal and redelivery, persistent
 * sessions, and reconnection with resubscription across a broker restart
 * (RAKSHA_TEST_RESTART: a command that restarts the broker). TAP output. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

/* What a subscriber saw; guarded, since callbacks run on paho's threads. */
struct inbox {
	pthread_mutex_t lock;
	int valid, rejected, refusals_left, offered;
	enum raksha_cause last_cause;
	uint8_t last_id[16];
	int keep;  /* 1: raksha_message_keep_in(), 2: raksha_message_keep_envelope() */
	raksha_envelope *kept;
	struct raksha_envelope_arena *kept_arena;
};

/* Keeps @m's envelope as the application may (refused or not: a refused
 * call's is the client's again, which it frees; build-san sees a leak or a
 * double free). */
static void keep(struct inbox *in, const struct raksha_message *m)
{
	if (in->keep == 1)
		in->kept = raksha_message_keep_in(m, &in->kept_arena);
	else if (in->keep == 2)
		in->kept = raksha_message_keep_envelope(m);
}

static int on_message(void *ctx, const struct raksha_message *m)
{
	struct inbox *in = ctx;
	pthread_mutex_lock(&in->lock);
	in->offered++;
	int r = 0;
	if (m->env != NULL)
		keep(in, m);
	if (in->refusals_left > 0) {
		in->refusals_left--;
		r = -ENOSPC;  /* as if the disk were full: must come again */
	} else if (m->env != NULL) {
		in->valid++;
		memcpy(in->last_id, m->env->message_id.data, 16);
	} else {
		in->rejected++;
		in->last_cause = m->problem->cause;
	}
	pthread_mutex_unlock(&in->lock);
	return r;
}

static int read_count(struct inbox *in, int *field)
{
	pthread_mutex_lock(&in->lock);
	int v = *field;
	pthread_mutex_unlock(&in->lock);
	return v;
}

/* Polls until *@field reaches @want, at most 10 s. */
static int wait_for(struct inbox *in, int *field, int want)
{
	for (int i = 0; i < 1000 && read_count(in, field) < want; i++)
		usleep(10000);
	return read_count(in, field);
}

static struct raksha_client *client(const char *id, bool persistent, struct inbox *in)
{
	const char *urls[] = {getenv("RAKSHA_TEST_URL")};
	struct raksha_client_options o = {.urls = urls, .n_urls = 1, .client_id = id,
					  .persistent_session = persistent};
	struct raksha_client *c = NULL;
	if (raksha_client_new(&o, &c) < 0)
		return NULL;
	if (in != NULL) {
		raksha_client_on_message(c, on_message, in);
		raksha_client_subscribe(c, "raksha/v1/mp/+/+/report");
	}
	raksha_client_connect(c);
	raksha_client_wait_connected(c, 10000);
	return c;
}

static pthread_mutex_t ack_lock = PTHREAD_MUTEX_INITIALIZER;
static int acks, ack_status = 1;
static void on_ack(void *ctx, int status)
{
	(void)ctx;
	pthread_mutex_lock(&ack_lock);
	acks++;
	ack_status = status;
	pthread_mutex_unlock(&ack_lock);
}

static int locked_read(int *v)
{
	pthread_mutex_lock(&ack_lock);
	int x = *v;
	pthread_mutex_unlock(&ack_lock);
	return x;
}

static int publish_sample(struct raksha_client *c, const char *garbage)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	raksha_envelope_stamp(env, s.message_id);
	s.place.time_ms = env->sent_at_ms;
	if (garbage != NULL)
		return raksha_client_publish(c, s.topic, garbage, strlen(garbage), false, on_ack, NULL);
	return raksha_client_publish_envelope(c, s.topic, env, false, on_ack, NULL, NULL);
}

static void test_publish_and_receive(void)
{
	struct inbox in = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct raksha_client *sub = client("test-sub-1", false, &in);
	struct raksha_client *pub = client(NULL, false, NULL);
	ok(sub && pub && raksha_client_is_connected(pub), "two clients connected");
	pthread_mutex_lock(&ack_lock);
	acks = 0;
	ack_status = 1;
	pthread_mutex_unlock(&ack_lock);
	usleep(200000);  /* the SUBSCRIBE is on its way */
	is_int(publish_sample(pub, NULL), 0, "publish a report");
	is_int(wait_for(&in, &in.valid, 1), 1, "subscriber got it, decoded and valid");
	for (int i = 0; i < 500 && locked_read(&acks) < 1; i++)
		usleep(10000);
	ok(acks == 1 && ack_status == 0, "publisher heard the broker's PUBACK (status 0)");
	is_int(publish_sample(pub, "not protobuf"), 0, "publish garbage");
	is_int(wait_for(&in, &in.rejected, 1), 1, "subscriber got the garbage as rejected");
	is_int(in.last_cause, RAKSHA_CAUSE_UNDECODABLE, "  cause: undecodable");
	is_int(raksha_client_publish(pub, "raksha/v1/+/x", "x", 1, false, NULL, NULL), -EINVAL,
	       "publishing on a wildcard topic: -EINVAL");

	/* Refused twice (disk full): offered again until handled, then acked. */
	in.refusals_left = 2;
	publish_sample(pub, NULL);
	is_int(wait_for(&in, &in.valid, 2), 2, "a refused message comes back and is handled");
	is_int(read_count(&in, &in.offered), 5, "  it was offered three times (two refusals)");
	raksha_client_close(sub, 2000);
	raksha_client_close(pub, 2000);
}

/* A kept envelope outlives the callback: in the client's arena
 * (raksha_message_keep_in()), or as a malloc'd copy
 * (raksha_message_keep_envelope()); one kept by a refused call is not. */
static void test_keep(void)
{
	struct inbox in = {.lock = PTHREAD_MUTEX_INITIALIZER, .keep = 1, .refusals_left = 1};
	struct raksha_client *sub = client("test-sub-keep", false, &in);
	struct raksha_client *pub = client(NULL, false, NULL);
	usleep(200000);
	publish_sample(pub, NULL);
	is_int(wait_for(&in, &in.valid, 1), 1, "keep_in: a report handled after a refusal");
	pthread_mutex_lock(&in.lock);
	ok(in.kept != NULL && in.kept_arena != NULL, "  its envelope kept, in an arena");
	ok(in.kept != NULL && in.kept->message_id.len == 16 &&
	   memcmp(in.kept->message_id.data, in.last_id, 16) == 0, "  and whole after the callback");
	raksha_envelope_arena_free(in.kept_arena);
	in.keep = 2;
	in.kept = NULL;
	in.kept_arena = NULL;
	in.refusals_left = 1;
	pthread_mutex_unlock(&in.lock);
	publish_sample(pub, NULL);
	is_int(wait_for(&in, &in.valid, 2), 2, "keep_envelope: a report handled after a refusal");
	pthread_mutex_lock(&in.lock);
	ok(in.kept != NULL && in.kept->message_id.len == 16 &&
	   memcmp(in.kept->message_id.data, in.last_id, 16) == 0, "  a copy of its envelope kept, whole");
	raksha_envelope_free(in.kept);
	pthread_mutex_unlock(&in.lock);
	raksha_client_close(sub, 2000);
	raksha_client_close(pub, 2000);
}

static void test_persistent_session(void)
{
	struct inbox in = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct raksha_client *agent = client("test-agent-persistent", true, &in);
	usleep(200000);
	raksha_client_close(agent, 2000);  /* away; the broker keeps its session */
	struct raksha_client *pub = client(NULL, false, NULL);
	for (int i = 0; i < 5; i++)
		publish_sample(pub, NULL);
	usleep(300000);
	raksha_client_close(pub, 2000);
	agent = client("test-agent-persistent", true, &in);
	is_int(wait_for(&in, &in.valid, 5), 5, "5 reports published while the agent was away all arrive");
	raksha_client_close(agent, 2000);
}

static int up_again, downs;
static void on_connection(void *ctx, bool up, const char *why)
{
	(void)ctx;
	(void)why;
	pthread_mutex_lock(&ack_lock);
	if (up)
		up_again = 1;
	else
		downs++;
	pthread_mutex_unlock(&ack_lock);
}

/* A Will of its own for every connection attempt (will_fn). */
static int will_calls;
static int fresh_will(void *ctx, void **payload, size_t *len)
{
	(void)ctx;
	pthread_mutex_lock(&ack_lock);
	int n = ++will_calls;
	pthread_mutex_unlock(&ack_lock);
	char *p = malloc(16);
	if (p == NULL)
		return -ENOMEM;
	*len = (size_t)snprintf(p, 16, "will %d", n);
	*payload = p;
	return 0;
}

/* The losses and failed attempts the willer is told of, and how many came
 * with no attempt since the last: paho 1.3 calls a connection's onFailure
 * on its loss too, after connectionLost, unless an onSuccess took it away. */
static int willer_downs, willer_told_twice, willer_last_down = -1;
static void on_willer_connection(void *ctx, bool up, const char *why)
{
	(void)ctx;
	(void)why;
	pthread_mutex_lock(&ack_lock);
	if (!up) {
		if (will_calls == willer_last_down)
			willer_told_twice++;
		willer_last_down = will_calls;
		willer_downs++;
	}
	pthread_mutex_unlock(&ack_lock);
}

static struct raksha_client *client_with_will(void)
{
	const char *urls[] = {getenv("RAKSHA_TEST_URL")};
	struct raksha_client_options o = {.urls = urls, .n_urls = 1, .client_id = "test-willer",
					  .will_topic = "raksha/v1/mp/bhopal/grp/agent/test-willer",
					  .will_payload = "will 0", .will_len = 6,
					  .will_fn = fresh_will};
	struct raksha_client *c = NULL;
	if (raksha_client_new(&o, &c) < 0)
		return NULL;
	raksha_client_on_connection(c, on_willer_connection, NULL);
	raksha_client_connect(c);
	raksha_client_wait_connected(c, 10000);
	return c;
}

static void test_reconnect(void)
{
	struct raksha_client *willer = client_with_will();
	is_int(locked_read(&will_calls), 1, "will_fn made the first connection's Will");
	struct inbox in = {.lock = PTHREAD_MUTEX_INITIALIZER};
	/* Clean session: after the restart the broker has forgotten the
	 * subscription, so only our resubscription brings messages back. */
	struct raksha_client *sub = client("test-sub-clean", false, &in);
	raksha_client_on_connection(sub, on_connection, NULL);
	usleep(200000);
	pthread_mutex_lock(&ack_lock);
	up_again = 0;
	pthread_mutex_unlock(&ack_lock);
	ok(system(getenv("RAKSHA_TEST_RESTART")) == 0, "broker restarted (down 2 s)");
	for (int i = 0; i < 1500 && !locked_read(&up_again); i++)
		usleep(10000);
	ok(raksha_client_is_connected(sub), "subscriber reconnected by itself");
	ok(locked_read(&downs) >= 1, "and was told of the loss");
	ok(raksha_client_wait_connected(willer, 15000) == 0 && locked_read(&will_calls) >= 2,
	   "a client with will_fn reconnected with a Will made afresh (%d made)",
	   locked_read(&will_calls));
	ok(locked_read(&willer_downs) >= 1 && locked_read(&willer_told_twice) == 0,
	   "a loss is told once, a failed attempt once (%d told, %d twice)",
	   locked_read(&willer_downs), locked_read(&willer_told_twice));
	raksha_client_close(willer, 2000);
	usleep(300000);
	struct raksha_client *pub = client(NULL, false, NULL);
	publish_sample(pub, NULL);
	is_int(wait_for(&in, &in.valid, 1), 1, "resubscribed: a report after the restart arrives");
	raksha_client_close(pub, 2000);
	raksha_client_close(sub, 2000);
}

/* A subscriber that cannot store a message must not acknowledge it: run in a
 * child process that refuses forever and then closes, the message comes
 * back to the next connection of the same persistent session. Runs first,
 * before this process has any paho thread, so that fork() is safe. */
static void test_refused_stays_unacknowledged(void)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		struct inbox in = {.lock = PTHREAD_MUTEX_INITIALIZER, .refusals_left = 1 << 30};
		struct raksha_client *c = client("test-refuser", true, &in);
		if (write(pipefd[1], "s", 1) < 0)  /* subscribed */
			_exit(1);
		wait_for(&in, &in.offered, 2);     /* refused at least once, then again */
		raksha_client_close(c, 300);       /* still refusing: abandoned, unacknowledged */
		_exit(write(pipefd[1], "c", 1) == 1 && read_count(&in, &in.valid) == 0 ? 0 : 1);
	}
	char b;
	ok(read(pipefd[0], &b, 1) == 1 && b == 's', "refusing subscriber (child process) is up");
	usleep(200000);
	struct raksha_client *pub = client(NULL, false, NULL);
	publish_sample(pub, NULL);
	ok(read(pipefd[0], &b, 1) == 1 && b == 'c', "it refused the report and closed");
	int status;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child exited, having stored nothing");
	struct inbox in = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct raksha_client *again = client("test-refuser", true, &in);
	is_int(wait_for(&in, &in.valid, 1), 1, "the refused report is delivered again: never acknowledged");
	raksha_client_close(again, 2000);
	raksha_client_close(pub, 2000);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* presence-child: announces itself online (retained) with a Will that says
 * offline, then waits to be killed; tests/integration/08-client.sh checks
 * that the broker publishes the Will when the process dies. */
static int presence_child(void)
{
	struct sample on, off;
	uint8_t *won, *woff;
	size_t lon, loff;
	raksha_envelope *e = sample_make(&off, RAKSHA_KIND_AGENT);
	raksha_envelope_stamp(e, off.message_id);
	off.agent.online = 0;
	off.agent.started_at_ms = e->sent_at_ms;
	raksha_envelope *e2 = sample_make(&on, RAKSHA_KIND_AGENT);
	raksha_envelope_stamp(e2, on.message_id);
	on.agent.started_at_ms = e2->sent_at_ms;
	if (raksha_envelope_encode(e, off.topic, NULL, &woff, &loff, NULL) < 0 ||
	    raksha_envelope_encode(e2, on.topic, NULL, &won, &lon, NULL) < 0)
		return 1;
	const char *urls[] = {getenv("RAKSHA_TEST_URL")};
	struct raksha_client_options o = {.urls = urls, .n_urls = 1, .client_id = "mp-bhopal-grp-1",
					  .persistent_session = true, .keepalive_s = 5,
					  .will_topic = off.topic, .will_payload = woff,
					  .will_len = loff, .will_retained = true};
	struct raksha_client *c;
	if (raksha_client_new(&o, &c) < 0 || raksha_client_connect(c) < 0 ||
	    raksha_client_wait_connected(c, 10000) < 0)
		return 1;
	raksha_client_publish(c, on.topic, won, lon, true, on_ack, NULL);
	for (int i = 0; i < 500 && locked_read(&acks) < 1; i++)
		usleep(10000);
	printf("online\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "presence-child") == 0)
		return presence_child();
	if (getenv("RAKSHA_TEST_URL") == NULL || getenv("RAKSHA_TEST_RESTART") == NULL) {
		printf("Bail out! RAKSHA_TEST_URL and RAKSHA_TEST_RESTART are needed\n");
		return 1;
	}
	test_refused_stays_unacknowledged();
	test_publish_and_receive();
	test_keep();
	test_persistent_session();
	test_reconnect();
	return tap_done();
}
