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
 *    unless it holds unknown fields (which JSON has no place for).
 * Every refusal must set a cause and a text. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *topic = topics[data[0] & 7];
	data++, size--;

	struct raksha_check_options opts = {.now_ms = FUZZ_NOW_MS};
	struct raksha_problem p = {0};
	raksha_envelope *env = NULL;
	int r = raksha_envelope_decode(data, size, topic, &opts, &env, &p);
	if (r < 0) {
		FUZZ_CHECK(env == NULL, "refused (%d) but an envelope came out", r);
		FUZZ_CHECK(p.cause != RAKSHA_CAUSE_NONE && p.text[0] != '\0',
			   "refused (%d) without a cause or text", r);
		return 0;
	}
	FUZZ_CHECK(env != NULL, "accepted, no envelope");
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
