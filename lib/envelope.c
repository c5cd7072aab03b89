/* Decode-with-validation and encode of envelopes. The order of checks is the
 * order of cost: size, protobuf framing, the raw bytes (NUL in strings, a
 * field twice, lists and unknown fields counted), strings, fields, then the
 * topic. Framing and raw bytes are read before protobuf-c's unpack, which
 * allocates for every field it meets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/envelope.h>
#include <raksha/uuid.h>

#include "common/clock.h"
#include "lib/arena.h"
#include "lib/check_body.h"
#include "lib/check_strings.h"
#include "lib/envelope_arena.h"
#include "lib/problem.h"
#include "lib/wire_scan.h"

static size_t size_limit(const struct raksha_check_options *o)
{
	return (o != NULL && o->max_size != 0) ? o->max_size : RAKSHA_ENVELOPE_SIZE_DEFAULT;
}

enum raksha_kind raksha_envelope_kind(const raksha_envelope *env)
{
	switch (env->body_case) {
	case RAKSHA__V1__ENVELOPE__BODY_REPORT: return RAKSHA_KIND_REPORT;
	case RAKSHA__V1__ENVELOPE__BODY_SIGHTING: return RAKSHA_KIND_SIGHTING;
	case RAKSHA__V1__ENVELOPE__BODY_UPDATE: return RAKSHA_KIND_UPDATE;
	case RAKSHA__V1__ENVELOPE__BODY_ACK: return RAKSHA_KIND_ACK;
	case RAKSHA__V1__ENVELOPE__BODY_ESCALATION: return RAKSHA_KIND_ESCALATION;
	case RAKSHA__V1__ENVELOPE__BODY_AGENT: return RAKSHA_KIND_AGENT;
	case RAKSHA__V1__ENVELOPE__BODY_LINK: return RAKSHA_KIND_LINK;
	default: return RAKSHA_KIND_NONE;
	}
}

const ProtobufCBinaryData *raksha_envelope_report_id(const raksha_envelope *env)
{
	const ProtobufCBinaryData *id;
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT: id = &env->report->report_id; break;
	case RAKSHA_KIND_SIGHTING: id = &env->sighting->report_id; break;
	case RAKSHA_KIND_UPDATE: id = &env->update->report_id; break;
	case RAKSHA_KIND_ACK: id = &env->ack->report_id; break;
	case RAKSHA_KIND_ESCALATION: id = &env->escalation->report_id; break;
	case RAKSHA_KIND_LINK: id = &env->link->report_id; break;
	default: return NULL;
	}
	return id->len > 0 ? id : NULL;
}

/* The first level of @t that origin @o does not match, or NULL. */
static const char *origin_differs(const Raksha__V1__Origin *o, const struct raksha_topic *t)
{
	if (strcmp(o->state, t->state) != 0)
		return "state";
	if (strcmp(o->region, t->region) != 0)
		return "region";
	if (strcmp(o->agency, t->agency) != 0)
		return "agency";
	return NULL;
}

/* The envelope must say what its topic says: a unit cannot post a report on
 * another unit's topic, nor a sighting on a report topic. */
static int check_against_topic(const raksha_envelope *env, const char *topic,
			       struct raksha_problem *p)
{
	struct raksha_topic t;
	int r = raksha_topic_parse(topic, &t, p);
	if (r < 0)
		return r;
	enum raksha_kind kind = raksha_envelope_kind(env);
	if (kind != t.kind)
		return problem_set(p, -EPROTO, RAKSHA_CAUSE_KIND_MISMATCH,
				   "body: %s body on a %s topic", raksha_kind_name(kind),
				   raksha_kind_name(t.kind));
	const char *field = origin_differs(env->origin, &t);
	if (field != NULL)
		return problem_set(p, -EPROTO, RAKSHA_CAUSE_ORIGIN_MISMATCH,
				   "origin.%s: differs from the topic's %s", field, field);
	if (kind == RAKSHA_KIND_AGENT && strcmp(env->agent->agent_id, t.agent_id) != 0)
		return problem_set(p, -EPROTO, RAKSHA_CAUSE_ORIGIN_MISMATCH,
				   "agent.agent_id: '%s' differs from the topic's '%s'",
				   env->agent->agent_id, t.agent_id);
	return 0;
}

