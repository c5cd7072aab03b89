/* fuzz-topic: Raksha topic names (lib/topic.c) and MQTT 3.1.1 topic filters
 * (lib/filter.c), what every subscription, ACL check and replay selection
 * relies on.
 *
 * Input: a topic, a newline, a filter (each cut at a NUL byte, as C strings
 * are). Oracles:
 *  - a topic raksha_topic_parse() accepts formats back to exactly itself, at
 *    exactly its length plus one byte (one byte less: -ENOBUFS); its segments
 *    and agent id are valid; it is a valid MQTT filter, matches "#", itself,
 *    "raksha/v1/STATE/#" and "raksha/v1/+/+/+/+" unless it is presence;
 *    a refused one says why, with cause bad-topic;
 *  - raksha_filter_validate() and raksha_filter_matches() agree with a
 *    straightforward reference of MQTT 3.1.1 section 4.7 written here from the
 *    standard (levels split on '/', '+' one level, empty too, '#' the parent
 *    and everything below, wildcards at the first level never match '$'
 *    topics, 1..65535 bytes), for the input's filter against its topic, its
 *    topic as a filter against itself, and "#" against the topic. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <raksha/topic.h>

#include "tests/fuzz/fuzz.h"

#define MQTT_MAX 65535

/* MQTT 3.1.1 4.7.1: a filter's '+' is a whole level, '#' a whole last level. */
static bool ref_filter_valid(const char *f)
{
	size_t len = strlen(f);
	if (len == 0 || len > MQTT_MAX)
		return false;
	const char *level = f;
	for (;;) {
		const char *end = strchr(level, '/');
		size_t n = end ? (size_t)(end - level) : strlen(level);
		for (size_t i = 0; i < n; i++) {
			if (level[i] == '+' && n != 1)
				return false;
			if (level[i] == '#' && (n != 1 || end != NULL))
				return false;
		}
		if (end == NULL)
			return true;
		level = end + 1;
	}
}

/* A topic name (what is published) never holds a wildcard. */
static bool ref_topic_valid(const char *t)
{
	size_t len = strlen(t);
	return len > 0 && len <= MQTT_MAX && strpbrk(t, "+#") == NULL;
}

/* The levels of @s, split on '/' (empty ones included), into a new array
 * of their starts and lengths; *@n receives how many. */
struct level {
	const char *s;
	size_t n;
};

static struct level *levels(const char *s, size_t *n)
{
	size_t count = 1;
	for (const char *p = s; *p; p++)
		count += *p == '/';
	struct level *l = malloc(count * sizeof(*l));
	if (l == NULL)
		abort();
	for (size_t i = 0; i < count; i++) {
		size_t len = strcspn(s, "/");
		l[i] = (struct level){s, len};
		s += len + 1;
	}
	*n = count;
	return l;
}

static bool ref_matches(const char *f, const char *t)
{
	if (!ref_filter_valid(f) || !ref_topic_valid(t))
		return false;
	if (t[0] == '$' && (f[0] == '+' || f[0] == '#'))
		return false;
	size_t nf, nt;
	struct level *fl = levels(f, &nf), *tl = levels(t, &nt);
	bool match = nf == nt;
	for (size_t i = 0; i < nf; i++) {
		if (fl[i].n == 1 && fl[i].s[0] == '#') {
			match = true;  /* the parent level (i == nt) and everything below */
			break;
		}
		if (i >= nt || (!(fl[i].n == 1 && fl[i].s[0] == '+') &&
				(fl[i].n != tl[i].n || memcmp(fl[i].s, tl[i].s, fl[i].n) != 0))) {
			match = false;
			break;
		}
	}
	free(fl);
	free(tl);
	return match;
}

static void agree(const char *filter, const char *topic)
{
	bool want = ref_matches(filter, topic), got = raksha_filter_matches(filter, topic);
	FUZZ_CHECK(want == got, "filter '%s' on topic '%s': libraksha says %d, MQTT 3.1.1 says %d", filter,
		   topic, got, want);
}

