/* Envelope encode and decode-with-validation: every body round-trips, and
 * every kind of bad input is rejected with the right cause and field path. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <raksha/raksha.h>

#include "lib/envelope_arena.h"
#include "lib/wire_scan.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

static const struct raksha_check_options opts = {.now_ms = SAMPLE_NOW_MS};

/* Packs @env without any check, as a hostile or buggy sender would. */
static uint8_t *pack_raw(const raksha_envelope *env, size_t *len)
{
	*len = raksha__v1__envelope__get_packed_size(env);
	uint8_t *buf = malloc(*len + 1);
	raksha__v1__envelope__pack(env, buf);
	return buf;
}

static void test_round_trip(void)
{
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_LINK; k++) {
		struct sample s;
		raksha_envelope *env = sample_make(&s, (enum raksha_kind)k);
		uint8_t *buf;
		size_t len;
		struct raksha_problem p = {0};
		int r = raksha_envelope_encode(env, s.topic, &opts, &buf, &len, &p);
		is_int(r, 0, "encode %s (%s)", raksha_kind_name((enum raksha_kind)k), p.text);
		if (r < 0)
			continue;
		raksha_envelope *back = NULL;
		r = raksha_envelope_decode(buf, len, s.topic, &opts, &back, &p);
		is_int(r, 0, "decode %s (%s)", raksha_kind_name((enum raksha_kind)k), p.text);
		if (r == 0) {
			size_t len2 = raksha__v1__envelope__get_packed_size(back);
			uint8_t *buf2 = malloc(len2);
			raksha__v1__envelope__pack(back, buf2);
			ok(len2 == len && memcmp(buf, buf2, len) == 0,
			   "%s: re-encoding the decoded envelope gives the same bytes",
			   raksha_kind_name((enum raksha_kind)k));
			is_int(raksha_envelope_kind(back), k, "kind survives");
			free(buf2);
		}
		raksha_envelope_free(back);
		free(buf);
	}
}

static void test_report_fields(void)
{
	struct sample s;
	uint8_t *buf;
	size_t len;
	raksha_envelope *back = NULL;
	raksha_envelope_encode(sample_make(&s, RAKSHA_KIND_REPORT), s.topic, &opts, &buf, &len, NULL);
	if (!ok(raksha_envelope_decode(buf, len, s.topic, &opts, &back, NULL) == 0, "decode report"))
		return;
	const Raksha__V1__Report *r = back->report;
	is_str(r->child->name, "सीमा कुमारी", "Devanagari name intact");
	is_int(r->child->age_case, RAKSHA__V1__CHILD__AGE_AGE_YEARS, "age given as years");
	is_int(r->child->age_years, 9, "age 9");
	is_str(r->last_seen->station_code, "BPL", "station code");
	is_str(r->last_seen->train_number, "12627", "train number");
	is_str(r->last_seen->coach, "S4", "coach");
	is_int(r->child->photos[0]->data.len, 64, "photo bytes");
	is_str(back->origin->officer_badge, "GRP-4521", "officer badge");
	raksha_envelope_free(back);

	/* Age 0 (an infant) is an age, not a missing one. */
	s.child.age_years = 0;
	free(buf);
	raksha_envelope_encode(&s.env, s.topic, &opts, &buf, &len, NULL);
	back = NULL;
	ok(raksha_envelope_decode(buf, len, s.topic, &opts, &back, NULL) == 0 &&
	   back->report->child->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS &&
	   back->report->child->age_years == 0, "age_years 0 survives as a given age");
	raksha_envelope_free(back);
	free(buf);
}

/* One arena for every refusal below: each decode into it drops the one
 * before, refused or not. */
static struct raksha_envelope_arena *arena;

/* Decodes @buf and checks the verdict: errno, cause, and a part of the text;
 * and that a decode into an arena refuses it with the same errno, cause and
 * words. */
static void expect_reject(const uint8_t *buf, size_t len, const char *topic,
			  const struct raksha_check_options *o, int want, enum raksha_cause cause,
			  const char *text, const char *what)
{
	raksha_envelope *env = NULL, *in = NULL;
	struct raksha_problem p = {0}, q = {0};
	int r = raksha_envelope_decode(buf, len, topic, o, &env, &p);
	is_int(r, want, "%s: rejected", what);
	ok(p.cause == cause && strstr(p.text, text) != NULL,
	   "  %s: cause %s, says '%s' (got %s: '%s')", what, raksha_cause_name(cause), text,
	   raksha_cause_name(p.cause), p.text);
	ok(env == NULL, "  %s: no envelope returned", what);
	raksha_envelope_free(env);
	int s = raksha_envelope_decode_in(arena, buf, len, topic, o, &in, &q);
	ok(s == r && q.cause == p.cause && strcmp(q.text, p.text) == 0 && in == NULL,
	   "  %s: the same in an arena (got %d, '%s')", what, s, q.text);
	struct raksha_envelope_arena *own = arena;  /* not NULL: it must be made so */
	q = (struct raksha_problem){0};
	s = envelope_decode_own(buf, len, topic, o, &own, &in, &q);
	ok(s == r && q.cause == p.cause && strcmp(q.text, p.text) == 0 && in == NULL && own == NULL,
	   "  %s: the same in an arena of its own (got %d, '%s')", what, s, q.text);
}

