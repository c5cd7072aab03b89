/* JSON rendering driven by descriptors: names, ids, enums, oneofs, base64. */
#include <errno.h>
#include <stdlib.h>

#include <jansson.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

static json_t *render(const raksha_envelope *env, unsigned flags)
{
	char *text = NULL;
	int r = raksha_message_to_json(&env->base, flags, &text);
	if (r < 0)
		return NULL;
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	if (!(flags & RAKSHA_JSON_PRETTY))
		ok(strchr(text, '\n') == NULL, "compact JSON is one line");
	free(text);
	return j;
}

static const char *str_at(json_t *j, const char *path)
{
	/* path: "report.child.name" */
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "."); tok && j; tok = strtok(NULL, "."))
		j = json_object_get(j, tok);
	return json_is_string(j) ? json_string_value(j) : NULL;
}

static void test_report(void)
{
	struct sample s;
	json_t *j = render(sample_make(&s, RAKSHA_KIND_REPORT), RAKSHA_JSON_COMPACT);
	if (!ok(j != NULL, "report renders as valid JSON"))
		return;
	is_str(str_at(j, "message_id"), "01936e2a-7b40-7123-8abc-010203040506", "message_id as UUID text");
	is_str(str_at(j, "report.report_id"), "01936e29-0000-7aaa-9bbb-ccddeeff0011", "report_id as UUID text");
	is_str(str_at(j, "report.child.name"), "सीमा कुमारी", "Devanagari as is");
	is_str(str_at(j, "report.child.gender"), "GENDER_FEMALE", "enum by name");
	is_str(str_at(j, "report.priority"), "PRIORITY_URGENT", "priority by name");
	is_str(str_at(j, "report.last_seen.station_code"), "BPL", "station_code");
	json_t *age = json_object_get(json_object_get(json_object_get(j, "report"), "child"), "age_years");
	ok(json_is_integer(age) && json_integer_value(age) == 9, "age_years is a number");
	json_t *sent = json_object_get(j, "sent_at_ms");
	ok(json_is_integer(sent) && json_integer_value(sent) == SAMPLE_NOW_MS, "int64 as a JSON number");
	json_t *lat = json_object_get(json_object_get(json_object_get(json_object_get(j, "report"),
				      "last_seen"), "location"), "latitude");
	ok(json_is_real(lat) && json_real_value(lat) == 23.2599, "latitude as a number");
	json_t *photo = json_array_get(json_object_get(json_object_get(json_object_get(j, "report"),
					"child"), "photos"), 0);
	const char *data = json_string_value(json_object_get(photo, "data"));
	ok(data != NULL && strncmp(data, "/9j/4Fpa", 8) == 0, "photo bytes as base64 (%s)", data ? data : "null");
	ok(json_string_value(json_object_get(photo, "sha256")) != NULL &&
	   strlen(json_string_value(json_object_get(photo, "sha256"))) == 44, "sha256 as base64, 44 chars");
	ok(json_object_get(j, "signature") == NULL, "unset bytes field left out");
	ok(json_object_get(json_object_get(j, "report"), "sighting") == NULL, "unset body not rendered");
	ok(json_object_get(j, "sighting") == NULL, "other oneof members left out");
	json_decref(j);

	/* Age 0 is a given age: a oneof member is rendered when chosen, even at 0. */
	s.child.age_years = 0;
	j = render(&s.env, RAKSHA_JSON_COMPACT);
	age = json_object_get(json_object_get(json_object_get(j, "report"), "child"), "age_years");
	ok(json_is_integer(age) && json_integer_value(age) == 0, "age_years 0 rendered");
	json_decref(j);

	j = render(&s.env, RAKSHA_JSON_PHOTO_SIZES | RAKSHA_JSON_PRETTY);
	photo = json_array_get(json_object_get(json_object_get(json_object_get(j, "report"),
					"child"), "photos"), 0);
	json_t *bytes = json_object_get(json_object_get(photo, "data"), "bytes");
	ok(json_is_integer(bytes) && json_integer_value(bytes) == 64, "PHOTO_SIZES: data as its size");
	json_decref(j);
}

static void test_every_kind(void)
{
	static const char *const body[] = {"report", "sighting", "update", "ack", "escalation", "agent"};
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_AGENT; k++) {
		struct sample s;
		json_t *j = render(sample_make(&s, (enum raksha_kind)k), RAKSHA_JSON_COMPACT);
		ok(j != NULL && json_is_object(json_object_get(j, body[k - 1])), "%s renders with its body",
		   body[k - 1]);
		json_decref(j);
	}
	struct sample s;
	sample_make(&s, RAKSHA_KIND_ACK);
	json_t *j = render(&s.env, RAKSHA_JSON_COMPACT);
	is_str(str_at(j, "ack.state"), "ACK_STATE_ACTING", "ack state by name");
	json_decref(j);
	/* A number the schema does not name is refused, not printed as a number. */
	char *out = NULL;
	s.ack.state = 42;
	is_int(raksha_message_to_json(&s.env.base, 0, &out), -ERANGE, "ack.state 42: -ERANGE");
	ok(out == NULL, "  and nothing rendered");
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.report.priority = -1;
	is_int(raksha_message_to_json(&s.env.base, 0, &out), -ERANGE, "report.priority -1: -ERANGE");
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.companion.role = 3;
	is_int(raksha_message_to_json(&s.env.base, 0, &out), -ERANGE,
	       "report.companions[0].role 3: -ERANGE");
}

static void test_errors(void)
{
	char *out = NULL;
	is_int(raksha_message_to_json(NULL, 0, &out), -EINVAL, "NULL message: -EINVAL");
	struct sample s;
	sample_make(&s, RAKSHA_KIND_AGENT);
	s.agent.version = "\xff\xfe";
	is_int(raksha_message_to_json(&s.env.base, 0, &out), -EILSEQ, "invalid UTF-8: -EILSEQ");
}

int main(void)
{
	test_report();
	test_every_kind();
	test_errors();
	return tap_done();
}