int raksha_envelope_check(const raksha_envelope *env, const char *topic,
			  const struct raksha_check_options *opts,
			  struct raksha_problem *problem)
{
	if (env == NULL)
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID, "envelope: missing");
	int64_t now = (opts != NULL && opts->now_ms != 0) ? opts->now_ms : clock_wall_ms();
	int r = check_strings(&env->base, problem);
	if (r < 0)
		return r;
	r = check_body(env, problem);
	if (r < 0)
		return r;
	if (topic != NULL)
		r = check_against_topic(env, topic, problem);
	if (r < 0)
		return r;
	/* Last: refused for this alone, the envelope is right in every other
	 * way, and can be kept to be checked again once the clocks agree. */
	return check_clock(env, now, problem);
}

static int undecodable(struct raksha_problem *p, const char *why)
{
	return problem_set(p, -EBADMSG, RAKSHA_CAUSE_UNDECODABLE, "envelope: not a raksha.v1.Envelope: %s",
			   why);
}

/* wire_diagnose(), then wire_check(): a framing fault anywhere is said
 * first. wire_check() finds every framing fault too, so bytes it passes
 * have none, and the usual envelope is read once (a second walk of every
 * envelope was a tenth of a replay's decode: docs/benchmarks.md, issue 19
 * part 5); refused bytes take both scans, in that order, for their words. */
static int wire_scan(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		     char *why, size_t size, struct raksha_problem *problem)
{
	if (wire_check(desc, data, len, NULL) == 0)
		return 0;
	if (wire_diagnose(desc, data, len, why, size) < 0)
		return undecodable(problem, why);
	return wire_check(desc, data, len, problem);
}

/* raksha_envelope_decode() with protobuf-c's memory from @alloc (NULL:
 * malloc). */
static int decode_with(ProtobufCAllocator *alloc, const void *data, size_t len, const char *topic,
		       const struct raksha_check_options *opts, raksha_envelope **out,
		       struct raksha_problem *problem)
{
	size_t max = size_limit(opts);
	if (len > max)
		return problem_set(problem, -EMSGSIZE, RAKSHA_CAUSE_OVERSIZE,
				   "envelope: %zu bytes, larger than the limit of %zu", len, max);
	if (data == NULL && len > 0)
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID, "envelope: no data");
	/* The raw bytes first: protobuf-c's unpack spends memory on every field
	 * (wire_scan.h), so it sees only bytes whose cost is bounded. */
	const ProtobufCMessageDescriptor *desc = &raksha__v1__envelope__descriptor;
	char why[200];
	int r = wire_scan(desc, data, len, why, sizeof(why), problem);
	if (r < 0)
		return r;
	raksha_envelope *env = raksha__v1__envelope__unpack(alloc, len, data);
	if (env == NULL) {
		wire_diagnose(desc, data, len, why, sizeof(why));
		return undecodable(problem, why);
	}
	r = raksha_envelope_check(env, topic, opts, problem);
	if (r < 0) {
		raksha__v1__envelope__free_unpacked(env, alloc);
		return r;
	}
	*out = env;
	return 0;
}

int raksha_envelope_decode(const void *data, size_t len, const char *topic,
			   const struct raksha_check_options *opts,
			   raksha_envelope **out, struct raksha_problem *problem)
{
	return decode_with(NULL, data, len, topic, opts, out, problem);
}

void raksha_envelope_free(raksha_envelope *env)
{
	if (env != NULL)
		raksha__v1__envelope__free_unpacked(env, NULL);
}

/* A report without a photo takes about 3 KiB unpacked: a first block of
 * 16 KiB holds every row of a history but those with photos. */
#define ENVELOPE_ARENA_FIRST (16u * 1024u)

struct raksha_envelope_arena {
	struct arena *arena;
};

