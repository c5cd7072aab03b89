/* fill-history DB N: creates the agent database DB (which must not exist)
 * and stores N valid envelopes in it through the agent's own store.c, so
 * that the rows, indexes and case views are exactly what raksha-agent
 * writes. For bench/replay.sh.
 *
 * The mix: half reports (one in ten a new revision of a recent case), 15 %
 * sightings, 10 % status updates, 20 % acks and 5 % agent presence, from
 * 50 regions of two states (mp, up) and 5 agencies, arriving evenly over the
 * 30 days before now (N = 1,000,000: about 1,390 an hour). Every envelope
 * has a fresh UUIDv7 message_id whose time is its sent_at_ms. The choices
 * come from a fixed-seed generator: every fill of the same N is alike.
 * Durability "crash" and 10,000 envelopes a transaction, to fill fast. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "agent/store.h"
#include "tests/lib/sample.h"

#define SPAN_MS (INT64_C(30) * 24 * 3600 * 1000)
#define BATCH 10000
#define RECENT 256  /* cases that sightings, updates and acks refer to */

static const char *const MP[] = {
	"bhopal", "indore", "jabalpur", "gwalior", "ujjain", "sagar", "rewa", "satna", "vidisha",
	"sehore", "raisen", "narmadapuram", "betul", "chhindwara", "seoni", "katni", "damoh", "guna",
	"shivpuri", "morena", "bhind", "datia", "ratlam", "mandsaur", "neemuch", "dewas", "khandwa",
	"burhanpur", "bpl-div", "jbp-div"};
static const char *const UP[] = {
	"lucknow", "kanpur-nagar", "agra", "varanasi", "prayagraj", "gorakhpur", "jhansi", "mathura",
	"aligarh", "bareilly", "moradabad", "meerut", "ghaziabad", "ayodhya", "gonda", "basti",
	"firozabad", "lko-div", "jhs-div", "pryj-div"};
#define N_MP (sizeof(MP) / sizeof(MP[0]))
#define N_REGIONS (N_MP + sizeof(UP) / sizeof(UP[0]))
static const char *const AGENCIES[] = {"grp", "rpf", "police", "childline", "cwc"};
static const char *const NAMES[] = {"सीमा कुमारी", "Ravi Yadav", "आरती", "Mohd. Arif", "Pooja Ahirwar",
				    "सुनील", "Kavya Singh", "Imran"};

struct recent {
	uint8_t id[RAKSHA_UUID_LEN];
	uint32_t revision;
};

struct fill {
	uint64_t rng;
	struct recent cases[RECENT];
	size_t n_cases;
	long per_kind[RAKSHA_KIND_AGENT + 1];
};

static uint32_t next(struct fill *f)
{
	f->rng ^= f->rng << 13;  /* xorshift64 */
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return (uint32_t)(f->rng >> 32);
}

/* A fresh UUIDv7 carrying @ms as its time (raksha_uuid7() gives now's). */
static int uuid_at(uint8_t id[RAKSHA_UUID_LEN], int64_t ms)
{
	if (raksha_uuid7(id) < 0)
		return -1;
	for (int i = 0; i < 6; i++)
		id[i] = (uint8_t)((uint64_t)ms >> (40 - 8 * i));
	return 0;
}

static enum raksha_kind pick_kind(struct fill *f)
{
	uint32_t r = next(f) % 100;
	if (f->n_cases == 0 || r < 50)
		return RAKSHA_KIND_REPORT;
	if (r < 65)
		return RAKSHA_KIND_SIGHTING;
	if (r < 75)
		return RAKSHA_KIND_UPDATE;
	if (r < 95)
		return RAKSHA_KIND_ACK;
	return RAKSHA_KIND_AGENT;
}

/* The case a report opens (or revises), or the one another kind is about. */
static int pick_case(struct fill *f, struct sample *s, enum raksha_kind kind)
{
	struct recent *c = &f->cases[next(f) % (f->n_cases ? f->n_cases : 1)];
	if (kind == RAKSHA_KIND_REPORT && (f->n_cases == 0 || next(f) % 10 != 0)) {
		c = &f->cases[f->n_cases < RECENT ? f->n_cases++ : next(f) % RECENT];
		if (uuid_at(c->id, s->env.sent_at_ms) < 0)
			return -1;
		c->revision = 0;
	}
	if (kind == RAKSHA_KIND_REPORT)
		s->report.revision = ++c->revision;
	memcpy(s->report_id, c->id, RAKSHA_UUID_LEN);
	return 0;
}

