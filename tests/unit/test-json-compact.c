/* lib/json_compact.c, the compact JSON written without a jansson tree,
 * against jansson itself: every kind of message of tests/lib/sample.c,
 * with and without RAKSHA_JSON_PHOTO_SIZES, hostile strings and awkward
 * numbers must give the very bytes (and the very errors) that the tree
 * lib/json.c builds gives once jansson dumps it compact. The tree is had
 * through RAKSHA_JSON_PRETTY (still rendered by jansson) parsed and dumped
 * again: strings and integers come back as they were, and doubles printed
 * to 15 significant digits read back to a double that prints the same. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

/* What jansson's tree gives compact, in *@out; its error otherwise. */
static int jansson_compact(const raksha_envelope *env, unsigned flags, char **out)
{
	char *pretty = NULL;
	int r = raksha_message_to_json(&env->base, flags | RAKSHA_JSON_PRETTY, &pretty);
	if (r < 0)
		return r;
	json_error_t err;
	json_t *j = json_loads(pretty, 0, &err);
	free(pretty);
	*out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(j);
	return *out != NULL ? 0 : -ENOMEM;
}

static void same(const raksha_envelope *env, unsigned flags, const char *what)
{
	char *ours = NULL, *theirs = NULL;
	int r = raksha_message_to_json(&env->base, flags, &ours);
	int t = jansson_compact(env, flags, &theirs);
	is_int(r, t, "%s: the same result (%d)", what, t);
	if (r == 0 && t == 0)
		is_str(ours, theirs, "%s: the same bytes", what);
	free(ours);
	free(theirs);
}

static void test_kinds(void)
{
	static const char *const names[] = {"", "report", "sighting", "update", "ack", "escalation",
					    "agent", "link"};
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_LINK; k++) {
		struct sample s;
		char what[64];
		raksha_envelope *env = sample_make(&s, (enum raksha_kind)k);
		snprintf(what, sizeof(what), "%s", names[k]);
		same(env, RAKSHA_JSON_COMPACT, what);
		snprintf(what, sizeof(what), "%s, photo sizes", names[k]);
		same(env, RAKSHA_JSON_PHOTO_SIZES, what);
	}
}

static void test_strings(void)
{
	static const char *const hostile[] = {
		"सीमा कुमारी", "quote \" backslash \\ slash /", "tab\tLF\nCR\r", "\x01\x1f", "\b\f",
		"ESC \x1b[2J", "DEL \x7f", "C1 \xc2\x85", "emoji \xf0\x9f\x98\x80", "\xef\xbf\xbf",
		"", "invalid \xff", "overlong \xc0\xaf", "surrogate \xed\xa0\x80", "cut \xe0\xa4",
		"beyond \xf4\x90\x80\x80",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct sample s;
		char what[64];
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		s.child.name = (char *)hostile[i];
		s.guardian.name = (char *)hostile[i];
		snprintf(what, sizeof(what), "string %zu", i);
		same(env, RAKSHA_JSON_COMPACT, what);
	}
}

/* 1 if the compact JSON and jansson's differ on a report whose name is @name. */
static int differs(const char *name)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	s.child.name = (char *)name;
	char *ours = NULL, *theirs = NULL;
	int r = raksha_message_to_json(&env->base, RAKSHA_JSON_COMPACT, &ours);
	int t = jansson_compact(env, RAKSHA_JSON_COMPACT, &theirs);
	int bad = r != t || (r == 0 && strcmp(ours, theirs) != 0);
	free(ours);
	free(theirs);
	return bad;
}

/* The bytes that change how a string is written (escaped, not ASCII,
 * not UTF-8), each at every place of ASCII names of 1 to 24 bytes: the
 * copy that tests eight bytes at a time must see it in any word and in
 * the tail (lib/ascii_run.h). */
static void test_strings_by_word(void)
{
	static const char special[] = {'"', '\\', '\t', '\n', '\r', 0x01, 0x1f, 0x7f, (char)0x80,
				       (char)0xc3, (char)0xff, '/', ' ', '~'};
	char name[32];
	int bad = 0;
	for (size_t len = 1; len <= 24; len++)
		for (size_t pos = 0; pos < len; pos++)
			for (size_t b = 0; b < sizeof(special); b++) {
				for (size_t k = 0; k < len; k++)
					name[k] = (char)('A' + k % 26);
				name[pos] = special[b];
				name[len] = '\0';
				bad += differs(name);
			}
	is_int(bad, 0, "a special byte anywhere in names of 1 to 24 bytes: jansson's bytes");
}

