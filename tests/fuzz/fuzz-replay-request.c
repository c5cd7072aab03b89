/* fuzz-replay-request: remote replay's request (subscriber/replay_request.c),
 * the JSON an archive agent (subscriber/replay_server.c) reads from anyone
 * the broker lets publish on raksha/replay/{archive}/request/#.
 *
 * Oracles: a refusal names its key or byte (a non-empty error) and leaves
 * nothing allocated; an accepted request has only valid MQTT filters (at most
 * 16), kinds among the six, non-negative numbers, no kinds or report with
 * "rejected"; rendered back by replay_request_encode() it parses again into
 * the same selection, and renders to the same text. */
#include <string.h>

#include <raksha/topic.h>

#include "history/history.h"
#include "history/replay_request.h"

#include "tests/fuzz/fuzz.h"

static void same(const struct history_filter *a, const struct history_filter *b, const char *json)
{
	FUZZ_CHECK(a->n_topics == b->n_topics, "topics %zu then %zu: %s", a->n_topics, b->n_topics, json);
	for (size_t i = 0; i < a->n_topics; i++)
		FUZZ_CHECK(strcmp(a->topics[i], b->topics[i]) == 0, "topic %zu '%s' then '%s'", i, a->topics[i],
			   b->topics[i]);
	FUZZ_CHECK(a->since_ms == b->since_ms && a->until_ms == b->until_ms && a->limit == b->limit &&
			   a->after_seq == b->after_seq,
		   "numbers differ: %s", json);
	FUZZ_CHECK(a->kinds == b->kinds, "kinds %#x then %#x: %s", a->kinds, b->kinds, json);
	FUZZ_CHECK(a->rejected == b->rejected && a->has_report == b->has_report &&
			   (!a->has_report || memcmp(a->report_id, b->report_id, sizeof(a->report_id)) == 0),
		   "rejected or report differ: %s", json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history_filter f, g;
	char err[256] = "";
	if (replay_request_decode(data, size, &f, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0] != '\0', "refused without saying why");
		return 0;  /* LeakSanitizer sees anything it left allocated */
	}
	FUZZ_CHECK(f.n_topics <= HISTORY_MAX_TOPICS, "%zu topics", f.n_topics);
	for (size_t i = 0; i < f.n_topics; i++)
		FUZZ_CHECK(raksha_filter_validate(f.topics[i]) == 0, "accepted filter '%s'", f.topics[i]);
	unsigned all = 0;
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_LINK; k++)
		all |= history_kind_bit(raksha_kind_name((enum raksha_kind)k));
	FUZZ_CHECK((f.kinds & ~all) == 0, "kinds %#x outside the six", f.kinds);
	FUZZ_CHECK(f.since_ms >= 0 && f.until_ms >= 0 && f.limit >= 0 && f.after_seq == 0,
		   "negative or unexpected numbers");
	FUZZ_CHECK(!f.rejected || (f.kinds == 0 && !f.has_report), "rejected with kinds or a report");

	char *json = NULL, *again = NULL;
	FUZZ_CHECK(replay_request_encode(&f, &json) == 0 && json != NULL, "an accepted request does not render");
	FUZZ_CHECK(replay_request_decode(json, strlen(json), &g, err, sizeof(err)) == 0,
		   "its own rendering is refused: %s (%s)", err, json);
	same(&f, &g, json);
	FUZZ_CHECK(replay_request_encode(&g, &again) == 0 && strcmp(json, again) == 0,
		   "rendering changed: %s then %s", json, again ? again : "(none)");
	free(again);
	free(json);
	history_filter_free(&g);
	history_filter_free(&f);
	return 0;
}
