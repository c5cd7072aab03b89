/* JSON -> message parsing: the exact inverse of the renderer, and a named
 * JSON path and reason for every refusal. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

#define ENVELOPE (&raksha__v1__envelope__descriptor)
#define REPORT (&raksha__v1__report__descriptor)
#define CHILD (&raksha__v1__child__descriptor)
#define ACK (&raksha__v1__ack__descriptor)

static int parse(const ProtobufCMessageDescriptor *d, const char *json, ProtobufCMessage **out,
		 struct raksha_problem *why)
{
	return raksha_message_from_json(d, json, strlen(json), out, why);
}

/* @msg packed into a new buffer; its length in *@len. */
static uint8_t *pack(const ProtobufCMessage *msg, size_t *len)
{
	*len = protobuf_c_message_get_packed_size(msg);
	uint8_t *buf = malloc(*len + 1);
	protobuf_c_message_pack(msg, buf);
	return buf;
}

/* Whether @a and @b pack to the same bytes; at least @min of them. */
static int same_wire(const ProtobufCMessage *a, const ProtobufCMessage *b, size_t min)
{
	size_t na, nb;
	uint8_t *ba = pack(a, &na), *bb = pack(b, &nb);
	int same = na == nb && na >= min && memcmp(ba, bb, na) == 0;
	if (!same)
		printf("#   packed %zu and %zu bytes\n", na, nb);
	free(ba);
	free(bb);
	return same;
}

/* Renders @msg with @flags, parses it back, and compares the packed bytes. */
static int round_trip(const ProtobufCMessage *msg, unsigned flags, size_t min)
{
	char *text = NULL;
	if (raksha_message_to_json(msg, flags, &text) < 0)
		return 0;
	ProtobufCMessage *back = NULL;
	struct raksha_problem why = {0};
	int r = parse(msg->descriptor, text, &back, &why);
	if (r < 0)
		printf("#   %s\n#   in %s\n", why.text, text);
	free(text);
	int same = r == 0 && same_wire(msg, back, min);
	protobuf_c_message_free_unpacked(back, NULL);
	return same;
}

/* Expects @json refused with -EINVAL, cause "invalid" and exactly @text. */
static void refused(const ProtobufCMessageDescriptor *d, const char *json, const char *text)
{
	/* @json names the checks: a newline or a stray byte must not break TAP lines */
	char name[200];
	snprintf(name, sizeof(name), "%s", json);
	for (char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0xfe)
			*c = '?';
	ProtobufCMessage *m = (ProtobufCMessage *)&m; /* must come back NULL */
	struct raksha_problem why = {0};
	int r = parse(d, json, &m, &why);
	is_int(r, -EINVAL, "%s: -EINVAL", name);
	is_str(why.text, text, "%s: problem text", name);
	ok(why.cause == RAKSHA_CAUSE_INVALID && m == NULL, "%s: cause invalid, no message", name);
	if (r == 0)
		protobuf_c_message_free_unpacked(m, NULL);
}

/* Parses @json, which must be accepted. Returns the message for the checks
 * that follow (NULL if refused, and those checks fail too), for free_unpacked. */
static void *accepted(const ProtobufCMessageDescriptor *d, const char *json)
{
	ProtobufCMessage *m = NULL;
	struct raksha_problem why = {0};
	int r = parse(d, json, &m, &why);
	if (!ok(r == 0 && m != NULL, "%s parses", json))
		printf("#   %d: %s\n", r, why.text);
	return m;
}

static void test_every_kind(void)
{
	static const char *const name[] = {"report", "sighting", "update", "ack", "escalation", "agent"};
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_AGENT; k++) {
		struct sample s;
		raksha_envelope *env = sample_make(&s, (enum raksha_kind)k);
		ok(round_trip(&env->base, RAKSHA_JSON_COMPACT, 100), "%s: render, parse, pack: same bytes",
		   name[k - 1]);
		ok(round_trip(&env->base, RAKSHA_JSON_PRETTY, 100), "%s: same bytes from PRETTY", name[k - 1]);
	}

	/* The parsed envelope is a real one: it passes every rule of the bus. */
	struct sample s;
	char *text = NULL;
	raksha_message_to_json(&sample_make(&s, RAKSHA_KIND_REPORT)->base, 0, &text);
	raksha_envelope *env = accepted(ENVELOPE, text);
	struct raksha_check_options opts = {.now_ms = SAMPLE_NOW_MS};
	struct raksha_problem why = {0};
	is_int(raksha_envelope_check(env, s.topic, &opts, &why), 0,
	       "parsed report passes raksha_envelope_check (%s)", why.text);
	is_str(env && env->report ? env->report->child->name : NULL, "सीमा कुमारी", "Devanagari name kept");
	raksha_envelope_free(env);
	free(text);
}