static void test_framing(void)
{
	struct sample s;
	size_t len;
	uint8_t *buf = pack_raw(sample_make(&s, RAKSHA_KIND_REPORT), &len);

	expect_reject(buf, len / 2, s.topic, &opts, -EBADMSG, RAKSHA_CAUSE_UNDECODABLE,
		      "runs past the end", "truncated");
	static const uint8_t garbage[] = "this is not protobuf at all\xff\xff\xff";
	expect_reject(garbage, sizeof(garbage), s.topic, &opts, -EBADMSG,
		      RAKSHA_CAUSE_UNDECODABLE, "byte 0:", "garbage");
	/* Field 1 (message_id, bytes) sent as a varint: wire type 0. */
	static const uint8_t wrong_wire[] = {0x08, 0x05};
	expect_reject(wrong_wire, sizeof(wrong_wire), s.topic, &opts, -EBADMSG,
		      RAKSHA_CAUSE_UNDECODABLE, "byte 0: message_id has wire type 0 (varint), expected 2",
		      "wrong wire type");
	struct raksha_check_options small = {.max_size = len - 1, .now_ms = SAMPLE_NOW_MS};
	expect_reject(buf, len, s.topic, &small, -EMSGSIZE, RAKSHA_CAUSE_OVERSIZE,
		      "larger than the limit", "oversize");
	expect_reject(buf, 0, s.topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID,
		      "message_id: required", "empty payload");
	free(buf);
}

/* Mutates a fresh sample with @mutate, packs it unchecked and expects rejection. */
#define REJECT(kind, mutate, want, cause, text, what) \
	do { \
		struct sample s_; \
		raksha_envelope *e_ = sample_make(&s_, kind); \
		(void)e_; \
		{ mutate; } \
		size_t l_; \
		uint8_t *b_ = pack_raw(&s_.env, &l_); \
		expect_reject(b_, l_, s_.topic, &opts, want, cause, text, what); \
		free(b_); \
	} while (0)

static void test_strings(void)
{
	REJECT(RAKSHA_KIND_REPORT, s_.child.name = "Se\xc3", -EILSEQ, RAKSHA_CAUSE_UTF8,
	       "report.child.name: invalid UTF-8 at byte 2 (0xc3)", "invalid UTF-8 in name");
	REJECT(RAKSHA_KIND_REPORT, s_.other_names[1] = "\xed\xa0\x80", -EILSEQ, RAKSHA_CAUSE_UTF8,
	       "report.child.other_names[1]: invalid UTF-8", "surrogate in a list");
	REJECT(RAKSHA_KIND_REPORT, s_.child.clothing = "red\x1b[2J", -EILSEQ, RAKSHA_CAUSE_UTF8,
	       "report.child.clothing: control character U+001B at byte 3", "terminal escape");
	REJECT(RAKSHA_KIND_AGENT, s_.origin.unit = "\xff", -EILSEQ, RAKSHA_CAUSE_UTF8,
	       "origin.unit: invalid UTF-8", "bad origin unit");
	static char big[16 * 1024 + 2];
	memset(big, 'a', sizeof(big) - 1);
	REJECT(RAKSHA_KIND_REPORT, s_.report.notes = big, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.notes: 16385 bytes, longer than 16384", "oversize string");
}

/* A NUL inside a string would cut it short in C without a word: refused. */
static void test_nul_in_string(void)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.companion.name = "unknownXman";
	size_t len;
	uint8_t *buf = pack_raw(&s.env, &len);
	uint8_t *x = memmem(buf, len, "unknownXman", 11);
	if (ok(x != NULL, "marker found in the encoding")) {
		x[7] = '\0';
		char want[64];
		snprintf(want, sizeof(want), "byte %td: report.companions.name: NUL byte", x + 7 - buf);
		expect_reject(buf, len, s.topic, &opts, -EILSEQ, RAKSHA_CAUSE_UTF8, want,
			      "NUL inside a string");
	}
	free(buf);
	/* A NUL in origin (before the body) and the bytes cut short: the
	 * framing fault is said, as wire_diagnose() says it, though the one
	 * scan of the usual envelope meets the NUL first (lib/envelope.c). */
	s.origin.unit = "GRPXPost";
	buf = pack_raw(&s.env, &len);
	x = memmem(buf, len, "GRPXPost", 8);
	if (ok(x != NULL, "origin marker found in the encoding")) {
		x[3] = '\0';
		expect_reject(buf, len - 1, s.topic, &opts, -EBADMSG, RAKSHA_CAUSE_UNDECODABLE,
			      "envelope: not a raksha.v1.Envelope: byte ", "a NUL, then the bytes cut short");
	}
	free(buf);
}

/* Protobuf bytes put together by hand, as a hostile sender would, and the
 * offset of the byte a test points at. */
struct wire {
	uint8_t buf[8192];
	size_t len;
	size_t mark;
};

