/* The service: subscribe, log every envelope durably before the broker hears
 * it was delivered, announce presence, and stop cleanly on SIGTERM. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "agent/config.h"
#include "agent/service.h"
#include "agent/agent_client.h"
#include "agent/backup.h"
#include "agent/escalator.h"
#include "agent/journal.h"
#include "agent/metrics_file.h"
#include "agent/outbox_sender.h"
#include "agent/presence.h"
#include "agent/reload.h"
#include "agent/replay_server.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/text.h"
#include "history/display.h"

/* Rejections are logged once per cause, then summed up at most once a minute. */
#define REJECT_LOG_INTERVAL_MS 60000

struct service {
	const struct agent_config *c;
	struct store *store;
	struct raksha_client *client;
	bool foreground;
	int64_t started_ms;
	struct presence_will will;     /* the client's, made afresh for each connection */
	/* The link as the connection callback last heard of it, for STATUS=;
	 * paho calls back one at a time. */
	bool link_known, link_up;
	time_t link_since;
	struct outbox_sender *sender;  /* the local outbox */
	/* Guards sender between paho's connection callback, which kicks it,
	 * and stop(), which ends it while paho may still call back. */
	pthread_mutex_t sender_lock;
	struct escalator *escalator;
	struct metrics_file *metrics;  /* [agent] metrics_textfile's writer, or NULL */
	struct replay_server *replay;  /* role = archive */
	struct journal *journal;       /* what is acknowledged, until committed */
	struct backup *backup;         /* [agent] backup_dir; or NULL */
	/* Rejection logging, per cause; only the receive thread touches it. */
	int64_t rejected_since_log[RAKSHA_CAUSE_COUNT];
	int64_t last_log_ms[RAKSHA_CAUSE_COUNT];
	int64_t storage_failed_log_ms;
};

static void log_rejection(struct service *s, const struct raksha_message *m, int64_t now)
{
	enum raksha_cause cause = m->problem->cause < RAKSHA_CAUSE_COUNT ? m->problem->cause : 0;
	s->rejected_since_log[cause]++;
	if (s->last_log_ms[cause] != 0 && now - s->last_log_ms[cause] < REJECT_LOG_INTERVAL_MS)
		return;
	/* Said, so that nobody looks for it as lost: it is taken later. */
	const char *kept = cause == RAKSHA_CAUSE_CLOCK ?
		"; kept whole, and taken once this PC's clock is within a day of its time" : "";
	log_line(LOG_WARNING, "rejected %s on %s: %s%s (%lld of this cause since the last note)",
		 raksha_cause_name(cause), m->topic, m->problem->text, kept,
		 (long long)s->rejected_since_log[cause]);
	s->last_log_ms[cause] = now;
	s->rejected_since_log[cause] = 0;
}

/* The exit code for a database that would not open: a full disk is
 * temporary, and 75 tells systemd to try again later. */
static int store_exit_code(int r)
{
	switch (r) {
	case -EACCES: return EX_CANTCREAT;
	case -ENOSPC: return EX_TEMPFAIL;
	default: return EX_DATAERR;
	}
}

/* A new envelope is stored: show it, and let the escalator look. */
static void on_stored(void *ctx, const raksha_envelope *env, bool case_drill)
{
	struct service *s = ctx;
	escalator_kick(s->escalator);
	char line[512];
	display_line(env, case_drill, line, sizeof(line));
	if (s->foreground) {
		printf("%s\n", line);
		fflush(stdout);
	} else {
		log_line(LOG_INFO, "%s", line);
	}
}

/* paho's receive thread: keep durably (in the journal), then return, and
 * only then is it acknowledged. */
