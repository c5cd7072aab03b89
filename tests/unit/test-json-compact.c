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

int main(void)
{
	test_kinds();
	test_strings();
	test_numbers();
	return tap_done();
}