static void put(struct wire *w, const void *p, size_t n)
{
	if (w->len + n > sizeof(w->buf))
		abort();
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_varint(struct wire *w, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;
	for (; v >= 0x80; v >>= 7)
		b[n++] = (uint8_t)(v | 0x80);
	b[n++] = (uint8_t)v;
	put(w, b, n);
}

/* @msg packed, without checks. */
static void put_message(struct wire *w, const ProtobufCMessage *msg)
{
	size_t n = protobuf_c_message_get_packed_size(msg);
	if (w->len + n > sizeof(w->buf))
		abort();
	w->len += protobuf_c_message_pack(msg, w->buf + w->len);
}

/* Field @number, length-delimited, holding @n bytes at @p; marked if @mark. */
static void put_field(struct wire *w, unsigned number, const void *p, size_t n, bool mark)
{
	if (mark)
		w->mark = w->len;
	put_varint(w, (uint64_t)number << 3 | 2);
	put_varint(w, n);
	put(w, p, n);
}

/* @w holding @head's fields alone. */
static void start(struct wire *w, const ProtobufCMessage *head)
{
	memset(w, 0, sizeof(*w));
	put_message(w, head);
}

/* Field @number holding @value packed, marked (the last such marks). */
static void put_marked(struct wire *w, unsigned number, const ProtobufCMessage *value)
{
	uint8_t buf[2048];
	size_t n = protobuf_c_message_get_packed_size(value);
	if (n > sizeof(buf))
		abort();
	protobuf_c_message_pack(value, buf);
	put_field(w, number, buf, n, true);
}

/* The fields of @head, then @inner as the value of field @number; the mark
 * moves with @inner's bytes. */
static void wrap(struct wire *out, const ProtobufCMessage *head, unsigned number,
		 const struct wire *inner)
{
	out->len = 0;
	put_message(out, head);
	put_varint(out, (uint64_t)number << 3 | 2);
	put_varint(out, inner->len);
	out->mark = out->len + inner->mark;
	put(out, inner->buf, inner->len);
}

/* The sample's envelope with @report's bytes as its report (field 10). */
static void envelope_around(struct wire *out, struct sample *s, const struct wire *report)
{
	s->env.body_case = RAKSHA__V1__ENVELOPE__BODY__NOT_SET;
	s->env.report = NULL;
	wrap(out, &s->env.base, 10, report);
}

/* The sample report with @child's bytes as its child (field 6), in @out. */
static void report_around(struct wire *out, struct sample *s, const struct wire *child)
{
	struct wire report = {0};
	s->report.child = NULL;
	wrap(&report, &s->report.base, 6, child);
	envelope_around(out, s, &report);
}

/* Refused as invalid, saying @text, then the byte @w marks and ")". */
static void expect_twice(const struct wire *w, const char *topic, const char *text, const char *what)
{
	char want[160];
	snprintf(want, sizeof(want), "%s%zu)", text, w->mark);
	expect_reject(w->buf, w->len, topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID, want, what);
}

/* A field that is not repeated, given twice, is read one way by protobuf-c
 * and another by Python or C++ (which merge the copies): refused. */
static void test_field_twice(void)
{
	struct sample s;
	struct wire w, inner;
	static const uint8_t routine[] = {0x20, RAKSHA__V1__PRIORITY__PRIORITY_ROUTINE}; /* field 4 */

	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->base);
	inner.mark = inner.len;
	put(&inner, routine, sizeof(routine));
	envelope_around(&w, &s, &inner);
	expect_twice(&w, s.topic, "report.priority: appears twice (again at byte ", "priority twice");

	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->base);
	put_marked(&inner, 6, &s.child.base);
	envelope_around(&w, &s, &inner);
	expect_twice(&w, s.topic, "report.child: appears twice (again at byte ", "report.child twice");

	start(&w, &sample_make(&s, RAKSHA_KIND_REPORT)->base);
	s.report.priority = RAKSHA__V1__PRIORITY__PRIORITY_ROUTINE;
	s.report.exercise = 0;
	put_marked(&w, 10, &s.report.base);
	expect_twice(&w, s.topic, "report: appears twice (again at byte ", "the body twice");
	/* Why: protobuf-c alone reads the second copy (a routine real case),
	 * where Python merges it into the first (an urgent drill). */
	raksha_envelope *bare = raksha__v1__envelope__unpack(NULL, w.len, w.buf);
	ok(bare != NULL && bare->report->priority == RAKSHA__V1__PRIORITY__PRIORITY_ROUTINE &&
	   !bare->report->exercise, "  protobuf-c alone keeps the last copy of the body");
	raksha_envelope_free(bare);

	start(&w, &sample_make(&s, RAKSHA_KIND_REPORT)->base);
	put_marked(&w, 3, &s.origin.base);
	expect_twice(&w, s.topic, "origin: appears twice (again at byte ", "origin twice");

	/* The second copy is the one named, wherever the first is. */
	sample_make(&s, RAKSHA_KIND_REPORT);
	memset(&w, 0, sizeof(w));
	put_field(&w, 1, s.sighting_id, 16, false);
	w.mark = w.len;
	put_message(&w, &s.env.base);
	expect_twice(&w, s.topic, "message_id: appears twice (again at byte ", "message_id twice");
}

