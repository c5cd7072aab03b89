#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <raksha/raksha.h>

#include "agent/agent_client.h"
#include "agent/seal.h"
#include "agent/unit_pub.h"

/* How long an officer waits for the broker's word before being told the
 * envelope is queued. */
#define SEND_TIMEOUT_MS 3000
/* Right after start the client may still be connecting. */
#define CONNECT_GRACE_MS 1000
#define RETRY_MS 30000
/* While something waits, the title bar's count follows the agent's sending. */
#define RECOUNT_MS 2000

struct unit_pub {
	const struct agent_config *c;
	const char *tag;
	struct raksha_client *client;
	struct raksha_outbox *ob;
	char outbox_dir[4096];
	int queued;
	int64_t last_count_ms, last_send_ms;
	atomic_bool reconnected;     /* set on paho's thread, taken by the tick */
	pthread_mutex_t lock;        /* guards down_reason */
	char down_reason[160];
};

static void on_connection(void *ctx, bool up, const char *reason)
{
	struct unit_pub *p = ctx;
	const char *why = "";
	if (!up)
		why = reason ? reason : "down";
	pthread_mutex_lock(&p->lock);
	snprintf(p->down_reason, sizeof(p->down_reason), "%s", why);
	pthread_mutex_unlock(&p->lock);
	if (up)
		atomic_store(&p->reconnected, true);
}

static int make_client(struct unit_pub *p, char *err, size_t errlen)
{
	char id[RAKSHA_AGENT_ID_MAX + 32];
	/* Its own id per tool: two officers' boards on one agent must not
	 * take the connection from each other, nor the agent's session. A
	 * clean session: the tool subscribes to nothing, it only publishes.
	 * "USERNAME:...", the form a production broker takes beside the
	 * agent's own id (docs/security.md). */
	const char *user = p->c->username ? p->c->username : p->c->id;
	snprintf(id, sizeof(id), "%.*s:%.8s-%ld", RAKSHA_AGENT_ID_MAX, user, p->tag, (long)getpid());
	int r = agent_client_new(p->c, id, NULL, &p->client, err, errlen);
	if (r < 0)
		return r;
	raksha_client_on_connection(p->client, on_connection, p);
	return raksha_client_connect(p->client) < 0 ? -EIO : 0;
}

static int open_outbox(struct unit_pub *p, char *err, size_t errlen)
{
	/* The agent's outbox (by default beside its database): what the
	 * board cannot send now, the agent sends when the link returns. */
	snprintf(p->outbox_dir, sizeof(p->outbox_dir), "%s", p->c->outbox);
	int r = raksha_outbox_open(p->outbox_dir, &p->ob);
	if (r < 0)
		snprintf(err, errlen, "outbox %s: %s", p->outbox_dir, strerror(-r));
	return r;
}

int unit_pub_open(const struct agent_config *c, const char *tag, struct unit_pub **out, char *err,
		  size_t errlen)
{
	struct unit_pub *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	p->c = c;
	p->tag = tag;
	pthread_mutex_init(&p->lock, NULL);
	snprintf(p->down_reason, sizeof(p->down_reason), "connecting");
	int r = open_outbox(p, err, errlen);
	if (r < 0)
		goto fail;
	r = make_client(p, err, errlen);
	if (r < 0)
		goto fail;
	p->queued = raksha_outbox_count(p->ob);
	*out = p;
	return 0;
fail:
	unit_pub_close(p);
	return r;
}