static void test_oneof_zero(void)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.child.age_years = 0; /* under one year: an age, not "not given" */
	ok(round_trip(&s.env.base, 0, 100), "age_years 0: same bytes");
	Raksha__V1__Child *c = accepted(CHILD, "{\"age_years\":0}");
	ok(c && c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS && c->age_years == 0,
	   "age_years 0 chooses the oneof");
	raksha__v1__child__free_unpacked(c, NULL);

	s.child.age_case = RAKSHA__V1__CHILD__AGE_AGE_RANGE;
	s.child.age_range = &s.age_range;
	s.age_range.min_years = 8;
	s.age_range.max_years = 10;
	ok(round_trip(&s.env.base, 0, 100), "age_range: same bytes");
}

static void test_unknown_fields(void)
{
	refused(CHILD, "{\"name\":\"a\",\"hieght_cm\":120}", "hieght_cm: unknown field");
	refused(ENVELOPE, "{\"report\":{\"child\":{\"hieght_cm\":120}}}",
		"report.child.hieght_cm: unknown field");
	refused(CHILD, "{\"a\\nb\":1}", "a?b: unknown field"); /* the text stays one line */
}

static void test_wrong_types(void)
{
	refused(REPORT, "{\"child\":{\"age_years\":\"nine\"}}", "child.age_years: \"nine\" is not a number");
	refused(REPORT, "{\"revision\":\"1\"}", "revision: \"1\" is not a number");
	refused(REPORT, "{\"revision\":1.5}", "revision: 1.5 is not an integer");
	refused(REPORT, "{\"child\":{\"name\":5}}", "child.name: 5 is not a string");
	refused(REPORT, "{\"exercise\":1}", "exercise: 1 is not true or false");
	refused(REPORT, "{\"child\":[]}", "child: [] is not an object");
	refused(REPORT, "{\"child\":{\"languages\":\"hi\"}}", "child.languages: \"hi\" is not an array");
	refused(REPORT, "{\"child\":{\"languages\":[\"hi\",7]}}", "child.languages[1]: 7 is not a string");
	refused(REPORT, "{\"report_id\":16}", "report_id: 16 is not a string");
	refused(ENVELOPE, "{\"report\":{\"last_seen\":{\"location\":{\"latitude\":\"23.2\"}}}}",
		"report.last_seen.location.latitude: \"23.2\" is not a number");
	refused(REPORT, "[1]", "[1] is not an object");

	Raksha__V1__GeoPoint *g = accepted(&raksha__v1__geo_point__descriptor,
					   "{\"latitude\":23,\"longitude\":-77.5}");
	ok(g && g->latitude == 23.0 && g->longitude == -77.5, "a JSON integer is a double too");
	raksha__v1__geo_point__free_unpacked(g, NULL);
}

static void test_ranges(void)
{
	refused(REPORT, "{\"revision\":-1}", "revision: -1 out of range 0..4294967295");
	refused(REPORT, "{\"revision\":4294967296}", "revision: 4294967296 out of range 0..4294967295");
	refused(ACK, "{\"state\":2147483648}", "state: 2147483648 out of range -2147483648..2147483647");
	Raksha__V1__Report *r = accepted(REPORT, "{\"revision\":4294967295}");
	is_int(r ? r->revision : 0, UINT32_MAX, "revision is 4294967295");
	raksha__v1__report__free_unpacked(r, NULL);
	raksha_envelope *env = accepted(ENVELOPE, "{\"sent_at_ms\":-9223372036854775808}");
	ok(env && env->sent_at_ms == INT64_MIN, "sent_at_ms is INT64_MIN");
	raksha_envelope_free(env);
}

