#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/password_file.h"
#include "publisher/send.h"
#include "publisher/send_oneshot.h"

/* One run: queue (maybe), connect, send the backlog. */
struct send {
	struct raksha_outbox *ob;
	struct raksha_client *client;
	const char *why;           /* why envelopes are kept, for the message */
	struct timespec deadline;
	struct raksha_outbox_flush_stats stats;
	const char *dir;           /* the outbox folder */
	char *password;            /* from password_file, or NULL */
	bool login_refused;        /* the one-shot path's CONNECT was refused its login */
	pthread_mutex_t lock;      /* guards @lost, written on paho's thread */
	char lost[256];            /* why the connection failed, or "" */
};

/* What a run achieved. */
struct result {
	int acked;       /* envelopes the broker acknowledged */
	int own_acked;   /* the one this run queued was among them */
	int own_refused; /* the broker refused that one for good */
};

static void on_corrupt(void *ctx, const char *path, const char *reason)
{
	struct send *s = ctx;
	log_line(LOG_ERR, "raksha-publish: outbox entry %s/%s: %s", s->dir, path,
		 reason);
}

static void on_connection(void *ctx, bool up, const char *reason)
{
	struct send *s = ctx;
	pthread_mutex_lock(&s->lock);
	snprintf(s->lost, sizeof(s->lost), "%s", up || reason == NULL ? "" : reason);
	pthread_mutex_unlock(&s->lock);
}

/* The connection's failure, if the client heard of one. */
static void log_lost(struct send *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->lost[0] != '\0')
		log_line(LOG_ERR, "raksha-publish: %s", s->lost);
	pthread_mutex_unlock(&s->lock);
}

/* Reads the password file, if any: before anything is queued. */
static int read_password(struct pub *p, struct send *s)
{
	if (p->password_file == NULL)
		return 0;
	s->password = password_file_read(p->password_file);
	if (s->password == NULL)
		return fail(EX_NOINPUT, "password_file %s: %s", p->password_file, strerror(errno));
	return 0;
}

/* Makes the client (checking the urls and credentials) without connecting:
 * done before anything is queued, so that a typo in --url is an error, not a
 * report stuck in the outbox (on the one-shot path send_oneshot_fits() checked
 * the url, and the client is made only if the paho path is needed). */
static int make_client(struct pub *p, struct send *s)
{
	struct raksha_client_options o = {
		.urls = p->urls, .n_urls = p->n_urls, .username = p->username, .password = s->password,
		.ca_file = p->ca_file, .cert_file = p->cert_file, .key_file = p->key_file,
		.keepalive_s = p->keepalive_s, .connect_timeout_s = p->timeout_s,
		.mqtt_version = p->mqtt_version,
	};
	int r = raksha_client_new(&o, &s->client);
	if (r == 0) {
		raksha_client_on_connection(s->client, on_connection, s);
		return 0;
	}
	if (r == -ENOMEM)
		return fail(EX_OSERR, "out of memory");
	const char *bad = p->urls[0];
	for (size_t i = 0; i < p->n_urls; i++)
		if (strncmp(p->urls[i], "mqtt://", 7) != 0 && strncmp(p->urls[i], "mqtts://", 8) != 0) {
			bad = p->urls[i];
			break;
		}
	return fail(EX_USAGE, "%s: '%s' is not a broker address (mqtt://HOST:PORT or "
		    "mqtts://HOST:PORT)", p->urls_from_flags ? "--url" : "url in the config", bad);
}

static void add_stats(struct raksha_outbox_flush_stats *sum,
		      const struct raksha_outbox_flush_stats *st)
{
	sum->sent += st->sent;
	sum->acked += st->acked;
	sum->failed += st->failed;
	sum->refused += st->refused;
}

/* mosquitto 2.0 closes the connection after it refuses a publication (its
 * issue 2579): what was in flight behind the refused one comes back
 * unacknowledged. So after a refusal the backlog is sent again once paho
 * has reconnected, within the timeout. */
