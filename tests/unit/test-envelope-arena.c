/* raksha_envelope_decode_in(): one arena for many envelopes holds no more
 * after ten thousand than after one, gives back what a photo took at the
 * next decode, and refuses what raksha_envelope_decode() refuses, with the
 * same errno, cause and words (test-envelope compares every refusal of its
 * own too); under ASan, nothing of it leaks. envelope_decode_own() (the
 * client's receive thread): the same envelope in one block of an arena of
 * its own, the same refusals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <raksha/raksha.h>

#include "lib/envelope_arena.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

static const struct raksha_check_options opts = {.now_ms = SAMPLE_NOW_MS};

static void test_bounded(struct raksha_envelope_arena *ea)
{
	struct sample s;
	uint8_t *buf = NULL;
	size_t len = 0;
	sample_make(&s, RAKSHA_KIND_REPORT);
	is_int(sample_encode(&s, SAMPLE_NOW_MS, &opts, &buf, &len), 0, "a report encoded");
	raksha_envelope *env = NULL;
	is_int(raksha_envelope_decode_in(ea, buf, len, s.topic, &opts, &env, NULL), 0, "decoded once");
	size_t held = envelope_arena_held(ea);
	int bad = 0, grew = 0;
	for (int i = 0; i < 10000; i++) {
		env = NULL;
		if (raksha_envelope_decode_in(ea, buf, len, s.topic, &opts, &env, NULL) != 0 ||
		    strcmp(env->report->child->name, s.child.name) != 0)
			bad++;
		if (envelope_arena_held(ea) != held)
			grew++;
	}
	is_int(bad, 0, "10,000 more decodes into the same arena, each the report");
	is_int(grew, 0, "and the arena holds %zu bytes after each, as after the first", held);
	ok(held < 20 * 1024, "a report fits the first block (%zu bytes held)", held);
	free(buf);
}

/* A report whose photo is @size bytes of a JPEG's start and zeros. */
static uint8_t *photo_report(struct sample *s, uint8_t *photo, size_t size, size_t *len)
{
	sample_make(s, RAKSHA_KIND_REPORT);
	memset(photo, 0, size);
	memcpy(photo, s->photo_data, sizeof(s->photo_data));
	s->photo.data = (ProtobufCBinaryData){.len = size, .data = photo};
	crypto_hash_sha256(s->photo_sha256, photo, size);
	uint8_t *buf = NULL;
	if (raksha_envelope_encode(&s->env, s->topic, &opts, &buf, len, NULL) != 0)
		return NULL;
	return buf;
}

static void test_photo_given_back(struct raksha_envelope_arena *ea)
{
	struct sample s, plain;
	size_t len, plain_len;
	static uint8_t photo[200 * 1024];
	uint8_t *buf = photo_report(&s, photo, sizeof(photo), &len);
	uint8_t *small = photo_report(&plain, photo, sizeof(plain.photo_data), &plain_len);
	raksha_envelope *env = NULL;
	ok(buf != NULL && small != NULL, "a report with a 200 KiB photo and one with 64 bytes encoded");
	is_int(raksha_envelope_decode_in(ea, small, plain_len, plain.topic, &opts, &env, NULL), 0,
	       "the small one decoded");
	size_t held = envelope_arena_held(ea);
	is_int(raksha_envelope_decode_in(ea, buf, len, s.topic, &opts, &env, NULL), 0, "the photo decoded");
	ok(env->report->child->photos[0]->data.len == sizeof(photo) &&
	   memcmp(env->report->child->photos[0]->data.data, photo, sizeof(photo)) == 0,
	   "its photo's bytes, all of them");
	ok(envelope_arena_held(ea) > sizeof(photo), "the arena grew for it (%zu bytes)", envelope_arena_held(ea));
	is_int(raksha_envelope_decode_in(ea, small, plain_len, plain.topic, &opts, &env, NULL), 0,
	       "the small one again");
	is_int((long long)envelope_arena_held(ea), (long long)held, "what the photo took is given back");
	free(buf);
	free(small);
}

/* Both decodes of @buf: the same errno, cause and text; no envelope. */
static void same_refusal(struct raksha_envelope_arena *ea, const uint8_t *buf, size_t len,
			 const char *topic, const struct raksha_check_options *o, const char *what)
{
	struct raksha_problem p = {0}, q = {0};
	raksha_envelope *env = NULL, *in = NULL;
	int r = raksha_envelope_decode(buf, len, topic, o, &env, &p);
	int s = raksha_envelope_decode_in(ea, buf, len, topic, o, &in, &q);
	ok(r < 0 && r == s && p.cause == q.cause && strcmp(p.text, q.text) == 0 && env == NULL && in == NULL,
	   "%s: refused the same in the arena (%d '%s', %d '%s')", what, r, p.text, s, q.text);
	struct raksha_problem own = {0};
	struct raksha_envelope_arena *mine = ea;  /* not NULL: it must be made so */
	s = envelope_decode_own(buf, len, topic, o, &mine, &in, &own);
	ok(r == s && p.cause == own.cause && strcmp(p.text, own.text) == 0 && in == NULL && mine == NULL,
	   "  and in an arena of its own, none left (%d '%s')", s, own.text);
}