static void test_ids(void)
{
	refused(REPORT, "{\"report_id\":\"01936e29-0000-7aaa-9bbb-ccddeeff001\"}",
		"report_id: \"01936e29-0000-7aaa-9bbb-ccddeeff001\" is not a UUID");
	refused(REPORT, "{\"report_id\":\"01936e29x0000-7aaa-9bbb-ccddeeff0011\"}",
		"report_id: \"01936e29x0000-7aaa-9bbb-ccddeeff0011\" is not a UUID");
	/* base64 of 16 bytes is never what the renderer writes for an id */
	refused(REPORT, "{\"report_id\":\"AZNuKQAAeqqbu8zd7v8AEQ==\"}",
		"report_id: \"AZNuKQAAeqqbu8zd7v8AEQ==\" is not a UUID");

	Raksha__V1__Report *r = accepted(REPORT, "{\"report_id\":\"01936E29-0000-7AAA-9BBB-CCDDEEFF0011\"}");
	static const uint8_t want[16] = {0x01, 0x93, 0x6e, 0x29, 0x00, 0x00, 0x7a, 0xaa,
					 0x9b, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11};
	ok(r && r->report_id.len == 16 && memcmp(r->report_id.data, want, 16) == 0,
	   "upper-case UUID: report_id bytes");
	raksha__v1__report__free_unpacked(r, NULL);

	/* An id of the wrong length is base64 in JSON; it must come back as it was. */
	struct sample s;
	sample_make(&s, RAKSHA_KIND_ACK);
	s.ack.report_id.len = 5;
	ok(round_trip(&s.env.base, 0, 50), "5-byte report_id (base64): same bytes");
}

static void test_base64(void)
{
	refused(ENVELOPE,
		"{\"report\":{\"child\":{\"photos\":[{\"data\":\"/9j/4A==\"},"
		"{\"media_type\":\"image/png\",\"data\":\"not base64!\"}]}}}",
		"report.child.photos[1].data: \"not base64!\" is not base64");
	refused(&raksha__v1__photo__descriptor, "{\"data\":\"/9j/4A\"}", "data: \"/9j/4A\" is not base64");
	refused(&raksha__v1__photo__descriptor, "{\"data\":\"QR==\"}", "data: \"QR==\" is not base64");
	refused(&raksha__v1__photo__descriptor, "{\"data\":\"/9j_4A==\"}", "data: \"/9j_4A==\" is not base64");

	Raksha__V1__Photo *ph = accepted(&raksha__v1__photo__descriptor, "{\"data\":\"/9j/4A==\"}");
	ok(ph && ph->data.len == 4 && memcmp(ph->data.data, "\xff\xd8\xff\xe0", 4) == 0, "photo bytes decoded");
	raksha__v1__photo__free_unpacked(ph, NULL);
}

static void test_enums(void)
{
	refused(CHILD, "{\"gender\":\"GENDER_ALIEN\"}", "gender: \"GENDER_ALIEN\" is not a Gender");
	refused(CHILD, "{\"gender\":\"female\"}", "gender: \"female\" is not a Gender");
	refused(CHILD, "{\"gender\":true}", "gender: true is not a Gender name or number");

	Raksha__V1__Child *c = accepted(CHILD, "{\"gender\":\"GENDER_MALE\"}");
	is_int(c ? (int)c->gender : -1, RAKSHA__V1__GENDER__GENDER_MALE, "by name: GENDER_MALE");
	raksha__v1__child__free_unpacked(c, NULL);
	c = accepted(CHILD, "{\"gender\":3}");
	is_int(c ? (int)c->gender : -1, RAKSHA__V1__GENDER__GENDER_TRANSGENDER, "by number: 3 is GENDER_TRANSGENDER");
	raksha__v1__child__free_unpacked(c, NULL);
	/* Only the numbers the schema names: another means nothing here. */
	refused(ACK, "{\"state\":42}", "state: 42 is not a AckState");
	refused(CHILD, "{\"gender\":-1}", "gender: -1 is not a Gender");
	refused(REPORT, "{\"priority\":6}", "priority: 6 is not a Priority");
	refused(REPORT, "{\"status\":-1}", "status: -1 is not a CaseStatus");
	Raksha__V1__Report *r = accepted(REPORT, "{\"priority\":0}");
	is_int(r ? (int)r->priority : -1, 0, "0 (UNSPECIFIED) is a value");
	raksha__v1__report__free_unpacked(r, NULL);
}

static void test_oneof_conflicts(void)
{
	refused(REPORT, "{\"child\":{\"age_years\":9,\"age_range\":{\"min_years\":8,\"max_years\":10}}}",
		"child: age_years and age_range are both set; they are one of");
	/* the same words whatever the key order */
	refused(REPORT, "{\"child\":{\"age_range\":{\"max_years\":10},\"age_years\":9}}",
		"child: age_years and age_range are both set; they are one of");
	refused(ENVELOPE, "{\"report\":{},\"ack\":{}}", "report and ack are both set; they are one of");

	/* null is not a member: the other one is free to be set */
	Raksha__V1__Child *c = accepted(CHILD, "{\"age_years\":null,\"age_range\":{\"max_years\":3}}");
	ok(c && c->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && c->age_range->max_years == 3,
	   "null member, and age_range chosen");
	raksha__v1__child__free_unpacked(c, NULL);
}