/* Who sent it: the origin, the topic, and the presence fields. */
static void set_origin(struct fill *f, struct sample *s, char *unit, char *agent_id)
{
	size_t region = next(f) % N_REGIONS;
	const char *agency = AGENCIES[next(f) % 5];
	s->origin.state = region < N_MP ? "mp" : "up";
	s->origin.region = (char *)(region < N_MP ? MP[region] : UP[region - N_MP]);
	s->origin.agency = (char *)agency;
	snprintf(unit, 64, "%s %s", agency, s->origin.region);
	snprintf(agent_id, 64, "%s-%s-%s-1", s->origin.state, s->origin.region, agency);
	s->origin.unit = unit;
	s->origin.sender_id = agent_id;
	s->agent.agent_id = agent_id;
	s->place.district = s->origin.region;
	struct raksha_topic t = {.kind = raksha_envelope_kind(&s->env)};
	snprintf(t.state, sizeof(t.state), "%s", s->origin.state);
	snprintf(t.region, sizeof(t.region), "%s", s->origin.region);
	snprintf(t.agency, sizeof(t.agency), "%s", agency);
	if (t.kind == RAKSHA_KIND_AGENT)
		snprintf(t.agent_id, sizeof(t.agent_id), "%s", agent_id);
	raksha_topic_format(&t, s->topic, sizeof(s->topic));
}

/* Every unit of the fill may change every case (a roster of supervisors):
 * its random senders' revisions and closes are stored as the agent stores
 * the changes it takes, and the log holds all N envelopes. */
static bool everyone(void *ctx, const Raksha__V1__Origin *origin)
{
	(void)ctx;
	(void)origin;
	return true;
}

/* Makes one envelope, received at @received_ms, and stores it. */
static int store_one(struct fill *f, struct store *st, int64_t received_ms)
{
	struct sample s;
	char unit[64], agent_id[64];
	enum raksha_kind kind = pick_kind(f);
	raksha_envelope *env = sample_make(&s, kind);
	env->sent_at_ms = received_ms - 50 - next(f) % 2000;
	s.place.time_ms = env->sent_at_ms - next(f) % (6 * 3600 * 1000);
	s.agent.started_at_ms = env->sent_at_ms - next(f) % (24 * 3600 * 1000);
	s.child.name = (char *)NAMES[next(f) % (sizeof(NAMES) / sizeof(NAMES[0]))];
	s.update.status = 1 + next(f) % 4;  /* found .. closed */
	s.ack.state = 1 + next(f) % 3;      /* received .. done */
	if (uuid_at(s.message_id, env->sent_at_ms) < 0 || uuid_at(s.sighting_id, env->sent_at_ms) < 0 ||
	    pick_case(f, &s, kind) < 0)
		return -1;
	set_origin(f, &s, unit, agent_id);
	uint8_t *buf;
	size_t len;
	struct raksha_problem p;
	if (raksha_envelope_encode(env, s.topic, NULL, &buf, &len, &p) < 0) {
		fprintf(stderr, "fill-history: %s: %s\n", s.topic, p.text);
		return -1;
	}
	int r = store_envelope_in(st, s.topic, env, buf, len, received_ms);
	free(buf);
	f->per_kind[kind]++;
	return r == 1 ? 0 : -1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One batch of the fill: envelopes @at to @at + BATCH (or @n). */
struct batch {
	struct fill *f;
	long at, n;
	int64_t end_ms;
};

static int fill_batch(struct store *st, void *ctx)
{
	const struct batch *b = ctx;
	for (long j = b->at; j < b->n && j < b->at + BATCH; j++)
		if (store_one(b->f, st, b->end_ms - SPAN_MS + (int64_t)((double)j * SPAN_MS / b->n)) < 0)
			return -1;
	return 0;
}

static int fill(struct store *st, long n, int64_t end_ms, struct fill *f)
{
	for (long i = 0; i < n; i += BATCH) {
		struct batch b = {f, i, n, end_ms};
		if (store_transaction(st, fill_batch, &b) < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc == 3 ? atol(argv[2]) : 0;
	if (n < 1) {
		fprintf(stderr, "usage: fill-history DB N\n");
		return EX_USAGE;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "fill-history: %s exists; give a new file\n", argv[1]);
		return EX_CANTCREAT;
	}
	struct store *st;
	char err[256];
	if (store_open(argv[1], DURABILITY_CRASH, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "fill-history: %s: %s\n", argv[1], err);
		return EX_CANTCREAT;
	}
	store_set_supervisors(st, everyone, NULL);
	struct fill f = {.rng = 0x9e3779b97f4a7c15u};
	int64_t end_ms = (int64_t)time(NULL) / 3600 * 3600 * 1000;  /* the last whole hour */
	double t0 = now_s();
	int r = fill(st, n, end_ms, &f);
	store_close(st);
	if (r < 0) {
		fprintf(stderr, "fill-history: storing failed\n");
		return EX_SOFTWARE;
	}
	double t = now_s() - t0;
	printf("fill-history: %ld envelopes (%ld reports, %ld sightings, %ld updates, %ld acks, "
	       "%ld agent) over %lld..%lld ms in %.1f s (%.0f/s)\n",
	       n, f.per_kind[RAKSHA_KIND_REPORT], f.per_kind[RAKSHA_KIND_SIGHTING],
	       f.per_kind[RAKSHA_KIND_UPDATE], f.per_kind[RAKSHA_KIND_ACK], f.per_kind[RAKSHA_KIND_AGENT],
	       (long long)(end_ms - SPAN_MS), (long long)end_ms, t, (double)n / t);
	return EX_OK;
}
