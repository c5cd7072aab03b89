/* fuzz-publish-json: the JSON document of `raksha-publish ... --from FILE`,
 * read by libraksha's parser (lib/json_parse.c, raksha_message_from_json())
 * with the body descriptor of the command (publisher/tables.c's commands[]),
 * then wrapped in an envelope and encoded as publisher/command.c does.
 *
 * Input: one byte choosing the command (report, sighting, update, ack), then
 * the document. Oracles:
 *  - the parser on the raw bytes: a refusal has a text and no message; an
 *    accepted body renders to JSON (lib/json.c), which parses back and
 *    renders to the same text;
 *  - the publisher's path (jansson with duplicate keys refused, an object,
 *    its defaults: report status OPEN, revision 1, a report_id, a
 *    sighting_id, ack state RECEIVED; dumped compact, parsed by libraksha)
 *    accepts the document's own re-dump exactly when the raw parse did;
 *  - an accepted body in an envelope from mp/bhopal/grp that
 *    raksha_envelope_encode() accepts decodes and passes every check on its
 *    topic (what is published is what every agent takes), and its encoding
 *    is stable through decode and encode again. */
#include <errno.h>
#include <string.h>

#include <jansson.h>
#include <raksha/raksha.h>

#include "publisher/commands.h"

#include "tests/fuzz/fuzz.h"

static char *render(const ProtobufCMessage *msg)
{
	char *json = NULL;
	int r = raksha_message_to_json(msg, RAKSHA_JSON_COMPACT, &json);
	FUZZ_CHECK(r == 0 && json != NULL, "a parsed body did not render: %d", r);
	return json;
}

/* Parse, render, parse again, render again: the same text. */
static void fixed_point(const struct command *cmd, const ProtobufCMessage *body)
{
	char *j1 = render(body);
	ProtobufCMessage *again = NULL;
	struct raksha_problem p = {0};
	int r = raksha_message_from_json(cmd->desc, j1, strlen(j1), &again, &p);
	FUZZ_CHECK(r == 0, "%s: rendered JSON refused: %s (%s)", cmd->name, p.text, j1);
	char *j2 = render(again);
	FUZZ_CHECK(strcmp(j1, j2) == 0, "%s: JSON changed through parse and render:\n%s\n%s", cmd->name, j1, j2);
	free(j2);
	protobuf_c_message_free_unpacked(again, NULL);
	free(j1);
}

/* publisher/command.c's identity(): the ids and defaults the flags would add.
 * Returns false where the publisher would refuse (update without a status,
 * no report_id). */
static bool defaults(const struct command *cmd, json_t *d)
{
	static const char id[] = "01936f4e-7c2a-7b3d-8e4f-5a6b7c8d9e0f";
	switch (cmd->kind) {
	case RAKSHA_KIND_REPORT:
		if (json_object_get(d, "status") == NULL)
			json_object_set_new(d, "status", json_string("CASE_STATUS_OPEN"));
		if (json_object_get(d, "revision") == NULL)
			json_object_set_new(d, "revision", json_integer(1));
		if (json_object_get(d, "report_id") == NULL)
			json_object_set_new(d, "report_id", json_string(id));
		break;
	case RAKSHA_KIND_SIGHTING:
		if (json_object_get(d, "sighting_id") == NULL)
			json_object_set_new(d, "sighting_id", json_string(id));
		break;
	case RAKSHA_KIND_ACK:
		if (json_object_get(d, "state") == NULL)
			json_object_set_new(d, "state", json_string("ACK_STATE_RECEIVED"));
		break;
	case RAKSHA_KIND_UPDATE:
		if (json_object_get(d, "status") == NULL)
			return false;
		break;
	default:
		break;
	}
	return cmd->kind == RAKSHA_KIND_SIGHTING || json_object_get(d, "report_id") != NULL;
}

/* Makes @body the envelope's body: the member of its oneof named as the
 * kind is (the schema's body fields are the topics' kind names). */
static void set_body(raksha_envelope *env, enum raksha_kind kind, ProtobufCMessage *body)
{
	const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field_by_name(
		&raksha__v1__envelope__descriptor, raksha_kind_name(kind));
	FUZZ_CHECK(fd != NULL && fd->type == PROTOBUF_C_TYPE_MESSAGE && fd->descriptor == body->descriptor,
		   "no envelope body field for %s", raksha_kind_name(kind));
	*(ProtobufCMessage **)((char *)env + fd->offset) = body;
	*(uint32_t *)((char *)env + fd->quantifier_offset) = fd->id;
}