void unit_pub_close(struct unit_pub *p)
{
	if (p == NULL)
		return;
	raksha_client_close(p->client, 1000);
	raksha_outbox_close(p->ob);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static const char *action_name(enum unit_action a)
{
	switch (a) {
	case ACTION_ACK: return "ack";
	case ACTION_FOUND: return "found";
	case ACTION_LINK: return "link";
	case ACTION_CANCELLED: return "cancel";
	case ACTION_SIGHTING: return "sighting";
	default: return "closed";
	}
}

/* Who the tool speaks for: the agent's unit, and the officer if named. */
static void fill_origin(const struct agent_config *c, const struct unit_officer *officer,
			Raksha__V1__Origin *o)
{
	o->state = c->state;
	o->region = c->region;
	o->agency = c->agency;
	o->unit = c->unit ? c->unit : c->id;
	o->sender_id = c->id;
	if (officer != NULL && officer->name != NULL)
		o->officer_name = (char *)officer->name;
	if (officer != NULL && officer->badge != NULL)
		o->officer_badge = (char *)officer->badge;
}

/* The bodies an action may put in its envelope. */
struct bodies {
	Raksha__V1__Ack ack;
	Raksha__V1__StatusUpdate update;
	Raksha__V1__CaseLink link;
	Raksha__V1__Sighting sighting;
	uint8_t sighting_id[RAKSHA_UUID_LEN];
};

/* A sighting of case @case_id, a new id of its own. */
static enum raksha_kind set_sighting(ProtobufCBinaryData case_id, const struct unit_act_detail *d,
				     struct bodies *b, raksha_envelope *env)
{
	raksha__v1__sighting__init(&b->sighting);
	if (raksha_uuid7(b->sighting_id) < 0)
		return RAKSHA_KIND_NONE;  /* no body: encode() refuses it */
	b->sighting.sighting_id = (ProtobufCBinaryData){RAKSHA_UUID_LEN, b->sighting_id};
	b->sighting.report_id = case_id;
	b->sighting.place = (Raksha__V1__Place *)d->place;
	b->sighting.in_custody = d->in_custody;
	if (d->notes != NULL)
		b->sighting.notes = (char *)d->notes;
	env->body_case = RAKSHA__V1__ENVELOPE__BODY_SIGHTING;
	env->sighting = &b->sighting;
	return RAKSHA_KIND_SIGHTING;
}

/* The body of @a about @ids (the case; for a link, the found child and the
 * report) into @env, and the topic's kind. */
static Raksha__V1__UpdateStatus update_status(enum unit_action a)
{
	switch (a) {
	case ACTION_FOUND: return RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_FOUND;
	case ACTION_CANCELLED: return RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CANCELLED;
	default: return RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED;
	}
}

static enum raksha_kind set_body(enum unit_action a, const uint8_t *const ids[2],
				 const struct unit_act_detail *d, struct bodies *b, raksha_envelope *env)
{
	ProtobufCBinaryData case_id = {RAKSHA_UUID_LEN, (uint8_t *)ids[0]};
	if (a == ACTION_ACK) {
		raksha__v1__ack__init(&b->ack);
		b->ack.report_id = case_id;
		/* "we are on it" unless the officer said otherwise */
		b->ack.state = d->ack_state ? (Raksha__V1__AckState)d->ack_state
					    : RAKSHA__V1__ACK_STATE__ACK_STATE_ACTING;
		if (d->notes != NULL)
			b->ack.notes = (char *)d->notes;
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_ACK;
		env->ack = &b->ack;
		return RAKSHA_KIND_ACK;
	}
	if (a == ACTION_SIGHTING)
		return set_sighting(case_id, d, b, env);
	if (a == ACTION_LINK) {
		raksha__v1__case_link__init(&b->link);
		b->link.found_id = case_id;
		b->link.report_id = (ProtobufCBinaryData){RAKSHA_UUID_LEN, (uint8_t *)ids[1]};
		/* the officer's why if given; else only what is true of every link */
		b->link.notes = (char *)(d->notes != NULL ? d->notes : "possible match confirmed by an officer");
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_LINK;
		env->link = &b->link;
		return RAKSHA_KIND_LINK;
	}
	raksha__v1__status_update__init(&b->update);
	b->update.report_id = case_id;
	b->update.status = update_status(a);
	b->update.place = (Raksha__V1__Place *)d->place;
	if (d->handed_over_to != NULL)
		b->update.handed_over_to = (char *)d->handed_over_to;
	if (d->notes != NULL)
		b->update.notes = (char *)d->notes;
	env->body_case = RAKSHA__V1__ENVELOPE__BODY_UPDATE;
	env->update = &b->update;
	return RAKSHA_KIND_UPDATE;
}

/* The envelope of @a from the agent's unit, stamped, checked and encoded
 * for its topic raksha/v1/{state}/{region}/{agency}/{ack|update|link}. */
static int encode(const struct agent_config *c, enum unit_action a, const uint8_t *const ids[2],
		  const struct unit_act_detail *d, const struct unit_officer *officer, char *topic, uint8_t **buf, size_t *len,
		  uint8_t id[RAKSHA_UUID_LEN], struct raksha_problem *pr)
{
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	fill_origin(c, officer, &origin);
	struct bodies bodies;
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	env.origin = &origin;
	struct raksha_topic t = {.kind = set_body(a, ids, d, &bodies, &env)};
	snprintf(t.state, sizeof(t.state), "%s", c->state);
	snprintf(t.region, sizeof(t.region), "%s", c->region);
	snprintf(t.agency, sizeof(t.agency), "%s", c->agency);
	int r = raksha_topic_format(&t, topic, RAKSHA_TOPIC_MAX);  /* its length */
	if (r < 0) {
		snprintf(pr->text, sizeof(pr->text), "%s", strerror(-r));
		return r;
	}
	r = seal_envelope(c, &env, topic, id, buf, len, pr);
	if (r < 0 && pr->text[0] == '\0')
		snprintf(pr->text, sizeof(pr->text), "%s", strerror(-r));
	return r;
}

static void on_corrupt(void *ctx, const char *path, const char *reason)
{
	/* Moved aside by the library, never sent; the agent's log names them
	 * too. The board has no log line to give it, and the screen is busy. */
	(void)ctx;
	(void)path;
	(void)reason;
}

static void recount(struct unit_pub *p)
{
	int n = raksha_outbox_count(p->ob);
	p->queued = n < 0 ? p->queued : n;
}

/* Sends the outbox; the broker's verdict on each entry removes it. The
 * count follows at once, sent or not: an officer who queued an ack sees
 * "queued 1" now, not at the next count 30 s later. */
static int flush(struct unit_pub *p)
{
	int r = -ENOTCONN;
	if (raksha_client_is_connected(p->client))
		r = raksha_outbox_flush(p->ob, p->client, SEND_TIMEOUT_MS, on_corrupt, p, NULL);
	recount(p);
	return r;
}

static enum unit_said_why why_queued(int r)
{
	switch (r) {
	case -ENOTCONN: return UNIT_WHY_UNREACHABLE;
	case -ETIMEDOUT: return UNIT_WHY_NO_ANSWER;
	case -EWOULDBLOCK: return UNIT_WHY_BUSY;
	default: return UNIT_WHY_ERRNO;
	}
}

static int queue_and_send(struct unit_pub *p, const char *topic, uint8_t *buf, size_t len,
			  const uint8_t id[RAKSHA_UUID_LEN], struct unit_said *said);

/* @said made afresh about @what, as @p says it. */
static void said_start(const struct unit_pub *p, const char *what, struct unit_said *said)
{
	*said = (struct unit_said){.what = what, .sender = p->tag, .folder = p->outbox_dir,
				   .by_agent = p->c->outbox != NULL};
}

/* unit_pub_send() of @ids. */
static int send_ids(struct unit_pub *p, enum unit_action action, const uint8_t *const ids[2],
		    const struct unit_act_detail *d, const struct unit_officer *officer, struct unit_said *said)
{
	char topic[RAKSHA_TOPIC_MAX];
	uint8_t id[RAKSHA_UUID_LEN], *buf = NULL;
	size_t len = 0;
	struct raksha_problem pr = {0};
	said_start(p, action_name(action), said);
	int r = encode(p->c, action, ids, d, officer, topic, &buf, &len, id, &pr);
	if (r < 0) {
		said->code = UNIT_SAID_INVALID;
		snprintf(said->problem, sizeof(said->problem), "%s", pr.text);
		return r;
	}
	return queue_and_send(p, topic, buf, len, id, said);
}

/* Queues @buf (@len bytes, freed here), the envelope @id on @topic, and
 * sends the outbox: 1 sent, 0 queued, -EACCES refused, or a negative
 * errno if it could not be queued; @said says which. */
static int queue_and_send(struct unit_pub *p, const char *topic, uint8_t *buf, size_t len,
			  const uint8_t id[RAKSHA_UUID_LEN], struct unit_said *said)
{
	int r = raksha_outbox_put(p->ob, topic, buf, len, id);
	free(buf);
	said->err = -r;
	said->code = UNIT_SAID_NOT_QUEUED;
	if (r < 0)
		return r;
	if (!raksha_client_is_connected(p->client))
		raksha_client_wait_connected(p->client, CONNECT_GRACE_MS);
	r = flush(p);
	snprintf(said->topic, sizeof(said->topic), "%s", topic);
	said->code = UNIT_SAID_REFUSED;
	if (raksha_outbox_refused(p->ob, id))
		return -EACCES;
	said->code = UNIT_SAID_SENT;
	if (!raksha_outbox_contains(p->ob, id))
		return 1;
	said->code = UNIT_SAID_QUEUED;
	said->why = why_queued(r);
	said->err = -r;
	return 0;
}

int unit_pub_send(struct unit_pub *p, enum unit_action action, const uint8_t report_id[RAKSHA_UUID_LEN],
		  const struct unit_officer *officer, struct unit_said *said)
{
	return unit_pub_act(p, action, report_id, NULL, officer, said);
}

int unit_pub_act(struct unit_pub *p, enum unit_action action, const uint8_t report_id[RAKSHA_UUID_LEN],
		 const struct unit_act_detail *detail, const struct unit_officer *officer,
		 struct unit_said *said)
{
	static const struct unit_act_detail none = {0};
	const uint8_t *const ids[2] = {report_id, NULL};
	return send_ids(p, action, ids, detail ? detail : &none, officer, said);
}

int unit_pub_link(struct unit_pub *p, const uint8_t found_id[RAKSHA_UUID_LEN],
		  const uint8_t report_id[RAKSHA_UUID_LEN], const struct unit_officer *officer,
		  struct unit_said *said)
{
	static const struct unit_act_detail none = {0};
	const uint8_t *const ids[2] = {found_id, report_id};
	return send_ids(p, ACTION_LINK, ids, &none, officer, said);
}

void unit_pub_tick(struct unit_pub *p, int64_t now_ms)
{
	bool fresh = atomic_exchange(&p->reconnected, false);
	if (fresh || (p->queued > 0 && now_ms - p->last_count_ms >= RECOUNT_MS) ||
	    now_ms - p->last_count_ms >= RETRY_MS) {
		p->last_count_ms = now_ms;
		recount(p);
	}
	/* The agent sends a configured outbox itself, on its own connection;
	 * the default one only the board knows of. */
	if (p->queued > 0 && p->c->outbox == NULL && (fresh || now_ms - p->last_send_ms >= RETRY_MS)) {
		p->last_send_ms = now_ms;
		flush(p);
	}
}

bool unit_pub_connected(struct unit_pub *p, char *why, size_t size)
{
	bool up = raksha_client_is_connected(p->client);
	if (!up && why != NULL) {
		pthread_mutex_lock(&p->lock);
		snprintf(why, size, "%s", p->down_reason);
		pthread_mutex_unlock(&p->lock);
	}
	return up;
}

int unit_pub_queued(const struct unit_pub *p)
{
	return p->queued;
}

/* @body as the body of @env, of @kind (a report, a sighting or an update). */
static void put_body(raksha_envelope *env, enum raksha_kind kind, ProtobufCMessage *body)
{
	if (kind == RAKSHA_KIND_REPORT) {
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_REPORT;
		env->report = (Raksha__V1__Report *)(void *)body;
	} else if (kind == RAKSHA_KIND_SIGHTING) {
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_SIGHTING;
		env->sighting = (Raksha__V1__Sighting *)(void *)body;
	} else if (kind == RAKSHA_KIND_UPDATE) {
		env->body_case = RAKSHA__V1__ENVELOPE__BODY_UPDATE;
		env->update = (Raksha__V1__StatusUpdate *)(void *)body;
	}
}

/* The envelope around @body from the agent's unit and @officer, stamped,
 * and its topic. */
static int wrap(const struct unit_pub *p, enum raksha_kind kind, ProtobufCMessage *body,
		const struct unit_officer *officer, Raksha__V1__Origin *origin, raksha_envelope *env,
		uint8_t id[RAKSHA_UUID_LEN], char *topic)
{
	fill_origin(p->c, officer, origin);
	env->origin = origin;
	put_body(env, kind, body);
	struct raksha_topic t = {.kind = kind};
	snprintf(t.state, sizeof(t.state), "%s", p->c->state);
	snprintf(t.region, sizeof(t.region), "%s", p->c->region);
	snprintf(t.agency, sizeof(t.agency), "%s", p->c->agency);
	if (env->body_case == RAKSHA__V1__ENVELOPE__BODY__NOT_SET)
		return -EINVAL;
	int r = raksha_topic_format(&t, topic, RAKSHA_TOPIC_MAX);
	if (r < 0)
		return r;
	return raksha_envelope_stamp(env, id);
}

int unit_pub_check(const struct unit_pub *p, enum raksha_kind kind, ProtobufCMessage *body,
		   const struct unit_officer *officer, struct raksha_problem *pr)
{
	char topic[RAKSHA_TOPIC_MAX];
	uint8_t id[RAKSHA_UUID_LEN];
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	memset(pr, 0, sizeof(*pr));
	int r = wrap(p, kind, body, officer, &origin, &env, id, topic);
	if (r < 0) {
		snprintf(pr->text, sizeof(pr->text), "%s", strerror(-r));
		return r;
	}
	return raksha_envelope_check(&env, topic, NULL, pr);
}

int unit_pub_body(struct unit_pub *p, enum raksha_kind kind, ProtobufCMessage *body,
		  const struct unit_officer *officer, struct unit_said *said)
{
	char topic[RAKSHA_TOPIC_MAX];
	uint8_t id[RAKSHA_UUID_LEN], *buf = NULL;
	size_t len = 0;
	struct raksha_problem pr = {0};
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	said_start(p, raksha_kind_name(kind), said);
	int r = wrap(p, kind, body, officer, &origin, &env, id, topic);
	if (r == 0)
		r = seal_envelope(p->c, &env, topic, id, &buf, &len, &pr);
	if (r < 0) {
		said->code = UNIT_SAID_INVALID;
		snprintf(said->problem, sizeof(said->problem), "%s", pr.text[0] ? pr.text : strerror(-r));
		return r;
	}
	return queue_and_send(p, topic, buf, len, id, said);
}