/* Bytes of every length modulo 3 (the padding of base64), none to 100. */
static void test_bytes(void)
{
	uint8_t data[100];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 37 + 11);
	for (size_t n = 1; n <= sizeof(data); n++) {
		struct sample s;
		char what[64];
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		s.photo.data.data = data;
		s.photo.data.len = n;
		snprintf(what, sizeof(what), "%zu bytes of photo", n);
		same(env, RAKSHA_JSON_COMPACT, what);
	}
}

static void test_numbers(void)
{
	static const double reals[] = {1.0, -0.5, 23.2599, 1e21, 1e-7, 123456789012345678.0, 5e-324,
				       -1e300, 0.1 + 0.2, 100.0, -0.0, NAN, INFINITY};
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		struct sample s;
		char what[64];
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		s.location.latitude = reals[i];
		s.location.longitude = -reals[i];
		snprintf(what, sizeof(what), "real %.17g", reals[i]);
		same(env, RAKSHA_JSON_COMPACT, what);
	}
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	s.env.sent_at_ms = INT64_MIN;
	same(env, RAKSHA_JSON_COMPACT, "int64 min");
	s.env.sent_at_ms = INT64_MAX;
	same(env, RAKSHA_JSON_COMPACT, "int64 max");
	s.report.priority = -1;
	same(env, RAKSHA_JSON_COMPACT, "an enum number it does not name");
}

/* The GeoPoint {latitude: @v, longitude: -@v} as jansson dumps it (its
 * jsonp_dtostr(), precision 15) against lib/json_compact.c; 1 if they
 * differ (the first few shown). */
static int real_differs(double v)
{
	static int shown;
	Raksha__V1__GeoPoint point = RAKSHA__V1__GEO_POINT__INIT;
	point.latitude = v;
	point.longitude = -v;
	char *ours = NULL;
	json_t *j = json_pack("{s:f,s:f}", "latitude", v, "longitude", -v);
	char *theirs = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(j);
	int r = raksha_message_to_json(&point.base, RAKSHA_JSON_COMPACT, &ours);
	int differs = r != 0 || theirs == NULL || strcmp(ours, theirs) != 0;
	if (differs && shown++ < 5)
		printf("# %.17g: ours %s, jansson's %s\n", v, ours != NULL ? ours : "(error)", theirs);
	free(ours);
	free(theirs);
	return differs;
}

/* A double of random bits (any sign, any exponent but NaN and infinity). */
static double random_bits(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	unsigned long long bits = *state;
	double v;
	memcpy(&v, &bits, sizeof(v));
	return isfinite(v) && v != 0.0 ? v : 1.5;
}

/* Reals written without printf (coordinates, counts; the fixed notation of
 * "%.15g") give jansson's bytes: random bits over all exponents, random
 * bits within 1e-5..1e16, coordinates of 1 to 9 decimals, integers, exact
 * halves at the 16th digit (rounded to even), the neighbours of 1e-4,
 * 1e15 and every power of ten, and values that round up a decade. */
static void test_reals(void)
{
	static const double edges[] = {
		1e-4, 1e15, 9.999999999999995e14, 9.9999999999999995e-5, 999999999999999.5,
		1000000000000005.0, 1000000000000015.0, 0.30000000000000004, 2.5, 0.1, 123456789012345.6,
		12345678901234.5, 99999999999999.95, 0.00012345678901234567, 4503599627370497.0,
	};
	int differ = 0, n = 0;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++, n++)
		differ += real_differs(edges[i]);
	for (int e = -6; e <= 16; e++) {
		double p = pow(10, e);
		differ += real_differs(p) + real_differs(nextafter(p, 0)) + real_differs(nextafter(p, INFINITY));
		n += 3;
	}
	unsigned long long state = 19;
	for (int i = 0; i < 20000; i++, n += 4) {
		double any = random_bits(&state);
		double in_range = ldexp(frexp(any, &(int){0}), (int)(state >> 58) % 70 - 17);
		double coordinate = (double)(long long)(state % 36000000000ULL - 18000000000LL) / pow(10, 1 + i % 9);
		differ += real_differs(any) + real_differs(in_range) + real_differs(coordinate) +
			  real_differs((double)(long long)(state >> 14));
	}
	is_int(differ, 0, "%d reals: jansson's bytes", n);
}

int main(void)
{
	test_kinds();
	test_strings();
	test_strings_by_word();
	test_bytes();
	test_numbers();
	test_reals();
	return tap_done();
}
