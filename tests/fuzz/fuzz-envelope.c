/* fuzz-envelope: raksha_envelope_decode() (lib/envelope.c, check_*.c,
 * wire_scan.c) on arbitrary bytes, as an agent does with every MQTT payload.
 *
 * Input: one byte choosing the topic it "arrived" on (its low 3 bits: 0..5 a
 * topic of each kind for mp/bhopal/grp, as tests/lib/sample.c's envelopes
 * carry; 6 and 7 no topic, as raksha-inspect reads a file), then the payload.
 *
 * Oracles, for every payload decode accepts:
 *  - encode accepts the decoded envelope (a checked envelope is encodable),
 *    and decoding those bytes and encoding again gives the same bytes;
 *  - decode without a topic and with the limit at its exact size accepts it,
 *    and a limit one byte smaller refuses it with -EMSGSIZE;
 *  - it renders to JSON (lib/json.c), compact and pretty with photo sizes
 *    (a checked envelope never fails with -EILSEQ);
 *  - that JSON parses back (lib/json_parse.c) into an envelope that passes
 *    every check on the same topic and renders to the same JSON text, and
 *    packs to the bytes the decoded envelope packs to (<raksha/json.h>'s
 *    promise), its doubles rounded to the renderer's 15 significant digits,
 *    unless it holds unknown fields (which JSON has no place for);
 *  - in none of its messages does a field that is not repeated come twice,
 *    nor two members of one oneof (decoders would read it differently), by
 *    a reading of the raw input of the target's own (once_each()).
 * Every refusal must set a cause and a text; one for a field given twice
 * must be true of the input by once_each() too. And decoded into an arena
 * (raksha_envelope_decode_in(): protobuf-c's memory from lib/arena.c, as
 * the client's receive thread decodes each message, envelope_decode_own()),
 * every input gets the same verdict, errno, cause and text, and an
 * accepted one packs to the same bytes. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <raksha/raksha.h>

#include "tests/fuzz/fuzz.h"

static const char *const topics[8] = {
	"raksha/v1/mp/bhopal/grp/report",
	"raksha/v1/mp/bhopal/grp/sighting",
	"raksha/v1/mp/bhopal/grp/update",
	"raksha/v1/mp/bhopal/grp/ack",
	"raksha/v1/mp/bhopal/grp/escalation",
	"raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1",
	NULL,
	NULL,
};

/* Reads one varint at *@pos of @p (@len bytes); false if it runs past. */
static bool varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64 && *pos < len; shift += 7) {
		uint8_t b = p[(*pos)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* Whether @fd, seen now, clashes with a field seen before in its message:
 * the same field, or another member of its oneof (a oneof's members share
 * the offset of its case). */
static bool clashes(const ProtobufCFieldDescriptor *fd, const ProtobufCFieldDescriptor *const *seen,
		    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (seen[i] == fd)
			return true;
		if ((fd->flags & seen[i]->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    fd->quantifier_offset == seen[i]->quantifier_offset)
			return true;
	}
	return false;
}

/* False if a message in @p (@len bytes of a @desc) has a field that is not
 * repeated twice, or two members of one oneof; unknown fields may repeat.
 * Written apart from lib/wire_scan.c (a list of fields seen, not a bitset
 * by index) to check it. Bytes it cannot read are protobuf-c's to judge. */
static bool once_each(const ProtobufCMessageDescriptor *desc, const uint8_t *p, size_t len, int depth)
{
	const ProtobufCFieldDescriptor *seen[64];
	size_t n_seen = 0;
	size_t pos = 0;
	uint64_t key, n;
	while (pos < len && depth < 32 && varint(p, len, &pos, &key)) {
		const ProtobufCFieldDescriptor *fd = NULL;
		if (key >> 3 > 0 && key >> 3 <= UINT32_MAX)
			fd = protobuf_c_message_descriptor_get_field(desc, (unsigned)(key >> 3));
		if (fd != NULL && fd->label != PROTOBUF_C_LABEL_REPEATED) {
			if (clashes(fd, seen, n_seen))
				return false;
			if (n_seen < 64)
				seen[n_seen++] = fd;
		}
		switch (key & 7) {
		case 0:
			if (!varint(p, len, &pos, &n))
				return true;
			n = 0; /* the value was the varint */
			break;
		case 1: n = 8; break;
		case 5: n = 4; break;
		case 2:
			if (!varint(p, len, &pos, &n) || n > len - pos)
				return true;
			if (fd != NULL && fd->type == PROTOBUF_C_TYPE_MESSAGE &&
			    !once_each(fd->descriptor, p + pos, (size_t)n, depth + 1))
				return false;
			break;
		default: return true;
		}
		if (n > len - pos)
			return true;
		pos += (size_t)n;
	}
	return true;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether @text is the refusal of a field given twice: a field path (names,
 * dots, " and "), then its words; never a quoted string of the input. */
static bool says_twice(const char *text)
{
	const char *rest = text + strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789_. ");
	return starts(rest, ": appears twice (again at byte ") ||
	       starts(rest, ": two members of one oneof (the second at byte ");
}

static char *render(const ProtobufCMessage *msg, unsigned flags)
{
	char *json = NULL;
	int r = raksha_message_to_json(msg, flags, &json);
	FUZZ_CHECK(r == 0 && json != NULL, "a checked envelope did not render (flags %u): %d", flags, r);
	return json;
}

/* Rounds every double in @msg to 15 significant digits, as the JSON
 * renderer writes them. False if @msg or a message in it holds unknown
 * fields. */
static bool round_doubles(ProtobufCMessage *msg)
{
	bool known = msg->n_unknown_fields == 0;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		char *field = (char *)msg + fd->offset;
		size_t n = 1;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			n = *(size_t *)((char *)msg + fd->quantifier_offset);
			field = *(char **)field;
		} else if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
			   *(uint32_t *)((char *)msg + fd->quantifier_offset) != fd->id) {
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
				ProtobufCMessage *m = ((ProtobufCMessage **)field)[k];
				if (m != NULL && !round_doubles(m))
					known = false;
			} else if (fd->type == PROTOBUF_C_TYPE_DOUBLE) {
				double *v = &((double *)field)[k];
				char text[64];
				snprintf(text, sizeof(text), "%.15g", *v);
				*v = strtod(text, NULL);
			}
		}
	}
	return known;
}

