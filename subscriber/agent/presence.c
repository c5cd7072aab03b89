#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/presence.h"
#include "agent/seal.h"

int presence_topic(const struct agent_config *c, char *topic, size_t size)
{
	struct raksha_topic t = {.kind = RAKSHA_KIND_AGENT};
	snprintf(t.state, sizeof(t.state), "%s", c->state);
	snprintf(t.region, sizeof(t.region), "%s", c->region);
	snprintf(t.agency, sizeof(t.agency), "%s", c->agency);
	snprintf(t.agent_id, sizeof(t.agent_id), "%s", c->id);
	return raksha_topic_format(&t, topic, size) < 0 ? -EINVAL : 0;
}

int presence_make(const struct agent_config *c, bool online, int64_t started_ms, struct presence *out)
{
	if (presence_topic(c, out->topic, sizeof(out->topic)) < 0)
		return -EINVAL;
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	origin.state = c->state;
	origin.region = c->region;
	origin.agency = c->agency;
	origin.unit = c->unit ? c->unit : "";
	origin.sender_id = c->id;
	Raksha__V1__AgentStatus status = RAKSHA__V1__AGENT_STATUS__INIT;
	status.agent_id = c->id;
	status.online = online;
	status.started_at_ms = started_ms;
	status.version = (char *)raksha_version();
	status.n_subscriptions = c->n_filters;
	status.subscriptions = (char **)c->filters;
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	uint8_t id[RAKSHA_UUID_LEN];
	env.origin = &origin;
	env.body_case = RAKSHA__V1__ENVELOPE__BODY_AGENT;
	env.agent = &status;
	struct raksha_problem why;
	return seal_envelope(c, &env, out->topic, id, &out->bytes, &out->len, &why);
}

void presence_free(struct presence *p)
{
	free(p->bytes);
	p->bytes = NULL;
}

int presence_will_make(void *ctx, void **payload, size_t *len)
{
	struct presence_will *w = ctx;
	struct presence p;
	pthread_mutex_lock(&agent_config_mutex);
	int r = presence_make(w->c, false, w->started_ms, &p);
	pthread_mutex_unlock(&agent_config_mutex);
	if (r < 0)
		return r;
	uint8_t *copy = malloc(p.len);
	if (copy == NULL) {
		presence_free(&p);
		return -ENOMEM;
	}
	memcpy(copy, p.bytes, p.len);
	pthread_mutex_lock(&w->lock);
	free(w->last.bytes);
	w->last = p;  /* its topic, and the bytes the client is given */
	w->last.bytes = copy;
	pthread_mutex_unlock(&w->lock);
	*payload = p.bytes;  /* the client frees it */
	*len = p.len;
	return 0;
}

int presence_will_last(struct presence_will *w, struct presence *out)
{
	pthread_mutex_lock(&w->lock);
	int r = w->last.bytes == NULL ? -ENOENT : 0;
	*out = w->last;
	out->bytes = r == 0 ? malloc(w->last.len) : NULL;
	if (r == 0 && out->bytes == NULL)
		r = -ENOMEM;
	if (r == 0)
		memcpy(out->bytes, w->last.bytes, w->last.len);
	pthread_mutex_unlock(&w->lock);
	return r;
}

void presence_will_free(struct presence_will *w)
{
	presence_free(&w->last);
}
