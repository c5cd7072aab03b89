/* Text first (lib/outbox_order.h): which entries a flush's first pass takes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/envelope.h>

#include "lib/outbox_order.h"

/* A list of 16-byte ids. */
struct ids {
	uint8_t (*v)[RAKSHA_UUID_LEN];
	size_t n, cap;
};

struct outbox_order {
	struct ids held_cases;  /* the cases of the entries held so far */
	struct ids taken;       /* the entries taken, ascending (the scan's order) */
	bool held;              /* an entry was held */
	bool blind;             /* one could not be decoded: hold everything after it */
};

static int ids_add(struct ids *s, const uint8_t *id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *v = realloc(s->v, cap * sizeof(*s->v));
		if (v == NULL)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	memcpy(s->v[s->n++], id, RAKSHA_UUID_LEN);
	return 0;
}

static bool ids_has(const struct ids *s, const uint8_t *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (memcmp(s->v[i], id, RAKSHA_UUID_LEN) == 0)
			return true;
	return false;
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, RAKSHA_UUID_LEN);
}

/* The cases @env is about, at most two, into @cases: its report's, else a
 * found child's own sighting_id; a link names both. Returns how many. */
static int cases_of(const raksha_envelope *env, const uint8_t *cases[2])
{
	int n = 0;
	const ProtobufCBinaryData *report = raksha_envelope_report_id(env);
	if (report != NULL && report->len == RAKSHA_UUID_LEN)
		cases[n++] = report->data;
	enum raksha_kind kind = raksha_envelope_kind(env);
	if (kind == RAKSHA_KIND_SIGHTING && report == NULL && env->sighting->sighting_id.len == RAKSHA_UUID_LEN)
		cases[n++] = env->sighting->sighting_id.data;
	if (kind == RAKSHA_KIND_LINK && env->link->found_id.len == RAKSHA_UUID_LEN)
		cases[n++] = env->link->found_id.data;
	return n;
}

/* Holds the entry whose cases are @cases (@n): they wait with it. */
static int hold(struct outbox_order *o, const uint8_t *const *cases, int n)
{
	o->held = true;
	for (int i = 0; i < n; i++)
		if (!ids_has(&o->held_cases, cases[i]) && ids_add(&o->held_cases, cases[i]) < 0)
			return -ENOMEM;
	return 0;
}

static int judge(struct outbox_order *o, const struct raksha_outbox_entry *e, const raksha_envelope *env)
{
	const uint8_t *cases[2];
	int n = cases_of(env, cases);
	bool wait = e->len > OUTBOX_TEXT_FIRST_MAX;
	for (int i = 0; i < n && !wait; i++)
		wait = ids_has(&o->held_cases, cases[i]);
	if (wait)
		return hold(o, cases, n);
	return ids_add(&o->taken, e->message_id) < 0 ? -ENOMEM : 1;
}

int outbox_order_first(struct outbox_order *o, const struct raksha_outbox_entry *e)
{
	if (o->blind)
		return hold(o, NULL, 0);
	/* Nothing held yet: a small entry goes whatever its case, undecoded
	 * (an outbox of text alone is not decoded at all, as before). */
	if (!o->held && e->len <= OUTBOX_TEXT_FIRST_MAX)
		return ids_add(&o->taken, e->message_id) < 0 ? -ENOMEM : 1;
	raksha_envelope *env = NULL;
	/* No topic: what its topic says was checked when it was queued, and a
	 * case is read from the body alone. */
	if (raksha_envelope_decode(e->payload, e->len, NULL, NULL, &env, NULL) < 0) {
		o->blind = true;
		return hold(o, NULL, 0);
	}
	int r = judge(o, e, env);
	raksha_envelope_free(env);
	return r;
}

bool outbox_order_held_any(const struct outbox_order *o)
{
	return o->held;
}

bool outbox_order_taken(const struct outbox_order *o, const uint8_t id[RAKSHA_UUID_LEN])
{
	return o->taken.n > 0 && bsearch(id, o->taken.v, o->taken.n, sizeof(*o->taken.v), cmp_id) != NULL;
}

struct outbox_order *outbox_order_new(void)
{
	return calloc(1, sizeof(struct outbox_order));
}

void outbox_order_free(struct outbox_order *o)
{
	if (o == NULL)
		return;
	free(o->held_cases.v);
	free(o->taken.v);
	free(o);
}