static int on_message(void *ctx, const struct raksha_message *m)
{
	struct service *s = ctx;
	if (s->replay != NULL && replay_server_is_request(m->topic)) {
		replay_server_take(s->replay, m->topic, m->payload, m->len);
		return 0;  /* a request is not bus traffic; a lost one is asked again */
	}
	int64_t now = clock_wall_ms();
	/* Decoded and checked already, before anything is acknowledged: the
	 * committer stores this envelope, instead of decoding the bytes again. */
	struct raksha_envelope_arena *arena;
	raksha_envelope *env = raksha_message_keep_in(m, &arena);
	int r = journal_append(s->journal, m->topic, m->payload, m->len, m->problem, env, arena, now);
	if (r < 0) {
		if (now - s->storage_failed_log_ms >= REJECT_LOG_INTERVAL_MS) {
			log_line(LOG_ERR, "cannot store a message from %s: %s; not acknowledging "
				 "anything until it can be stored", m->topic, journal_strerror(r));
			s->storage_failed_log_ms = now;
		}
		return r;
	}
	if (s->storage_failed_log_ms != 0) {
		log_line(LOG_NOTICE, "storing again; the backlog follows");
		s->storage_failed_log_ms = 0;
	}
	if (m->problem)
		log_rejection(s, m, now);
	return 0;  /* the committer shows it once stored */
}

/* systemd's STATUS= follows the link, so that `systemctl status` tells a
 * district PC whose link is down from one that is connected, and since when
 * (local time); paho's @reason escaped. */
static void notify_status(const struct service *s, const char *reason)
{
	char when[32], why[160];
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&s->link_since, &tm));
	if (s->link_up) {
		sd_notifyf(0, "STATUS=connected since %s; logging", when);
		return;
	}
	text_escape(reason, why, sizeof(why));
	sd_notifyf(0, "STATUS=link down since %s (%s); reconnecting; the log stays open", when, why);
}

/* The agent's own presence goes into its own log as it tells the broker,
 * so that its database (the board's title, raksha-replay presence) knows
 * when its link went and came back, which no message from the broker can
 * say while the link is down. The bytes are those the broker has or will
 * publish, so that their copy from the broker, if the agent subscribes to
 * presence, is the same message, stored once. */
static void record_own(struct service *s, const struct presence *p)
{
	int r = journal_append(s->journal, p->topic, p->bytes, p->len, NULL, NULL, NULL, clock_wall_ms());
	if (r < 0)  /* a full disk, logged by the next message it refuses */
		log_line(LOG_WARNING, "cannot log this agent's own presence: %s", journal_strerror(r));
}

static void link_lost(struct service *s, bool changed, const char *reason)
{
	struct presence will;
	if (changed) {
		log_line(LOG_WARNING, "broker connection lost: %s; reconnecting", reason);
		if (presence_will_last(&s->will, &will) == 0) {
			record_own(s, &will);
			presence_free(&will);
		}
	}
	notify_status(s, reason);  /* each failed attempt too, with its reason */
}

static void link_up(struct service *s, bool changed, const char *reason)
{
	if (reason != NULL)
		log_line(LOG_ERR, "%s", reason);
	struct presence p;
	pthread_mutex_lock(&agent_config_mutex);
	int made = presence_make(s->c, true, s->started_ms, &p);
	size_t n_filters = s->c->n_filters;
	pthread_mutex_unlock(&agent_config_mutex);
	if (made == 0) {
		raksha_client_publish(s->client, p.topic, p.bytes, p.len, true, NULL, NULL);
		if (changed)
			record_own(s, &p);
		presence_free(&p);
	}
	log_line(LOG_NOTICE, "connected; subscribed to %zu filter(s)%s", n_filters,
		 reason != NULL ? ", not all taken yet (above)" : "");
	notify_status(s, NULL);
	pthread_mutex_lock(&s->sender_lock);
	outbox_sender_kick(s->sender);  /* what waited for the link leaves now */
	pthread_mutex_unlock(&s->sender_lock);
}

static void on_connection(void *ctx, bool up, const char *reason)
{
	struct service *s = ctx;
	bool changed = !s->link_known || s->link_up != up;
	if (changed) {
		s->link_known = true;
		s->link_up = up;
		s->link_since = time(NULL);
	}
	if (up)
		link_up(s, changed, reason);
	else
		link_lost(s, changed, reason);
}

/* The client, with "offline" as its Will: what the broker says for it if
 * the agent vanishes (power cut, crash, cable). */