/* publisher/command.c's envelope(), with a fixed id and clock. */
static void publish(const struct command *cmd, ProtobufCMessage *body)
{
	Raksha__V1__Origin origin = RAKSHA__V1__ORIGIN__INIT;
	origin.state = "mp", origin.region = "bhopal", origin.agency = "grp";
	origin.unit = "GRP Post Bhopal Jn", origin.sender_id = "mp-bhopal-grp-desk1";
	origin.officer_name = "SI Anita Verma", origin.officer_badge = "GRP-4521";
	origin.officer_phone = "+91 755 2550000";
	uint8_t msg_id[RAKSHA_UUID_LEN] = {0x01, 0x93, 0x6f, 0x4e, 0x7c, 0x2a, 0x7b, 0x3d,
					   0x8e, 0x4f, 0x5a, 0x6b, 0x7c, 0x8d, 0x9e, 0x01};
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	env.origin = &origin;
	env.message_id = (ProtobufCBinaryData){sizeof(msg_id), msg_id};
	env.sent_at_ms = FUZZ_NOW_MS;
	set_body(&env, cmd->kind, body);
	struct raksha_topic t = {.state = "mp", .region = "bhopal", .agency = "grp", .kind = cmd->kind};
	char topic[RAKSHA_TOPIC_MAX];
	FUZZ_CHECK(raksha_topic_format(&t, topic, sizeof(topic)) > 0, "formatting the %s topic", cmd->name);

	struct raksha_check_options opts = {.now_ms = FUZZ_NOW_MS};
	struct raksha_problem p = {0};
	uint8_t *b1 = NULL, *b2 = NULL;
	size_t n1 = 0, n2 = 0;
	if (raksha_envelope_encode(&env, topic, &opts, &b1, &n1, &p) < 0) {
		FUZZ_CHECK(p.cause != RAKSHA_CAUSE_NONE && p.text[0] != '\0', "%s: refused without a text",
			   cmd->name);
		return;
	}
	raksha_envelope *back = NULL;
	int r = raksha_envelope_decode(b1, n1, topic, &opts, &back, &p);
	FUZZ_CHECK(r == 0, "%s: published, then refused by decode on %s: %s", cmd->name, topic, p.text);
	r = raksha_envelope_encode(back, topic, &opts, &b2, &n2, &p);
	FUZZ_CHECK(r == 0 && n1 == n2 && memcmp(b1, b2, n1) == 0, "%s: encoding not stable (%d, %zu vs %zu)",
		   cmd->name, r, n1, n2);
	raksha_envelope_free(back);
	free(b1);
	free(b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct command *cmd = &commands[data[0] % 4];
	const char *json = (const char *)data + 1;
	size--;

	/* The parser itself, on the raw document. */
	ProtobufCMessage *body = NULL;
	struct raksha_problem p = {0};
	int raw = raksha_message_from_json(cmd->desc, json, size, &body, &p);
	if (raw < 0) {
		FUZZ_CHECK(body == NULL && p.text[0] != '\0' &&
				   (p.cause == RAKSHA_CAUSE_INVALID || p.cause == RAKSHA_CAUSE_NO_MEMORY),
			   "%s: refused (%d) without a text, or with a message", cmd->name, raw);
	} else {
		FUZZ_CHECK(body != NULL, "%s: accepted, no message", cmd->name);
		fixed_point(cmd, body);
		protobuf_c_message_free_unpacked(body, NULL);
		body = NULL;
	}

	/* The publisher's path. */
	json_error_t err;
	json_t *doc = json_loadb(json, size, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL || !json_is_object(doc)) {
		json_decref(doc);
		return 0;
	}
	char *text = json_dumps(doc, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "json_dumps");
	int redumped = raksha_message_from_json(cmd->desc, text, strlen(text), &body, &p);
	FUZZ_CHECK((redumped == 0) == (raw == 0), "%s: the raw document %s, its re-dump %s: %s", cmd->name,
		   raw == 0 ? "accepted" : "refused", redumped == 0 ? "accepted" : "refused", text);
	if (body != NULL)
		protobuf_c_message_free_unpacked(body, NULL);
	body = NULL;
	free(text);

	if (defaults(cmd, doc)) {
		text = json_dumps(doc, JSON_COMPACT);
		FUZZ_CHECK(text != NULL, "json_dumps");
		if (raksha_message_from_json(cmd->desc, text, strlen(text), &body, &p) == 0) {
			publish(cmd, body);
			protobuf_c_message_free_unpacked(body, NULL);
		}
		free(text);
	}
	json_decref(doc);
	return 0;
}