/* What an envelope takes unpacked beyond its bytes (which its strings and
 * bytes fields copy): protobuf-c's structs, pointers and terminators, about
 * 1.1 KiB for a report (bench's 732-byte one: 1,824 bytes unpacked). The
 * arena of one received envelope is its bytes and this, so that the usual
 * one decodes in one block, no larger than malloc's 54 chunks were. */
#define ENVELOPE_ARENA_SLACK (2u * 1024u)

static struct raksha_envelope_arena *arena_sized(size_t first)
{
	struct raksha_envelope_arena *ea = malloc(sizeof(*ea));
	if (ea == NULL)
		return NULL;
	ea->arena = arena_new(first);
	if (ea->arena == NULL) {
		free(ea);
		errno = ENOMEM;
		return NULL;
	}
	return ea;
}

struct raksha_envelope_arena *raksha_envelope_arena_new(void)
{
	return arena_sized(ENVELOPE_ARENA_FIRST);
}

int envelope_decode_own(const void *data, size_t len, const char *topic,
			const struct raksha_check_options *opts, struct raksha_envelope_arena **arena,
			raksha_envelope **out, struct raksha_problem *problem)
{
	*arena = NULL;
	/* Never an arena for bytes the size limit refuses: it would be as large. */
	struct raksha_envelope_arena *ea = len <= size_limit(opts) ? arena_sized(len + ENVELOPE_ARENA_SLACK) : NULL;
	if (ea == NULL)
		return raksha_envelope_decode(data, len, topic, opts, out, problem);
	ProtobufCAllocator alloc = arena_allocator(ea->arena);
	int r = decode_with(&alloc, data, len, topic, opts, out, problem);
	if (r < 0) {
		raksha_envelope_arena_free(ea);
		return r;
	}
	*arena = ea;
	return 0;
}

void raksha_envelope_arena_free(struct raksha_envelope_arena *ea)
{
	if (ea == NULL)
		return;
	arena_free(ea->arena);
	free(ea);
}

int raksha_envelope_decode_in(struct raksha_envelope_arena *ea, const void *data, size_t len,
			      const char *topic, const struct raksha_check_options *opts,
			      raksha_envelope **out, struct raksha_problem *problem)
{
	arena_reset(ea->arena);
	ProtobufCAllocator alloc = arena_allocator(ea->arena);
	return decode_with(&alloc, data, len, topic, opts, out, problem);
}

int raksha_envelope_encode(const raksha_envelope *env, const char *topic,
			   const struct raksha_check_options *opts,
			   uint8_t **out, size_t *len, struct raksha_problem *problem)
{
	int r = raksha_envelope_check(env, topic, opts, problem);
	if (r < 0)
		return r;
	size_t n = raksha__v1__envelope__get_packed_size(env), max = size_limit(opts);
	if (n > max)
		return problem_set(problem, -EMSGSIZE, RAKSHA_CAUSE_OVERSIZE,
				   "envelope: %zu bytes, larger than the limit of %zu", n, max);
	uint8_t *buf = malloc(n > 0 ? n : 1);
	if (buf == NULL)
		return problem_set(problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "envelope: out of memory");
	raksha__v1__envelope__pack(env, buf);
	/* Pack writes each field once, but also the unknown fields a decoded
	 * envelope kept, or a program added: no more than a decode takes. */
	r = wire_check(&raksha__v1__envelope__descriptor, buf, n, problem);
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = buf;
	*len = n;
	return 0;
}

int raksha_envelope_stamp(raksha_envelope *env, uint8_t id_storage[RAKSHA_UUID_LEN])
{
	uint8_t *dst = env->message_id.data != NULL ? env->message_id.data : id_storage;
	int r = raksha_uuid7(dst);
	if (r < 0)
		return r;
	env->message_id.data = dst;
	env->message_id.len = RAKSHA_UUID_LEN;
	env->sent_at_ms = clock_wall_ms();
	return 0;
}

size_t envelope_arena_held(const struct raksha_envelope_arena *ea)
{
	return arena_held(ea->arena);
}

size_t envelope_arena_blocks(const struct raksha_envelope_arena *ea)
{
	return arena_blocks(ea->arena);
}