static void test_oneof_twice(void)
{
	struct sample s;
	struct wire w, child;
	start(&w, &sample_make(&s, RAKSHA_KIND_REPORT)->base);
	put_marked(&w, 11, &s.sighting.base);
	expect_twice(&w, s.topic, "report and sighting: two members of one oneof (the second at byte ",
		     "a report and a sighting");

	/* Deeper: the child's age as years (the sample's) and as a range. */
	start(&child, &sample_make(&s, RAKSHA_KIND_REPORT)->report->child->base);
	s.age_range.min_years = 8;
	s.age_range.max_years = 10;
	put_marked(&child, 4, &s.age_range.base);
	report_around(&w, &s, &child);
	expect_twice(&w, s.topic,
		     "report.child.age_years and age_range: two members of one oneof (the second at byte ",
		     "age in years and as a range");
}

/* Decodes @w, which must pass. */
static raksha_envelope *expect_accept(const struct wire *w, const char *topic, const char *what)
{
	raksha_envelope *env = NULL;
	struct raksha_problem p = {0};
	int r = raksha_envelope_decode(w->buf, w->len, topic, &opts, &env, &p);
	is_int(r, 0, "%s: accepted (%s)", what, p.text);
	return env;
}

/* Repeated fields come as often as they like, each copy an entry. */
static void test_repeated_many(void)
{
	struct sample s;
	struct wire w, inner;
	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->child->base);
	for (int i = 0; i < 3; i++)
		put_field(&inner, 2, "alias", 5, false);   /* other_names */
	report_around(&w, &s, &inner);
	raksha_envelope *env = expect_accept(&w, s.topic, "other_names 2 + 3 times");
	ok(env != NULL && env->report->child->n_other_names == 5, "  all five other_names kept");
	raksha_envelope_free(env);

	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->base);
	for (int i = 0; i < 3; i++)
		put_marked(&inner, 11, &s.companion.base);   /* companions */
	envelope_around(&w, &s, &inner);
	env = expect_accept(&w, s.topic, "companions 1 + 3 times");
	ok(env != NULL && env->report->n_companions == 4, "  all four companions kept");
	raksha_envelope_free(env);

	sample_make(&s, RAKSHA_KIND_REPORT);
	Raksha__V1__Photo *two[2] = {&s.photo, &s.photo};
	s.child.photos = two;
	s.child.n_photos = 2;
	size_t len;
	uint8_t *buf = pack_raw(&s.env, &len);
	raksha_envelope *back = NULL;
	struct raksha_problem p = {0};
	is_int(raksha_envelope_decode(buf, len, s.topic, &opts, &back, &p), 0, "two photos accepted (%s)",
	       p.text);
	raksha_envelope_free(back);
	free(buf);
}

/* A newer schema's fields may come twice: they are not ours to judge, and
 * re-encoding keeps them without making the bytes refusable. */
static void test_unknown_twice(void)
{
	struct sample s;
	struct wire w, inner;
	static const uint8_t field99[] = {0x98, 0x06, 0x01}; /* field 99, varint 1 */
	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->base);
	put_field(&inner, 50, "new", 3, false);
	put_field(&inner, 50, "newer", 5, false);
	envelope_around(&w, &s, &inner);
	put(&w, field99, sizeof(field99));
	put(&w, field99, sizeof(field99));
	raksha_envelope *env = expect_accept(&w, s.topic, "unknown fields twice");
	if (env == NULL)
		return;
	ok(env->base.n_unknown_fields == 2 && env->report->base.n_unknown_fields == 2,
	   "  kept as unknown fields (%u, %u)", env->base.n_unknown_fields, env->report->base.n_unknown_fields);
	uint8_t *buf = NULL;
	size_t len = 0;
	struct raksha_problem p = {0};
	is_int(raksha_envelope_encode(env, s.topic, &opts, &buf, &len, &p), 0, "  it encodes (%s)", p.text);
	raksha_envelope *back = NULL;
	is_int(raksha_envelope_decode(buf, len, s.topic, &opts, &back, &p), 0,
	       "  and its encoding decodes (%s)", p.text);
	raksha_envelope_free(back);
	free(buf);
	raksha_envelope_free(env);
}

/* Each unknown field costs protobuf-c's unpack a copy and a record: at most
 * WIRE_UNKNOWN_MAX in one envelope, at every depth together, counted on the
 * wire before anything is unpacked; the one over names its field and byte. */