static int make_client(struct service *s)
{
	const struct agent_config *c = s->c;
	char err[300];
	int r = agent_client_new(c, c->id, &s->will, &s->client, err, sizeof(err));
	if (r < 0) {
		log_line(LOG_ERR, "%s", err);
		return r == -ENOKEY ? EX_NOINPUT : EX_CONFIG;
	}
	raksha_client_on_message(s->client, on_message, s);
	raksha_client_on_connection(s->client, on_connection, s);
	if (c->trust != NULL)
		raksha_client_verify_signatures(s->client, c->trust, c->require_signatures);
	for (size_t i = 0; i < c->n_filters; i++)
		raksha_client_subscribe(s->client, c->filters[i]);
	if (c->archive) {
		char requests[RAKSHA_TOPIC_MAX + 64];
		replay_server_filter(c, requests, sizeof(requests));
		if (replay_server_start(c, s->client, &s->replay) < 0)
			return EX_CANTCREAT;
		raksha_client_subscribe(s->client, requests);
	}
	return 0;
}

/* Says "offline" before a clean DISCONNECT (which makes the broker drop the Will). */
static void say_goodbye(struct service *s)
{
	struct presence p;
	if (!raksha_client_is_connected(s->client))
		return;
	pthread_mutex_lock(&agent_config_mutex);
	int made = presence_make(s->c, false, s->started_ms, &p);
	pthread_mutex_unlock(&agent_config_mutex);
	if (made < 0)
		return;
	raksha_client_publish(s->client, p.topic, p.bytes, p.len, true, NULL, NULL);
	record_own(s, &p);
	usleep(300000);  /* let it leave before the DISCONNECT */
	presence_free(&p);
}

/* Waits for SIGTERM, SIGINT or SIGHUP, telling systemd's watchdog
 * (WatchdogSec) at half its interval that the service is alive. */
static int wait_for_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	uint64_t watchdog_us = 0;
	if (sd_watchdog_enabled(0, &watchdog_us) <= 0)
		watchdog_us = 0;
	for (;;) {
		struct timespec wait = {.tv_sec = 3600};
		if (watchdog_us > 0)
			wait = (struct timespec){(time_t)(watchdog_us / 2000000),
						 (long)(watchdog_us / 2 % 1000000) * 1000};
		int sig = sigtimedwait(&set, NULL, &wait);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
			return sig;
		if (watchdog_us > 0)
			sd_notify(0, "WATCHDOG=1");
	}
}

/* The journal lives beside the database, named after it. */
static int open_journal(struct service *s, char *err, size_t errlen)
{
	size_t n = strlen(s->c->database) + sizeof(".ingest");
	char *path = malloc(n);
	if (path == NULL)
		return -ENOMEM;
	snprintf(path, n, "%s.ingest", s->c->database);
	int r = journal_open(path, s->c->durability == DURABILITY_POWER, s->store, on_stored, s,
			     &s->journal, err, errlen);
	free(path);
	return r;
}

/* Starts the parts in the order they depend on each other. Returns 0, or
 * the exit code (the log says why); what started is stopped by stop(). */
static int start(struct service *s)
{
	const struct agent_config *c = s->c;
	int r = make_client(s);
	if (r != 0)
		return r;
	r = outbox_sender_start(c->outbox, s->client, &s->sender);
	if (r < 0) {
		log_line(LOG_ERR, "outbox %s: %s", c->outbox, strerror(-r));
		return EX_CANTCREAT;
	}
	if (escalator_start(c, s->sender, &s->escalator) < 0)
		return EX_CANTCREAT;
	r = metrics_file_start(c, &s->metrics);
	if (r < 0) {
		log_line(LOG_ERR, "metrics_textfile: %s", strerror(-r));
		return EX_OSERR;
	}
	/* After the escalator, which hears of what the journal recovers. */
	char err[256];
	r = open_journal(s, err, sizeof(err));
	if (r < 0) {
		log_line(LOG_ERR, "journal: %s", err);
		return r == -ENOSPC ? EX_TEMPFAIL : EX_IOERR;
	}
	r = c->backup_dir == NULL ? 0 : backup_start(c->database, c->backup_dir, c->backup_interval_ms,
						     c->backup_keep, &s->backup);
	if (r < 0) {
		log_line(LOG_ERR, "backup_dir %s: %s", c->backup_dir, strerror(-r));
		return EX_CANTCREAT;
	}
	/* Connect only now: the connection callback kicks the outbox sender. */
	if (raksha_client_connect(s->client) < 0)
		return EX_UNAVAILABLE;
	return 0;
}