static void test_nested_path(void)
{
	refused(ENVELOPE, "{\"report\":{\"companions\":[{\"role\":\"PERSON_ROLE_SUSPECT\"},{\"role\":\"X\"}]}}",
		"report.companions[1].role: \"X\" is not a PersonRole");
	refused(ENVELOPE, "{\"report\":{\"companions\":[{},null]}}",
		"report.companions[1]: null is not an object");
	/* a long value is cut short: a photo's base64 must not crowd out the path */
	refused(CHILD, "{\"age_years\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
		"age_years: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... is not a number");
	/* ... and at a character boundary */
	refused(CHILD, "{\"age_years\":\"सीमा कुमारी सीमा कुमारी\"}",
		"age_years: \"सीमा कुमारी सीम... is not a number");
}

static void test_bad_text(void)
{
	refused(REPORT, "{\"revision\": }", "line 1 column 14: unexpected token near '}'");
	refused(REPORT, "{\"notes\":\"a\"}\n{}", "line 2 column 1: end of file expected near '{'");
	refused(REPORT, "{\"notes\":\"\xff\"}", "line 1 column 10: unable to decode byte 0xff near '\"'");
	refused(REPORT, "{\"notes\":\"a\\u0000b\"}",
		"line 1 column 19: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'");
	refused(REPORT, "{\"revision\":1,\"revision\":2}",
		"line 1 column 24: duplicate object key near '\"revision\"'");
	refused(ENVELOPE, "{\"report\":{\"child\":{\"name\":\"a\",\"name\":\"b\"}}}",
		"line 1 column 37: duplicate object key near '\"name\"'");

	/* @len bounds the text: what follows it is not read */
	const char *text = "{\"revision\":7}garbage";
	ProtobufCMessage *m = NULL;
	is_int(raksha_message_from_json(REPORT, text, 14, &m, NULL), 0, "only @len bytes are parsed");
	is_int(m ? ((Raksha__V1__Report *)m)->revision : 0, 7, "revision 7");
	protobuf_c_message_free_unpacked(m, NULL);

	struct raksha_problem why = {0};
	m = (ProtobufCMessage *)&m; /* must come back NULL */
	is_int(raksha_message_from_json(NULL, "{}", 2, &m, &why), -EINVAL, "NULL descriptor: -EINVAL");
	ok(m == NULL && why.cause == RAKSHA_CAUSE_INVALID, "no message, cause invalid");
	is_int(raksha_message_from_json(REPORT, NULL, 0, &m, NULL), -EINVAL, "NULL text: -EINVAL");
	is_int(raksha_message_from_json(REPORT, "{}", 2, NULL, NULL), -EINVAL, "NULL out: -EINVAL");
}

static void test_null_unsets(void)
{
	Raksha__V1__Report *rep = accepted(REPORT, "{\"report_id\":null,\"revision\":null,\"status\":null,"
				   "\"exercise\":null,\"child\":null,\"notes\":null,\"companions\":null}");
	ok(rep && rep->report_id.len == 0 && rep->revision == 0 && rep->status == 0 && !rep->exercise &&
	   rep->child == NULL && strcmp(rep->notes, "") == 0 && rep->n_companions == 0, "every field unset");
	is_int(rep ? (long long)raksha__v1__report__get_packed_size(rep) : -1, 0, "packs to nothing");
	raksha__v1__report__free_unpacked(rep, NULL);

	Raksha__V1__Child *c = accepted(CHILD, "{\"age_years\":null,\"height_cm\":null}");
	ok(c && c->age_case == 0 && c->height_case == 0, "null chooses no oneof member");
	raksha__v1__child__free_unpacked(c, NULL);
}

/* A proto2-style message the schema does not have, built by hand as protoc-c
 * would: has_ flags, a string default, a float, repeated scalars, uint64. */
typedef struct {
	ProtobufCMessage base;
	protobuf_c_boolean has_count;
	int32_t count;
	float ratio;
	char *label;
	size_t n_totals;
	int64_t *totals;
	size_t n_weights;
	double *weights;
	protobuf_c_boolean has_big;
	uint64_t big;
	size_t n_flags;
	protobuf_c_boolean *flags;
} Legacy;