static void test_unknown_many(void)
{
	struct sample s;
	struct wire w, inner;
	static const uint8_t field4[] = {0x20, 0x00};        /* field 4, varint 0 */
	static const uint8_t field50[] = {0x90, 0x03, 0x00}; /* field 50, varint 0 */
	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->base);
	for (int i = 0; i < WIRE_UNKNOWN_MAX / 2; i++)
		put(&inner, field50, sizeof(field50));
	envelope_around(&w, &s, &inner);
	for (int i = 0; i < WIRE_UNKNOWN_MAX / 2; i++)
		put(&w, field4, sizeof(field4));
	raksha_envelope *env = expect_accept(&w, s.topic, "unknown fields, as many as allowed");
	ok(env != NULL && env->base.n_unknown_fields + env->report->base.n_unknown_fields == WIRE_UNKNOWN_MAX,
	   "  all %d kept", WIRE_UNKNOWN_MAX);
	raksha_envelope_free(env);

	char want[160];
	size_t at = w.len;
	put(&w, field4, sizeof(field4));
	snprintf(want, sizeof(want), "byte %zu: field 4, unknown to this schema, is one more than the %d "
		 "unknown fields an envelope may hold", at, WIRE_UNKNOWN_MAX);
	expect_reject(w.buf, w.len, s.topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID, want,
		      "one unknown field more, at the top");

	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->base);
	for (int i = 0; i <= WIRE_UNKNOWN_MAX; i++) {
		inner.mark = inner.len;
		put(&inner, field50, sizeof(field50));
	}
	envelope_around(&w, &s, &inner);
	snprintf(want, sizeof(want), "byte %zu: report: field 50, unknown to this schema", w.mark);
	expect_reject(w.buf, w.len, s.topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID, want,
		      "one unknown field more, inside the report");

	/* Nor does encode write what decode would refuse. */
	static uint8_t zero = 0;
	static ProtobufCMessageUnknownField extra[WIRE_UNKNOWN_MAX + 1];
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		extra[i] = (ProtobufCMessageUnknownField){.tag = 4, .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT,
							  .len = 1, .data = &zero};
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.env.base.unknown_fields = extra;
	s.env.base.n_unknown_fields = WIRE_UNKNOWN_MAX + 1;
	uint8_t *buf = NULL;
	size_t len = 0;
	struct raksha_problem p = {0};
	is_int(raksha_envelope_encode(&s.env, s.topic, &opts, &buf, &len, &p), -EINVAL,
	       "encode refuses an envelope holding %d unknown fields (%s)", WIRE_UNKNOWN_MAX + 1, p.text);
	ok(buf == NULL, "  and writes nothing");
	free(buf);
}

/* A list longer than its limit is refused from the wire, before protobuf-c
 * makes an entry of each (two bytes of wire, an allocation and a slot),
 * with the words check_strings() would use after decoding. */
static void test_list_on_the_wire(void)
{
	struct sample s;
	struct wire w, inner;
	start(&inner, &sample_make(&s, RAKSHA_KIND_REPORT)->report->child->base);
	for (int i = 0; i < 1000; i++)
		put_field(&inner, 12, "", 0, false);   /* languages, empty */
	char want[80];
	snprintf(want, sizeof(want), "report.child.languages: %zu entries, more than 64",
		 s.child.n_languages + 1000);
	report_around(&w, &s, &inner);
	expect_reject(w.buf, w.len, s.topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID, want,
		      "1000 languages more");
}

/* wire_check() tracks fields by index in a fixed bitset: every type of the
 * schema must fit in it. */
static int most_fields(const ProtobufCMessageDescriptor *d, int depth)
{
	int most = (int)d->n_fields;
	for (unsigned i = 0; i < d->n_fields && depth < 8; i++) {
		if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		int n = most_fields(d->fields[i].descriptor, depth + 1);
		most = n > most ? n : most;
	}
	return most;
}

static void test_fields_fit_the_scan(void)
{
	int most = most_fields(&raksha__v1__envelope__descriptor, 0);
	ok(most > 0 && most <= WIRE_FIELDS_MAX, "every message type has at most %d fields (%d)",
	   WIRE_FIELDS_MAX, most);
}

static void test_topic_rules(void)
{
	REJECT(RAKSHA_KIND_REPORT, strcpy(s_.topic, "raksha/v1/mp/bhopal/grp/sighting"), -EPROTO,
	       RAKSHA_CAUSE_KIND_MISMATCH, "body: report body on a sighting topic", "report on sighting topic");
	REJECT(RAKSHA_KIND_ACK, strcpy(s_.topic, "raksha/v1/mp/bhopal/grp/report"), -EPROTO,
	       RAKSHA_CAUSE_KIND_MISMATCH, "body: ack body on a report topic", "ack on report topic");
	REJECT(RAKSHA_KIND_REPORT, strcpy(s_.topic, "raksha/v1/up/bhopal/grp/report"), -EPROTO,
	       RAKSHA_CAUSE_ORIGIN_MISMATCH, "origin.state", "origin state differs from topic");
	REJECT(RAKSHA_KIND_REPORT, strcpy(s_.topic, "raksha/v1/mp/bhopal/rpf/report"), -EPROTO,
	       RAKSHA_CAUSE_ORIGIN_MISMATCH, "origin.agency", "another agency's topic");
	REJECT(RAKSHA_KIND_AGENT, strcpy(s_.topic, "raksha/v1/mp/bhopal/grp/agent/other"), -EPROTO,
	       RAKSHA_CAUSE_ORIGIN_MISMATCH, "agent.agent_id", "presence of another agent");
	REJECT(RAKSHA_KIND_REPORT, strcpy(s_.topic, "raksha/v1/mp/bhopal/grp/report/x"), -EINVAL,
	       RAKSHA_CAUSE_BAD_TOPIC, "too deep", "bad topic");
}