/* The JSON of @env parses back to an envelope that passes the checks and
 * renders the same. */
static void json_round_trip(raksha_envelope *env, const char *topic,
			    const struct raksha_check_options *opts)
{
	char *json = render(&env->base, RAKSHA_JSON_COMPACT);
	FUZZ_CHECK(strchr(json, '\n') == NULL, "compact JSON holds a newline: %s", json);
	free(render(&env->base, RAKSHA_JSON_PRETTY | RAKSHA_JSON_PHOTO_SIZES));

	ProtobufCMessage *back = NULL;
	struct raksha_problem p = {0};
	int r = raksha_message_from_json(&raksha__v1__envelope__descriptor, json, strlen(json),
					 &back, &p);
	FUZZ_CHECK(r == 0, "rendered JSON refused by the parser: %s (%s)", p.text, json);
	r = raksha_envelope_check((const raksha_envelope *)back, topic, opts, &p);
	FUZZ_CHECK(r == 0, "the envelope parsed from its own JSON fails a check: %s (%s)", p.text, json);
	char *again = render(back, RAKSHA_JSON_COMPACT);
	FUZZ_CHECK(strcmp(json, again) == 0, "JSON changed through parse and render:\n%s\n%s", json, again);
	free(again);

	/* The same bytes, but for what JSON cannot hold. */
	if (round_doubles(&env->base)) {
		size_t n = raksha__v1__envelope__get_packed_size(env);
		size_t m = protobuf_c_message_get_packed_size(back);
		uint8_t *a = malloc(n + 1), *b = malloc(m + 1);
		FUZZ_CHECK(a != NULL && b != NULL, "out of memory");
		raksha__v1__envelope__pack(env, a);
		protobuf_c_message_pack(back, b);
		FUZZ_CHECK(n == m && memcmp(a, b, n) == 0,
			   "packing the envelope parsed from its JSON gives other bytes (%zu, %zu): %s", n, m,
			   json);
		free(a);
		free(b);
	}
	protobuf_c_message_free_unpacked(back, NULL);
	free(json);
}

/* The same decode into an arena: the verdict @r and problem @p of
 * raksha_envelope_decode(), and @env's bytes. */