/* Logs to the database until SIGTERM or SIGINT; SIGHUP reloads. */
static void serve(struct service *s, struct agent_config *c)
{
	log_line(LOG_NOTICE, "raksha-agent %s started as %s, logging to %s", raksha_version(), c->id,
		 c->database);
	if (c->trust != NULL)
		log_line(LOG_NOTICE, "checking signatures against %zu key(s) from %s; unsigned envelopes "
			 "are %s", raksha_trust_store_count(c->trust), c->trusted_keys_path,
			 c->require_signatures ? "rejected" : "accepted");
	/* Ready once the log is open: an agent whose link is down is still
	 * doing its job (the broker keeps its session) and must not be
	 * restarted for it. */
	sd_notify(0, "READY=1\nSTATUS=logging to the database; connecting");
	int sig;
	while ((sig = wait_for_signal()) == SIGHUP) {
		sd_notify(0, "RELOADING=1");
		reload_apply(c, s->client);
		sd_notify(0, "READY=1");
	}
	sd_notify(0, "STOPPING=1");
	log_line(LOG_NOTICE, "stopping (%s)", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	say_goodbye(s);
}

/* Stops whatever start() started, in the order that loses nothing. */
static void stop(struct service *s)
{
	backup_stop(s->backup);  /* a copy in progress ends, its file removed */
	journal_detach(s->journal);  /* its committer tells the escalator, stopped next */
	escalator_stop(s->escalator);
	metrics_file_stop(s->metrics);
	replay_server_stop(s->replay);
	pthread_mutex_lock(&s->sender_lock);
	struct outbox_sender *sender = s->sender;
	s->sender = NULL;  /* a connection from now on kicks nothing */
	pthread_mutex_unlock(&s->sender_lock);
	outbox_sender_stop(sender);
	raksha_client_close(s->client, 3000);
	journal_close(s->journal);  /* after the client: nothing arrives any more */
	replay_server_free(s->replay);
}

/* Whether the roster named by trusted_keys lists @o's unit as a
 * supervisor: read under the mutex, as SIGHUP replaces the trust store. */
static bool is_supervisor(void *ctx, const Raksha__V1__Origin *o)
{
	const struct agent_config *c = ctx;
	pthread_mutex_lock(&agent_config_mutex);
	bool yes = raksha_trust_store_supervisor(c->trust, o->sender_id, o->state, o->region, o->agency);
	pthread_mutex_unlock(&agent_config_mutex);
	return yes;
}

int service_run(struct agent_config *c, bool foreground)
{
	/* Signals go to this thread only, not to paho's threads made below. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct service s = {.c = c, .foreground = foreground, .started_ms = clock_wall_ms(),
			    .sender_lock = PTHREAD_MUTEX_INITIALIZER};
	char err[256];
	int r = store_open(c->database, c->durability, &s.store, err, sizeof(err));
	if (r < 0) {
		log_line(LOG_ERR, "database %s: %s", c->database, err);
		return store_exit_code(r);
	}
	/* The committer appends: the pages its inserts touch again are the
	 * B-trees' rightmost paths, a few dozen. SQLite's default cache kept
	 * up to 2 MiB of the pages it wrote, which a live stream filled
	 * (docs/benchmarks.md, issue 19 part 6, session 5). */
	sqlite3_exec(store_db(s.store), "PRAGMA cache_size = -256", NULL, NULL, NULL);
	store_rejected_bounds(s.store, c->rejected_per_sender, c->rejected_total);
	store_set_supervisors(s.store, is_supervisor, (void *)c);
	s.will = (struct presence_will){.c = c, .started_ms = s.started_ms,
					.lock = PTHREAD_MUTEX_INITIALIZER};
	r = start(&s);
	if (r == 0)
		serve(&s, c);
	stop(&s);
	presence_will_free(&s.will);
	store_close(s.store);
	return r;
}
