/* The live watch (desk_live.h): one thread polls, libmicrohttpd's thread
 * runs the streams; the lock orders a stream's suspension before the
 * watch's resumption of it, so that no wake-up is lost. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/clock.h"
#include "desk/desk_agent_alive.h"
#include "desk/desk_db.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "history/presence_list.h"

#define RESUME_EVERY_MS 5000  /* each waiting stream looks whether a keep-alive is due */

struct stream {
	struct desk_live *l;
	struct MHD_Connection *conn;
	uint64_t sent_gen;
	bool sent;
	int64_t last_ms;
};

static const char *const AGENT_NAMES[] = {"unknown", "online", "offline", "nodb", "stopped"};

/* Under the lock. */
static void resume_all(struct desk_live *l)
{
	for (size_t i = 0; i < l->n_waiting; i++)
		MHD_resume_connection(l->waiting[i]);
	l->n_waiting = 0;
}

static void publish(struct desk_live *l, int64_t seq, enum desk_agent_state agent, int64_t since_ms,
		    bool keepalive)
{
	pthread_mutex_lock(&l->lock);
	if (l->seq != seq || l->agent != agent || l->agent_since_ms != since_ms) {
		l->seq = seq;
		l->agent = agent;
		l->agent_since_ms = since_ms;
		l->gen++;
		keepalive = true;
	}
	if (keepalive)
		resume_all(l);
	pthread_mutex_unlock(&l->lock);
}

/* The agent's own presence, as the board's title reads it (board_presence.c). */
static enum desk_agent_state own_state(const struct desk_live *l, const struct presence_list *p,
				       int64_t *since_ms)
{
	char unit[sizeof(p->agents[0].unit)];
	snprintf(unit, sizeof(unit), "%s/%s/%s", l->c->state, l->c->region, l->c->agency);
	const struct presence_agent *a = presence_list_find(p, unit, l->c->id);
	*since_ms = a ? a->since_ms : 0;
	if (a == NULL)
		return DESK_AGENT_UNKNOWN;
	return a->online ? DESK_AGENT_ONLINE : DESK_AGENT_OFFLINE;
}

/* Whether the agent holds its database (desk_agent_alive.h), read from
 * /proc/locks at most once a second rather than at every poll: a stopped
 * agent is news for a banner, not for the next 200 ms. */
#define ALIVE_EVERY_MS 1000

struct alive_look {
	int64_t at_ms;  /* 0: never looked */
	int alive;
};

static int agent_alive(const struct desk_live *l, struct alive_look *a)
{
	int64_t now = clock_mono_ms();
	if (a->at_ms == 0 || now - a->at_ms >= ALIVE_EVERY_MS) {
		a->alive = desk_agent_alive(l->c->database);
		a->at_ms = now;
	}
	return a->alive;
}

static void poll_once(struct desk_live *l, sqlite3 **db, struct presence_list *p, struct alive_look *alive,
		      bool keepalive)
{
	char err[512];
	struct history_filter all = {0};
	int64_t since_ms = 0;
	if (*db == NULL && desk_db_open(l->c->database, db, err, sizeof(err)) < 0) {
		publish(l, 0, DESK_AGENT_NO_DB, 0, keepalive);
		return;
	}
	int64_t seq = desk_db_max_seq(*db);
	bool same = seq >= 0 && seq == l->seq;  /* only the watch writes l->seq */
	if (seq < 0 || (!same && presence_list_update(*db, &all, p) < 0)) {
		sqlite3_close(*db);  /* opened again at the next look */
		*db = NULL;
		presence_list_free(p);
		publish(l, 0, DESK_AGENT_NO_DB, 0, keepalive);
		return;
	}
	enum desk_agent_state agent = own_state(l, p, &since_ms);
	if (agent != DESK_AGENT_OFFLINE && agent_alive(l, alive) == 0) {
		agent = DESK_AGENT_STOPPED;
		since_ms = l->agent == DESK_AGENT_STOPPED ? l->agent_since_ms : clock_wall_ms();
	}
	publish(l, seq, agent, since_ms, keepalive);
}

static void *watch(void *arg)
{
	struct desk_live *l = arg;
	sqlite3 *db = NULL;
	struct presence_list p = {0};
	struct alive_look alive = {0, 1};
	int64_t resumed_ms = clock_mono_ms();
	pthread_mutex_lock(&l->lock);
	while (!l->stopping) {
		pthread_mutex_unlock(&l->lock);
		int64_t now = clock_mono_ms();
		bool keepalive = now - resumed_ms >= RESUME_EVERY_MS;
		if (keepalive)
			resumed_ms = now;
		poll_once(l, &db, &p, &alive, keepalive);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += DESK_LIVE_POLL_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&l->lock);
		if (!l->stopping)
			pthread_cond_timedwait(&l->wake, &l->lock, &until);
	}
	pthread_mutex_unlock(&l->lock);
	presence_list_free(&p);
	sqlite3_close(db);
	return NULL;
}

int desk_live_start(struct desk_live *l, const struct agent_config *c)
{
	memset(l, 0, sizeof(*l));
	l->c = c;
	l->seq = -1;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->wake, NULL);
	int r = pthread_create(&l->thread, NULL, watch, l);
	if (r != 0)
		return -r;
	l->started = true;
	return 0;
}