static void same_in_arena(const uint8_t *data, size_t size, const char *topic,
			  const struct raksha_check_options *opts, int r, const struct raksha_problem *p,
			  const raksha_envelope *env)
{
	static struct raksha_envelope_arena *ea;
	if (ea == NULL)
		ea = raksha_envelope_arena_new();
	FUZZ_CHECK(ea != NULL, "no arena");
	struct raksha_problem q = {0};
	raksha_envelope *in = NULL;
	int s = raksha_envelope_decode_in(ea, data, size, topic, opts, &in, &q);
	FUZZ_CHECK(s == r && q.cause == p->cause && strcmp(q.text, p->text) == 0,
		   "in an arena: %d '%s', against %d '%s'", s, q.text, r, p->text);
	if (r < 0)
		return;
	size_t n = raksha__v1__envelope__get_packed_size(env);
	FUZZ_CHECK(raksha__v1__envelope__get_packed_size(in) == n, "in an arena: another size");
	uint8_t *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);
	FUZZ_CHECK(a != NULL && b != NULL, "out of memory");
	raksha__v1__envelope__pack(env, a);
	raksha__v1__envelope__pack(in, b);
	FUZZ_CHECK(memcmp(a, b, n) == 0, "in an arena: another envelope");
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *topic = topics[data[0] & 7];
	data++;
	size--;

	struct raksha_check_options opts = {.now_ms = FUZZ_NOW_MS};
	struct raksha_problem p = {0};
	raksha_envelope *env = NULL;
	int r = raksha_envelope_decode(data, size, topic, &opts, &env, &p);
	same_in_arena(data, size, topic, &opts, r, &p, env);
	if (r < 0) {
		FUZZ_CHECK(env == NULL, "refused (%d) but an envelope came out", r);
		FUZZ_CHECK(p.cause != RAKSHA_CAUSE_NONE && p.text[0] != '\0',
			   "refused (%d) without a cause or text", r);
		FUZZ_CHECK(!says_twice(p.text) || (r == -EINVAL && p.cause == RAKSHA_CAUSE_INVALID &&
				      !once_each(&raksha__v1__envelope__descriptor, data, size, 0)),
			   "refused for a field twice, which the input does not hold: %s", p.text);
		return 0;
	}
	FUZZ_CHECK(env != NULL, "accepted, no envelope");
	FUZZ_CHECK(once_each(&raksha__v1__envelope__descriptor, data, size, 0),
		   "accepted an envelope that gives a field twice, or two members of a oneof");
	if (topic != NULL) {
		struct raksha_topic t;
		FUZZ_CHECK(raksha_topic_parse(topic, &t, NULL) == 0 && raksha_envelope_kind(env) == t.kind,
			   "accepted a %s body on %s", raksha_kind_name(raksha_envelope_kind(env)), topic);
	}

	/* Re-encoding: accepted, and stable from then on. */
	uint8_t *b1 = NULL, *b2 = NULL;
	size_t n1 = 0, n2 = 0;
	r = raksha_envelope_encode(env, topic, &opts, &b1, &n1, &p);
	FUZZ_CHECK(r == 0, "a decoded envelope does not encode: %s", p.text);
	raksha_envelope *env2 = NULL;
	r = raksha_envelope_decode(b1, n1, topic, &opts, &env2, &p);
	FUZZ_CHECK(r == 0, "its own encoding is refused: %s", p.text);
	r = raksha_envelope_encode(env2, topic, &opts, &b2, &n2, &p);
	FUZZ_CHECK(r == 0, "the re-decoded envelope does not encode: %s", p.text);
	FUZZ_CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0, "encode(decode(encode)) differs: %zu vs %zu bytes",
		   n1, n2);
	raksha_envelope_free(env2);
	free(b1);
	free(b2);

	/* The topic and the size limit only take away. */
	raksha_envelope *other = NULL;
	r = raksha_envelope_decode(data, size, NULL, &opts, &other, &p);
	FUZZ_CHECK(r == 0, "accepted on %s but refused without a topic: %s", topic, p.text);
	raksha_envelope_free(other);
	if (size > 0) {
		struct raksha_check_options exact = {.now_ms = FUZZ_NOW_MS, .max_size = size};
		other = NULL;
		r = raksha_envelope_decode(data, size, topic, &exact, &other, &p);
		FUZZ_CHECK(r == 0, "refused at a limit of its own size: %s", p.text);
		raksha_envelope_free(other);
		if (size > 1) {
			struct raksha_check_options small = {.now_ms = FUZZ_NOW_MS, .max_size = size - 1};
			other = NULL;
			r = raksha_envelope_decode(data, size, topic, &small, &other, &p);
			FUZZ_CHECK(r == -EMSGSIZE && other == NULL && p.cause == RAKSHA_CAUSE_OVERSIZE,
				   "a limit one byte smaller gave %d", r);
		}
	}

	json_round_trip(env, topic, &opts);
	raksha_envelope_free(env);
	return 0;
}