static void raksha_topic_oracles(const char *topic)
{
	struct raksha_topic t;
	struct raksha_problem p = {0};
	if (raksha_topic_parse(topic, &t, &p) < 0) {
		FUZZ_CHECK(p.cause == RAKSHA_CAUSE_BAD_TOPIC && p.text[0] != '\0',
			   "topic '%s' refused without cause or text", topic);
		return;
	}
	size_t len = strlen(topic);
	FUZZ_CHECK(len < RAKSHA_TOPIC_MAX, "accepted a topic of %zu bytes, RAKSHA_TOPIC_MAX is %d", len,
		   RAKSHA_TOPIC_MAX);
	FUZZ_CHECK(raksha_segment_valid(t.state) && raksha_segment_valid(t.region) &&
		   raksha_segment_valid(t.agency), "accepted '%s' with an invalid segment", topic);
	FUZZ_CHECK(t.kind > RAKSHA_KIND_NONE && t.kind <= RAKSHA_KIND_LINK, "kind %d", (int)t.kind);
	FUZZ_CHECK(t.kind == RAKSHA_KIND_AGENT ? raksha_agent_id_valid(t.agent_id) : t.agent_id[0] == '\0',
		   "agent id '%s' of '%s'", t.agent_id, topic);
	FUZZ_CHECK(raksha_kind_from_name(raksha_kind_name(t.kind)) == t.kind, "kind name of %d", (int)t.kind);

	char buf[RAKSHA_TOPIC_MAX];
	int n = raksha_topic_format(&t, buf, sizeof(buf));
	FUZZ_CHECK(n == (int)len && strcmp(buf, topic) == 0, "'%s' formats back as '%s' (%d)", topic, buf, n);
	n = raksha_topic_format(&t, buf, len + 1);
	FUZZ_CHECK(n == (int)len, "formatting '%s' into exactly %zu bytes gave %d", topic, len + 1, n);
	n = raksha_topic_format(&t, buf, len);
	FUZZ_CHECK(n == -ENOBUFS, "formatting '%s' into %zu bytes gave %d, not -ENOBUFS", topic, len, n);

	FUZZ_CHECK(raksha_filter_validate(topic) == 0, "topic '%s' is not a valid filter", topic);
	FUZZ_CHECK(raksha_filter_matches("#", topic), "'#' does not match '%s'", topic);
	FUZZ_CHECK(raksha_filter_matches(topic, topic), "'%s' does not match itself", topic);
	char state_tree[RAKSHA_TOPIC_MAX];
	snprintf(state_tree, sizeof(state_tree), "raksha/v1/%s/#", t.state);
	FUZZ_CHECK(raksha_filter_matches(state_tree, topic), "'%s' does not match '%s'", state_tree, topic);
	FUZZ_CHECK(raksha_filter_matches("raksha/v1/+/+/+/+", topic) == (t.kind != RAKSHA_KIND_AGENT),
		   "raksha/v1/+/+/+/+ on '%s'", topic);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *nl = memchr(text, '\n', strlen(text));
	const char *topic = text, *filter = "#";
	if (nl != NULL) {
		*nl = '\0';
		filter = nl + 1;
	}

	raksha_topic_oracles(topic);

	FUZZ_CHECK((raksha_filter_validate(filter) == 0) == ref_filter_valid(filter),
		   "filter '%s': validate says %d", filter, raksha_filter_validate(filter));
	FUZZ_CHECK((raksha_filter_validate(topic) == 0) == ref_filter_valid(topic),
		   "filter '%s': validate says %d", topic, raksha_filter_validate(topic));
	agree(filter, topic);
	agree(topic, topic);
	agree("#", topic);
	agree("+", topic);
	agree(filter, filter);
	if (ref_topic_valid(topic)) {
		FUZZ_CHECK(raksha_filter_matches(topic, topic), "valid topic '%s' does not match itself", topic);
		FUZZ_CHECK(raksha_filter_matches("#", topic) == (topic[0] != '$'), "'#' on '%s'", topic);
	}
	free(text);
	return 0;
}