static const char legacy_label_default[] = "none";
static const ProtobufCMessageDescriptor legacy_descriptor;

static void legacy_init(ProtobufCMessage *m)
{
	static const Legacy init = {.base = PROTOBUF_C_MESSAGE_INIT(&legacy_descriptor),
				    .label = (char *)legacy_label_default};
	*(Legacy *)m = init;
}

#define FIELD(name, id, label, type, q, default_) \
	{#name, id, PROTOBUF_C_LABEL_##label, PROTOBUF_C_TYPE_##type, q, offsetof(Legacy, name), \
	 NULL, default_, 0, 0, NULL, NULL}
static const ProtobufCFieldDescriptor legacy_fields[] = {
	FIELD(count, 1, OPTIONAL, INT32, offsetof(Legacy, has_count), NULL),
	FIELD(ratio, 2, NONE, FLOAT, 0, NULL),
	FIELD(label, 3, OPTIONAL, STRING, 0, legacy_label_default),
	FIELD(totals, 4, REPEATED, INT64, offsetof(Legacy, n_totals), NULL),
	FIELD(weights, 5, REPEATED, DOUBLE, offsetof(Legacy, n_weights), NULL),
	FIELD(big, 6, OPTIONAL, UINT64, offsetof(Legacy, has_big), NULL),
	FIELD(flags, 7, REPEATED, BOOL, offsetof(Legacy, n_flags), NULL),
};
#undef FIELD
static const unsigned legacy_by_name[] = {5, 0, 6, 2, 1, 3, 4}; /* big, count, flags, ... */
static const ProtobufCIntRange legacy_ranges[] = {{1, 0}, {0, 7}};
static const ProtobufCMessageDescriptor legacy_descriptor = {
	PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC, "test.Legacy", "Legacy", "Test__Legacy", "test",
	sizeof(Legacy), 7, legacy_fields, legacy_by_name, 1, legacy_ranges,
	(ProtobufCMessageInit)legacy_init, NULL, NULL, NULL};

static void test_other_types(void)
{
	Legacy *l = accepted(&legacy_descriptor, "{}");
	ok(l && !l->has_count && !l->has_big && l->label == legacy_label_default,
	   "legacy: nothing set, the default string kept (and not freed)");
	protobuf_c_message_free_unpacked(l ? &l->base : NULL, NULL);

	l = accepted(&legacy_descriptor, "{\"count\":0,\"ratio\":0.5,\"label\":\"x\",\"totals\":[1,-2,"
		     "9007199254740993],\"weights\":[0.25,2],\"big\":9223372036854775807,"
		     "\"flags\":[true,false,true]}");
	ok(l && l->has_count && l->count == 0, "optional 0 sets its has_ flag");
	ok(l && l->ratio == 0.5f && strcmp(l->label, "x") == 0, "float and string");
	ok(l && l->n_totals == 3 && l->totals[0] == 1 && l->totals[1] == -2 &&
	   l->totals[2] == INT64_C(9007199254740993), "repeated int64, exactly");
	ok(l && l->n_weights == 2 && l->weights[0] == 0.25 && l->weights[1] == 2.0, "repeated double");
	ok(l && l->has_big && l->big == INT64_MAX, "uint64");
	ok(l && l->n_flags == 3 && l->flags[0] && !l->flags[1] && l->flags[2], "repeated bool");
	ok(l && round_trip(&l->base, 0, 40), "legacy: render, parse, pack: same bytes");
	protobuf_c_message_free_unpacked(l ? &l->base : NULL, NULL);

	refused(&legacy_descriptor, "{\"big\":-1}", "big: -1 out of range 0..18446744073709551615");
	refused(&legacy_descriptor, "{\"ratio\":1e39}", "ratio: 1e39 out of range of a float");
	refused(&legacy_descriptor, "{\"label\":\"y\",\"totals\":[1,\"x\"]}", "totals[1]: \"x\" is not a number");
	refused(&legacy_descriptor, "{\"flags\":[true,null]}", "flags[1]: null is not true or false");
}

int main(void)
{
	test_every_kind();
	test_oneof_zero();
	test_unknown_fields();
	test_wrong_types();
	test_ranges();
	test_ids();
	test_base64();
	test_enums();
	test_oneof_conflicts();
	test_nested_path();
	test_bad_text();
	test_null_unsets();
	test_other_types();
	return tap_done();
}