static int flush_outbox(struct send *s)
{
	for (;;) {
		struct raksha_outbox_flush_stats st;
		int r = raksha_outbox_flush(s->ob, s->client, (int)clock_remaining_ms(&s->deadline),
					    on_corrupt, s, &st);
		add_stats(&s->stats, &st);
		if (r == 0 || r == -EACCES || r == -EWOULDBLOCK || s->stats.refused == 0)
			return r;
		nanosleep(&(struct timespec){0, 100000000L}, NULL);  /* paho notices the loss */
		if (raksha_client_wait_connected(s->client, (int)clock_remaining_ms(&s->deadline)) < 0)
			return r;
	}
}

/* Sends the backlog, oldest first, and waits for the broker's answers. */
static int flush(struct pub *p, struct send *s)
{
	if (raksha_outbox_count(s->ob) == 0)
		return 0;
	if (s->login_refused) {
		send_oneshot_refused_login(p);
		s->why = "refused the login";
		return EX_TEMPFAIL;
	}
	if (s->client == NULL) {  /* the one-shot path left it queued */
		int r = make_client(p, s);
		if (r != 0)
			return r;
	}
	if (raksha_client_connect(s->client) < 0 ||
	    raksha_client_wait_connected(s->client, (int)clock_remaining_ms(&s->deadline)) < 0) {
		log_lost(s);
		s->why = "could not be reached";
		return EX_TEMPFAIL;
	}
	int r = flush_outbox(s);
	if (r == 0 || r == -EACCES)
		return s->stats.refused > 0 ? EX_NOPERM : 0;
	s->why = r == -EWOULDBLOCK ? "was reachable, but another process kept the outbox busy"
				   : "did not acknowledge everything";
	return EX_TEMPFAIL;
}

/* Makes the client (unless @before may take the one-shot path, which needs
 * none: paho's client costs its start-up, docs/benchmarks.md, issue 19
 * part 3, session 4), runs @before (which may queue), then sends the
 * backlog. */
static int client_run(struct pub *p, struct send *s,
		      int (*before)(struct pub *p, struct send *s, void *ctx), void *ctx)
{
	int r = read_password(p, s);
	if (r != 0)
		return r;
	if (before == NULL || !send_oneshot_fits(p)) {
		r = make_client(p, s);
		if (r != 0)
			return r;
	}
	if (before != NULL) {
		r = before(p, s, ctx);
		if (r != 0)
			return r;
	}
	return flush(p, s);
}

/* What a run that did not send everything says on stderr. */
static void say_left(const struct pub *p, const struct send *s, int r, int left)
{
	if (r == EX_TEMPFAIL)
		log_line(LOG_ERR, "raksha-publish: the broker (%s) %s (timeout %d s); %d envelope(s) kept "
			 "in the outbox %s, to be sent by 'raksha-publish flush'", p->urls[0], s->why,
			 p->timeout_s, left, p->outbox_dir);
	if (s->stats.refused > 0)
		log_line(LOG_ERR, "raksha-publish: the broker (%s) refused %u envelope(s) for the reason "
			 "above; they stay in %s/refused/ and are not sent again", p->urls[0],
			 s->stats.refused, p->outbox_dir);
}

static int run(struct pub *p, const uint8_t *own_id, struct result *res,
	       int (*before)(struct pub *p, struct send *s, void *ctx), void *ctx)
{
	struct send s = {.dir = p->outbox_dir};
	s.deadline = clock_deadline((int64_t)p->timeout_s * 1000);
	int r = raksha_outbox_open(p->outbox_dir, &s.ob);
	if (r < 0)
		return fail(EX_CANTCREAT, "outbox %s: %s", p->outbox_dir, strerror(-r));
	pthread_mutex_init(&s.lock, NULL);
	r = client_run(p, &s, before, ctx);
	/* The process exits after this run: paho's threads need not be stopped. */
	raksha_client_close_for_exit(s.client, 1000);  /* NULL if none was made */
	free(s.password);
	pthread_mutex_destroy(&s.lock);
	bool refused = own_id != NULL && raksha_outbox_refused(s.ob, own_id);
	*res = (struct result){.acked = (int)s.stats.acked, .own_refused = refused,
			       .own_acked = own_id != NULL && !refused &&
					    !raksha_outbox_contains(s.ob, own_id)};
	int left = raksha_outbox_count(s.ob);
	raksha_outbox_close(s.ob);
	say_left(p, &s, r, left);
	return r;
}

struct queue_args {
	const char *topic;
	const uint8_t *buf;
	size_t len;
	const uint8_t *id;
	const struct send_hooks *hooks;
};