static uint8_t short_id[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static uint8_t nil_id[16];

static void test_fields(void)
{
	REJECT(RAKSHA_KIND_REPORT, s_.child.age_years = 212, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.age_years: 212 out of range 0..25", "age 212");
	REJECT(RAKSHA_KIND_REPORT, (s_.child.age_case = RAKSHA__V1__CHILD__AGE_AGE_RANGE,
	       s_.child.age_range = &s_.age_range, s_.age_range.min_years = 12,
	       s_.age_range.max_years = 10), -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.age_range", "age range reversed");
	REJECT(RAKSHA_KIND_REPORT, s_.child.height_cm = 500, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.height_cm: 500 out of range", "height 500");
	REJECT(RAKSHA_KIND_REPORT, s_.env.message_id = ((ProtobufCBinaryData){8, short_id}), -EINVAL,
	       RAKSHA_CAUSE_INVALID, "message_id: 8 bytes, a UUID has 16", "short message_id");
	REJECT(RAKSHA_KIND_REPORT, s_.report.report_id = ((ProtobufCBinaryData){0, NULL}), -EINVAL,
	       RAKSHA_CAUSE_INVALID, "report.report_id: required", "missing report_id");
	REJECT(RAKSHA_KIND_ACK, s_.ack.report_id = ((ProtobufCBinaryData){16, nil_id}), -EINVAL,
	       RAKSHA_CAUSE_INVALID, "ack.report_id: the nil UUID", "nil report_id");
	REJECT(RAKSHA_KIND_REPORT, s_.report.revision = 0, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.revision", "revision 0");
	REJECT(RAKSHA_KIND_REPORT, s_.report.child = NULL, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child: required", "no child");
	REJECT(RAKSHA_KIND_REPORT, s_.child.name = "", -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.name: required", "no name");
	REJECT(RAKSHA_KIND_REPORT, s_.env.origin = NULL, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "origin: required", "no origin");
	REJECT(RAKSHA_KIND_REPORT, s_.origin.region = "Bhopal", -EINVAL, RAKSHA_CAUSE_INVALID,
	       "origin.region", "upper-case region");
	REJECT(RAKSHA_KIND_REPORT, s_.env.sent_at_ms = SAMPLE_NOW_MS + 2 * 86400000LL, -ERANGE,
	       RAKSHA_CAUSE_CLOCK, "sent_at_ms", "sent two days in the future: a clock is wrong");
	/* Checked last: a future envelope that is wrong otherwise says what else. */
	REJECT(RAKSHA_KIND_REPORT, s_.env.sent_at_ms = SAMPLE_NOW_MS + 2 * 86400000LL; s_.origin.region = "B",
	       -EINVAL, RAKSHA_CAUSE_INVALID, "origin.region", "sent in the future and with a bad region");
	REJECT(RAKSHA_KIND_REPORT, s_.env.sent_at_ms = 0, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "sent_at_ms: 0", "no sent_at_ms");
	REJECT(RAKSHA_KIND_REPORT, s_.place.time_ms = SAMPLE_NOW_MS + 3 * 86400000LL, -EINVAL,
	       RAKSHA_CAUSE_INVALID, "report.last_seen.time_ms", "last seen in the future");
	REJECT(RAKSHA_KIND_REPORT, s_.location.latitude = 91.0, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.last_seen.location.latitude: 91 out of range", "latitude 91");
	REJECT(RAKSHA_KIND_REPORT, s_.guardian.phone = "98765 call me", -EINVAL,
	       RAKSHA_CAUSE_INVALID, "report.guardian.phone: byte 6", "letters in phone");
	REJECT(RAKSHA_KIND_REPORT, s_.photo_data[0] = 0x00, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.photos[0]: data does not start as a file of type image/jpeg", "photo not a JPEG");
	REJECT(RAKSHA_KIND_REPORT, s_.photo_data[40] ^= 1, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.photos[0]: sha256", "photo altered after hashing");
	REJECT(RAKSHA_KIND_REPORT, s_.photo.media_type = "image/gif", -EINVAL,
	       RAKSHA_CAUSE_INVALID, "media_type must be", "GIF photo");
	REJECT(RAKSHA_KIND_REPORT, s_.env.signature = ((ProtobufCBinaryData){8, short_id}), -EINVAL,
	       RAKSHA_CAUSE_INVALID, "signature: 8 bytes", "short signature");
	REJECT(RAKSHA_KIND_SIGHTING, (s_.sighting.report_id = ((ProtobufCBinaryData){0, NULL}),
	       s_.sighting.child = NULL), -EINVAL, RAKSHA_CAUSE_INVALID,
	       "sighting.child: required when report_id is empty", "unmatched sighting, no child");
	REJECT(RAKSHA_KIND_UPDATE, s_.update.status = 0, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "update.status: required", "update without status");
	REJECT(RAKSHA_KIND_ESCALATION, s_.escalation.level = 0, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "escalation.level", "escalation level 0");
	REJECT(RAKSHA_KIND_LINK, s_.link.found_id.len = 0, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "link.found_id", "link without found_id");
	REJECT(RAKSHA_KIND_LINK, s_.link.report_id.len = 3, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "link.report_id", "link with a 3-byte report_id");
	REJECT(RAKSHA_KIND_LINK, s_.link.report_id.data = s_.sighting_id, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "link.report_id", "link of a case to itself");
	REJECT(RAKSHA_KIND_AGENT, s_.subscriptions[1] = "a/#/b", -EINVAL, RAKSHA_CAUSE_INVALID,
	       "agent.subscriptions[1]", "bad subscription filter");
	REJECT(RAKSHA_KIND_REPORT, (s_.env.body_case = RAKSHA__V1__ENVELOPE__BODY__NOT_SET,
	       s_.env.report = NULL), -EINVAL, RAKSHA_CAUSE_INVALID, "body: required", "no body");
}

/* Decodes @s packed as it is: refused with exactly the words @want, the
 * field's whole path with the index of the entry at fault (the body's
 * checks format a path only on failure: issue 19 part 5). */
static void expect_exactly(struct sample *s, const char *want, const char *what)
{
	size_t len;
	uint8_t *buf = pack_raw(&s->env, &len);
	raksha_envelope *env = NULL;
	struct raksha_problem p = {0};
	is_int(raksha_envelope_decode(buf, len, s->topic, &opts, &env, &p), -EINVAL, "%s: refused", what);
	is_str(p.text, want, "  %s: the exact words", what);
	expect_reject(buf, len, s->topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID, want, what);
	raksha_envelope_free(env);
	free(buf);
}

/* Three photos or companions, the ones before the last well formed: the
 * path names the last by its index. */
static void test_paths_of_later_entries(void)
{
	struct sample s;
	Raksha__V1__Photo photo[3], *photos[3];
	Raksha__V1__Person person[3], *persons[3];
	sample_make(&s, RAKSHA_KIND_REPORT);
	for (size_t i = 0; i < 3; i++) {
		photo[i] = s.photo;
		photos[i] = &photo[i];
		person[i] = s.companion;
		persons[i] = &person[i];
	}
	s.child.n_photos = 3;
	s.child.photos = photos;
	photo[2].media_type = "image/gif";
	expect_exactly(&s, "report.child.photos[2]: media_type must be image/jpeg or image/png",
		       "the third photo a GIF");
	photo[2] = s.photo;
	photo[1].sha256.len = 31;
	expect_exactly(&s, "report.child.photos[1]: sha256 is not the SHA-256 of data",
		       "the second photo's sha256 cut");
	photo[1] = s.photo;
	s.report.n_companions = 3;
	s.report.companions = persons;
	person[2].phone = "98765 ext 4";
	expect_exactly(&s, "report.companions[2].phone: byte 6 is not a digit, '+', '-', '(', ')' or space",
		       "letters in the third companion's phone");
	person[2].phone = "";
	person[1].phone = "+91 (755) 1234567 1234567 1234567";
	expect_exactly(&s, "report.companions[1].phone: longer than 32 bytes",
		       "the second companion's phone too long");

	sample_make(&s, RAKSHA_KIND_SIGHTING);
	photo[1] = s.photo;
	photo[1].media_type = "image/png";
	photos[0] = &s.photo;
	photos[1] = &photo[1];
	s.child.n_photos = 2;
	s.child.photos = photos;
	s.sighting.child = &s.child;
	expect_exactly(&s, "sighting.child.photos[1]: data does not start as a file of type image/png",
		       "a sighting's second photo not a PNG");
}

/* Every enum field of every message: a number its enum does not name is
 * refused, naming the field and the number (docs/schema.md). */
static void test_enums(void)
{
	static const int priorities[] = {-1, 6, 99};
	for (size_t i = 0; i < sizeof(priorities) / sizeof(priorities[0]); i++) {
		char want[96];
		snprintf(want, sizeof(want), "report.priority: %d is not a value of raksha.v1.Priority",
			 priorities[i]);
		REJECT(RAKSHA_KIND_REPORT, s_.report.priority = priorities[i], -EINVAL,
		       RAKSHA_CAUSE_INVALID, want, want);
	}
	REJECT(RAKSHA_KIND_REPORT, s_.report.status = -1, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.status: -1 is not a value of raksha.v1.CaseStatus", "case status -1");
	REJECT(RAKSHA_KIND_REPORT, s_.report.status = 7, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.status: 7 is not a value of raksha.v1.CaseStatus", "case status 7");
	REJECT(RAKSHA_KIND_REPORT, s_.child.gender = 5, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.child.gender: 5 is not a value of raksha.v1.Gender", "gender 5");
	REJECT(RAKSHA_KIND_SIGHTING, (s_.sighting.child = &s_.child, s_.child.gender = -2), -EINVAL,
	       RAKSHA_CAUSE_INVALID, "sighting.child.gender: -2 is not a value of raksha.v1.Gender", "sighting gender -2");
	REJECT(RAKSHA_KIND_REPORT, s_.companion.role = 3, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "report.companions[0].role: 3 is not a value of raksha.v1.PersonRole", "person role 3");
	REJECT(RAKSHA_KIND_UPDATE, s_.update.status = 7, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "update.status: 7 is not a value of raksha.v1.UpdateStatus", "update status 7");
	REJECT(RAKSHA_KIND_UPDATE, s_.update.status = -1, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "update.status: -1 is not a value of raksha.v1.UpdateStatus", "update status -1");
	REJECT(RAKSHA_KIND_ACK, s_.ack.state = 4, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "ack.state: 4 is not a value of raksha.v1.AckState", "ack state 4");
	REJECT(RAKSHA_KIND_ACK, s_.ack.state = -1, -EINVAL, RAKSHA_CAUSE_INVALID,
	       "ack.state: -1 is not a value of raksha.v1.AckState", "ack state -1");
	/* Each end of the enum is a value. */
	for (int v = RAKSHA__V1__PRIORITY__PRIORITY_UNSPECIFIED; v <= RAKSHA__V1__PRIORITY__PRIORITY_CRITICAL;
	     v += RAKSHA__V1__PRIORITY__PRIORITY_CRITICAL) {
		struct sample s;
		sample_make(&s, RAKSHA_KIND_REPORT);
		s.report.priority = v;
		struct raksha_problem p = {0};
		is_int(raksha_envelope_check(&s.env, s.topic, &opts, &p), 0, "priority %d passes (%s)",
		       v, p.text);
	}
}

/* -1 on the wire is a ten-byte varint (an int32 sign-extended to 64 bits):
 * the bytes a hostile sender writes by hand, decoded and refused. */
static void test_negative_varint(void)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.report.priority = -1;
	size_t len;
	uint8_t *buf = pack_raw(&s.env, &len);
	static const uint8_t minus_one[] = {0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					    0xff, 0x01};
	ok(memmem(buf, len, minus_one, sizeof(minus_one)) != NULL,
	   "priority -1 is field 4 as a ten-byte varint on the wire");
	expect_reject(buf, len, s.topic, &opts, -EINVAL, RAKSHA_CAUSE_INVALID,
		      "report.priority: -1 is not a value", "negative varint");
	free(buf);

	uint8_t *out = NULL;
	size_t n = 0;
	struct raksha_problem p = {0};
	is_int(raksha_envelope_encode(&s.env, s.topic, &opts, &out, &n, &p), -EINVAL,
	       "encode refuses priority -1");
	ok(out == NULL && strstr(p.text, "report.priority: -1") != NULL, "  naming it: %s", p.text);
}

static void test_encode_refuses_invalid(void)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	s.child.age_years = 99;
	uint8_t *buf = NULL;
	size_t len = 0;
	struct raksha_problem p = {0};
	is_int(raksha_envelope_encode(env, s.topic, &opts, &buf, &len, &p), -EINVAL,
	       "encode refuses an invalid envelope");
	ok(buf == NULL && strstr(p.text, "age_years") != NULL, "  and says which field: %s", p.text);

	sample_make(&s, RAKSHA_KIND_REPORT);
	uint8_t id[16] = {0};
	s.env.message_id = (ProtobufCBinaryData){0, NULL};
	is_int(raksha_envelope_stamp(&s.env, id), 0, "stamp a new envelope");
	ok(s.env.message_id.data == id && raksha_uuid7_time_ms(id) > SAMPLE_NOW_MS - 86400000LL * 365,
	   "stamp sets a UUIDv7 message_id");
	struct raksha_check_options real_clock = {0};
	is_int(raksha_envelope_check(&s.env, s.topic, &real_clock, &p), 0,
	       "a stamped envelope passes with the real clock (%s)", p.text);
}

static void test_report_id(void)
{
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_ESCALATION; k++) {
		struct sample s;
		const ProtobufCBinaryData *id = raksha_envelope_report_id(sample_make(&s, (enum raksha_kind)k));
		ok(id != NULL && id->len == 16 && memcmp(id->data, s.report_id, 16) == 0,
		   "%s: report_id names its case", raksha_kind_name((enum raksha_kind)k));
	}
	struct sample s;
	ok(raksha_envelope_report_id(sample_make(&s, RAKSHA_KIND_AGENT)) == NULL, "agent status: no case");
	const ProtobufCBinaryData *id = raksha_envelope_report_id(sample_make(&s, RAKSHA_KIND_LINK));
	ok(id != NULL && memcmp(id->data, s.report_id, 16) == 0, "link: the report's case");
	sample_make(&s, RAKSHA_KIND_SIGHTING);
	s.sighting.report_id = (ProtobufCBinaryData){0, NULL};
	ok(raksha_envelope_report_id(&s.env) == NULL, "unmatched sighting: no case");
}

int main(void)
{
	arena = raksha_envelope_arena_new();
	test_report_id();
	test_round_trip();
	test_report_fields();
	test_framing();
	test_strings();
	test_nul_in_string();
	test_field_twice();
	test_oneof_twice();
	test_repeated_many();
	test_unknown_twice();
	test_unknown_many();
	test_list_on_the_wire();
	test_fields_fit_the_scan();
	test_topic_rules();
	test_fields();
	test_paths_of_later_entries();
	test_encode_refuses_invalid();
	test_enums();
	test_negative_varint();
	raksha_envelope_arena_free(arena);
	return tap_done();
}