void desk_live_stop(struct desk_live *l)
{
	if (!l->started)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	resume_all(l);
	pthread_cond_broadcast(&l->wake);
	pthread_mutex_unlock(&l->lock);
	pthread_join(l->thread, NULL);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;  /* each stream ends at its next turn, in libmicrohttpd's thread */
	pthread_mutex_lock(&l->lock);
	while (l->n_streams > 0 && pthread_cond_timedwait(&l->wake, &l->lock, &until) == 0)
		resume_all(l);
	pthread_mutex_unlock(&l->lock);
	l->started = false;
}

/* Under the lock: what @s sends now, 0 for nothing yet. */
static ssize_t fill(struct stream *s, char *buf, size_t max)
{
	const struct desk_live *l = s->l;
	int64_t now = clock_mono_ms();
	int n = 0;
	if (l->stopping)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (!s->sent || s->sent_gen != l->gen)
		n = snprintf(buf, max, "%sdata: {\"seq\":%" PRId64 ",\"agent\":\"%s\",\"since\":%" PRId64 "}\n\n",
			     s->sent ? "" : "retry: 1000\n", l->seq, AGENT_NAMES[l->agent], l->agent_since_ms);
	else if (now - s->last_ms >= DESK_LIVE_KEEPALIVE_MS)
		n = snprintf(buf, max, ": keep-alive\n\n");
	if (n < 0 || (size_t)n >= max)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (n > 0) {
		s->sent = true;
		s->sent_gen = l->gen;
		s->last_ms = now;
	}
	return n;
}

static ssize_t on_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct desk_live *l = s->l;
	(void)pos;
	pthread_mutex_lock(&l->lock);
	ssize_t n = fill(s, buf, max);
	if (n == 0) {  /* room: n_waiting <= n_streams <= DESK_LIVE_STREAMS */
		l->waiting[l->n_waiting] = s->conn;
		l->n_waiting++;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&l->lock);
	return n;
}

static void on_free(void *cls)
{
	struct stream *s = cls;
	struct desk_live *l = s->l;
	pthread_mutex_lock(&l->lock);
	l->n_streams--;
	pthread_cond_broadcast(&l->wake);
	pthread_mutex_unlock(&l->lock);
	free(s);
}

enum MHD_Result desk_page_events(struct desk_request *r)
{
	struct desk_live *l = &r->desk->live;
	struct stream *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return MHD_NO;
	s->l = l;
	s->conn = r->conn;
	pthread_mutex_lock(&l->lock);
	bool full = l->stopping || l->n_streams >= DESK_LIVE_STREAMS;
	if (!full)
		l->n_streams++;
	pthread_mutex_unlock(&l->lock);
	if (full) {
		free(s);
		return desk_refuse(r, 503, _("Too many live pages open at once; reload later."));
	}
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 512, on_read, s, on_free);
	if (resp == NULL) {
		on_free(s);
		return MHD_NO;
	}
	desk_headers(resp, "text/event-stream; charset=utf-8", NULL);
	enum MHD_Result ok = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ok;
}

enum MHD_Result desk_page_events_login(struct desk_request *r)
{
	static const char LOGIN[] = "retry: 1000\nevent: login\ndata: {}\n\n";
	return desk_reply(r, 200, "text/event-stream; charset=utf-8", LOGIN, strlen(LOGIN), NULL);
}

/* What live.js says, in the page's language: its sentences (%s: a date it
 * writes as i18n_date_time() does, from the months and am/pm given). */
static void live_words(struct desk_html *h)
{
	desk_html_printf(h, " data-lost=\"%s\" data-offline=\"%s\" data-stopped=\"%s\" data-nodb=\"%s\""
			 " data-notify=\"%s\" data-am=\"%s\" data-pm=\"%s\" data-months=\"",
			 _("Live updates lost: reconnecting to the desk..."),
			 _("The agent is offline since %s: it was stopped or its link to the broker "
			   "is down. New cases may not reach this desk."),
			 _("The agent is not running (seen since %s)."),
			 _("The agent's database cannot be read: is the agent running?"), _("Raksha: %s case"),
			 i18n_half_day(0), i18n_half_day(1));
	for (int m = 0; m < 12; m++)
		desk_html_printf(h, "%s%s", m ? "|" : "", i18n_month(m));
	desk_html_printf(h, "\">");
}

void desk_live_banner(const struct desk_request *r, struct desk_html *h)
{
	struct desk_live *l = &r->desk->live;
	char when[DESK_WHEN_MAX];
	pthread_mutex_lock(&l->lock);
	enum desk_agent_state agent = l->agent;
	desk_page_when(l->agent_since_ms, when, sizeof(when));
	pthread_mutex_unlock(&l->lock);
	desk_html_printf(h, "<p id=\"live\" class=\"live a-%s\" role=\"status\"", AGENT_NAMES[agent]);
	live_words(h);
	if (agent == DESK_AGENT_OFFLINE)
		desk_html_printf(h, _("The agent is offline since %s: it was stopped or its link to the broker "
				   "is down. New cases may not reach this desk."), when);
	else if (agent == DESK_AGENT_STOPPED)
		desk_html_printf(h, _("The agent is not running (seen since %s)."), when);
	else if (agent == DESK_AGENT_NO_DB)
		desk_html_printf(h, "%s", _("The agent's database cannot be read: is the agent running?"));
	desk_html_printf(h, "</p>\n");
}