static int queue_first(struct pub *p, struct send *s, void *ctx)
{
	struct queue_args *a = ctx;
	struct oneshot *o = send_oneshot_dial(p, s->ob, s->password, &s->deadline);
	int r = raksha_outbox_put(s->ob, a->topic, a->buf, a->len, a->id);
	if (r < 0) {
		send_oneshot_end(s->ob, o);
		return fail(r == -ENOSPC ? EX_CANTCREAT : EX_IOERR, "outbox: cannot queue the envelope: %s",
			    strerror(-r));
	}
	if (a->hooks->queued)
		a->hooks->queued(a->hooks->ctx);
	/* The one-shot path (send_oneshot.h), without paho's waits before
	 * CONNECT (docs/benchmarks.md, issue 19 part 3): what it leaves queued,
	 * flush() sends. */
	if (o != NULL)
		s->login_refused = send_oneshot_queued(s->ob, o, a->topic, a->buf, a->len, a->id) == -EACCES;
	if (a->hooks->settled)
		a->hooks->settled(a->hooks->ctx);
	return 0;
}

int send_envelope(struct pub *p, const char *topic, const uint8_t *buf, size_t len,
		  const uint8_t id[16], const struct send_hooks *hooks)
{
	struct queue_args a = {topic, buf, len, id, hooks};
	struct result res;
	int r = run(p, id, &res, queue_first, &a);
	/* Exit 0 means "what you published is with the broker", even if older
	 * entries of the backlog are still waiting or were refused (stderr said
	 * so); 77 that the broker refused it. */
	if (res.own_refused)
		return EX_NOPERM;
	return ((r == EX_TEMPFAIL || r == EX_NOPERM) && res.own_acked) ? 0 : r;
}

int send_flush(struct pub *p)
{
	struct result res;
	int r = run(p, NULL, &res, NULL, NULL);
	if (r == 0)
		log_line(LOG_NOTICE, "raksha-publish: %d envelope(s) sent and acknowledged", res.acked);
	return r;
}

/* The case an envelope is about, for the listing: officers know report ids. */
static void case_of(const struct raksha_outbox_entry *e, char *out, size_t size)
{
	raksha_envelope *env;
	/* As when it was queued: a clock set back since does not make it invalid. */
	struct raksha_check_options opts = {.now_ms = e->queued_at_ms};
	snprintf(out, size, "-");
	if (raksha_envelope_decode(e->payload, e->len, e->topic, &opts, &env, NULL) < 0) {
		snprintf(out, size, "(no longer valid)");
		return;
	}
	const ProtobufCBinaryData *id = raksha_envelope_report_id(env);
	if (id != NULL && id->len == RAKSHA_UUID_LEN && size > RAKSHA_UUID_TEXT_LEN)
		raksha_uuid_format(id->data, out);
	raksha_envelope_free(env);
}

/* The scan's one context: on_corrupt() reads the first member. */
struct listing {
	struct send s;
	int n;
};

static int print_entry(void *ctx, const struct raksha_outbox_entry *e)
{
	char id[RAKSHA_UUID_TEXT_LEN + 1], when[32], report[40];
	time_t t = (time_t)(e->queued_at_ms / 1000);
	struct tm tm;
	raksha_uuid_format(e->message_id, id);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime_r(&t, &tm));
	case_of(e, report, sizeof(report));
	printf("%s  %s  %-36s  %7zu B  %s\n", when, id, report, e->len, e->topic);
	((struct listing *)ctx)->n++;
	return 0;
}

int send_list(struct pub *p)
{
	struct raksha_outbox *ob;
	int r = raksha_outbox_open(p->outbox_dir, &ob);
	if (r < 0)
		return fail(EX_CANTCREAT, "outbox %s: %s", p->outbox_dir, strerror(-r));
	struct listing l = {.s = {.dir = p->outbox_dir}};
	printf("%-24s  %-36s  %-36s  %9s  %s\n", "queued", "message id", "report id", "size", "topic");
	r = raksha_outbox_scan(ob, print_entry, on_corrupt, &l);
	raksha_outbox_close(ob);
	log_line(LOG_INFO, "%d envelope(s) waiting in %s", l.n, p->outbox_dir);
	return r < 0 ? EX_IOERR : 0;
}