/* envelope_decode_own() of @buf: the envelope raksha_envelope_decode()
 * gives (packed again, the same bytes), in one block of @len and the slack. */
static void same_own(const uint8_t *buf, size_t len, const char *topic, const char *what)
{
	raksha_envelope *env = NULL, *own = NULL;
	struct raksha_envelope_arena *ea = NULL;
	ok(raksha_envelope_decode(buf, len, topic, &opts, &env, NULL) == 0 &&
	   envelope_decode_own(buf, len, topic, &opts, &ea, &own, NULL) == 0 && ea != NULL,
	   "%s: decoded into an arena of its own", what);
	if (env == NULL || own == NULL || ea == NULL)
		goto done;
	size_t n = raksha__v1__envelope__get_packed_size(own);
	uint8_t *a = malloc(len), *b = malloc(n);
	raksha__v1__envelope__pack(env, a);
	raksha__v1__envelope__pack(own, b);
	ok(n == len && memcmp(a, b, n) == 0, "  the same envelope");
	ok(envelope_arena_blocks(ea) == 1, "  in one block (%zu bytes held for %zu)",
	   envelope_arena_held(ea), len);
	free(a);
	free(b);
done:
	raksha_envelope_free(env);
	raksha_envelope_arena_free(ea);  /* and the envelope in it */
}

static void test_own(void)
{
	struct sample s;
	uint8_t *buf = NULL;
	size_t len = 0;
	sample_make(&s, RAKSHA_KIND_REPORT);
	is_int(sample_encode(&s, SAMPLE_NOW_MS, &opts, &buf, &len), 0, "a report encoded");
	same_own(buf, len, s.topic, "a report");
	free(buf);
	static uint8_t photo[200 * 1024];
	buf = photo_report(&s, photo, sizeof(photo), &len);
	same_own(buf, len, s.topic, "a report with a 200 KiB photo");
	free(buf);
	for (int k = RAKSHA_KIND_SIGHTING; k <= RAKSHA_KIND_LINK; k++) {
		sample_make(&s, (enum raksha_kind)k);
		if (sample_encode(&s, SAMPLE_NOW_MS, &opts, &buf, &len) == 0)
			same_own(buf, len, s.topic, raksha_kind_name((enum raksha_kind)k));
		free(buf);
		buf = NULL;
	}
}

static void test_refusals(struct raksha_envelope_arena *ea)
{
	struct sample s;
	uint8_t *buf = NULL;
	size_t len = 0;
	sample_make(&s, RAKSHA_KIND_REPORT);
	is_int(sample_encode(&s, SAMPLE_NOW_MS, &opts, &buf, &len), 0, "a report encoded");
	struct raksha_check_options small = {.now_ms = SAMPLE_NOW_MS, .max_size = len - 1};
	same_refusal(ea, buf, len, s.topic, &small, "one byte over the size limit");
	same_refusal(ea, buf, len / 2, s.topic, &opts, "cut in half");
	same_refusal(ea, buf, len, "raksha/v1/mp/bhopal/grp/sighting", &opts, "on a sighting topic");
	struct raksha_check_options later = {.now_ms = SAMPLE_NOW_MS - 2 * 86400000};
	same_refusal(ea, buf, len, s.topic, &later, "sent two days ahead");
	/* A field the checks refuse after the unpack: the arena's envelope
	 * is dropped, and the next decode into it is whole. */
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.child.name = "";
	size_t n = raksha__v1__envelope__get_packed_size(&s.env);
	uint8_t *bad = malloc(n);
	raksha__v1__envelope__pack(&s.env, bad);
	same_refusal(ea, bad, n, s.topic, &opts, "a child without a name");
	struct raksha_problem p = {0};
	raksha_envelope *env = NULL;
	raksha_envelope_decode_in(ea, bad, n, s.topic, &opts, &env, &p);
	ok(strstr(p.text, "report.child.name") != NULL, "  it names the field: %s", p.text);
	env = NULL;
	is_int(raksha_envelope_decode_in(ea, buf, len, s.topic, &opts, &env, NULL), 0,
	       "the next decode into the arena is whole");
	free(bad);
	free(buf);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	struct raksha_envelope_arena *ea = raksha_envelope_arena_new();
	ok(ea != NULL, "an arena");
	if (ea == NULL)
		return tap_done();
	test_bounded(ea);
	test_photo_given_back(ea);
	test_refusals(ea);
	test_own();
	raksha_envelope_arena_free(ea);  /* with an envelope in it: ASan says if it leaks */
	raksha_envelope_arena_free(NULL);
	return tap_done();
}
