#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "tests/lib/sample.h"

/* Fixed ids, so that fixtures are reproducible byte for byte. */
static const uint8_t MESSAGE_ID[16] = {0x01, 0x93, 0x6e, 0x2a, 0x7b, 0x40, 0x71, 0x23,
				       0x8a, 0xbc, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
static const uint8_t REPORT_ID[16] = {0x01, 0x93, 0x6e, 0x29, 0x00, 0x00, 0x7a, 0xaa,
				      0x9b, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11};
static const uint8_t SIGHTING_ID[16] = {0x01, 0x93, 0x6e, 0x2b, 0x11, 0x11, 0x7c, 0xcc,
					0xad, 0xdd, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc};

static void make_child(struct sample *s)
{
	raksha__v1__child__init(&s->child);
	s->child.name = "सीमा कुमारी";
	s->other_names[0] = "Seema Kumari";
	s->other_names[1] = "Seemu";
	s->child.n_other_names = 2;
	s->child.other_names = s->other_names;
	s->child.age_case = RAKSHA__V1__CHILD__AGE_AGE_YEARS;
	s->child.age_years = 9;
	raksha__v1__age_range__init(&s->age_range); /* for tests that switch to a range */
	s->child.gender = RAKSHA__V1__GENDER__GENDER_FEMALE;
	s->child.height_case = RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM;
	s->child.height_cm = 122;
	s->child.build = "thin";
	s->child.complexion = "wheatish";
	s->child.hair = "black, two plaits";
	s->child.clothing = "red frock, blue school sweater";
	s->child.identifying_marks = "mole under left eye";
	s->languages[0] = "hi";
	s->languages[1] = "bundeli";
	s->child.n_languages = 2;
	s->child.languages = s->languages;

	/* A tiny "JPEG": the magic bytes the validator checks, then filler. */
	static const uint8_t jpeg_magic[] = {0xff, 0xd8, 0xff, 0xe0};
	memset(s->photo_data, 0x5a, sizeof(s->photo_data));
	memcpy(s->photo_data, jpeg_magic, sizeof(jpeg_magic));
	crypto_hash_sha256(s->photo_sha256, s->photo_data, sizeof(s->photo_data));
	raksha__v1__photo__init(&s->photo);
	s->photo.media_type = "image/jpeg";
	s->photo.data = (ProtobufCBinaryData){sizeof(s->photo_data), s->photo_data};
	s->photo.sha256 = (ProtobufCBinaryData){sizeof(s->photo_sha256), s->photo_sha256};
	s->photo.caption = "school photo, 2026";
	s->photos[0] = &s->photo;
	s->child.n_photos = 1;
	s->child.photos = s->photos;
}

static void make_place(struct sample *s)
{
	raksha__v1__place__init(&s->place);
	s->place.time_ms = SAMPLE_NOW_MS - 3600 * 1000;
	s->place.description = "platform 1, near the tea stall";
	s->place.district = "bhopal";
	s->place.police_station = "GRP Bhopal";
	s->place.station_code = "BPL";
	s->place.train_number = "12627";
	s->place.coach = "S4";
	raksha__v1__geo_point__init(&s->location);
	s->location.latitude = 23.2599;
	s->location.longitude = 77.4126;
	s->place.location = &s->location;
}

static void make_report(struct sample *s)
{
	raksha__v1__report__init(&s->report);
	s->report.report_id = (ProtobufCBinaryData){16, s->report_id};
	s->report.revision = 1;
	s->report.status = RAKSHA__V1__CASE_STATUS__CASE_STATUS_OPEN;
	s->report.priority = RAKSHA__V1__PRIORITY__PRIORITY_URGENT;
	s->report.exercise = 1;
	s->report.child = &s->child;
	raksha__v1__guardian__init(&s->guardian);
	s->guardian.name = "रामेश्वर";
	s->guardian.relation = "father";
	s->guardian.phone = "+919876543210";
	s->report.guardian = &s->guardian;
	s->report.home_address = "Ward 12, Vidisha";
	s->report.last_seen = &s->place;
	raksha__v1__case_reference__init(&s->case_ref);
	s->case_ref.fir_number = "0123/2026";
	s->case_ref.police_station = "Kotwali Vidisha";
	s->case_ref.district = "vidisha";
	s->report.case_ref = &s->case_ref;
	raksha__v1__person__init(&s->companion);
	s->companion.role = RAKSHA__V1__PERSON_ROLE__PERSON_ROLE_SUSPECT;
	s->companion.name = "unknown man";
	s->companion.description = "about 35, grey shirt";
	s->companion.phone = "";
	s->companions[0] = &s->companion;
	s->report.n_companions = 1;
	s->report.companions = s->companions;
	s->report.notes = "Child may be taken towards Itarsi.";
}

static void make_bodies(struct sample *s)
{
	raksha__v1__sighting__init(&s->sighting);
	s->sighting.sighting_id = (ProtobufCBinaryData){16, s->sighting_id};
	s->sighting.report_id = (ProtobufCBinaryData){16, s->report_id};
	s->sighting.place = &s->place;
	s->sighting.in_custody = 1;
	s->sighting.notes = "seen boarding S4";

	raksha__v1__status_update__init(&s->update);
	s->update.report_id = (ProtobufCBinaryData){16, s->report_id};
	s->update.status = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_FOUND;
	s->update.place = &s->place;
	s->update.handed_over_to = "CWC Bhopal";

	raksha__v1__ack__init(&s->ack);
	s->ack.report_id = (ProtobufCBinaryData){16, s->report_id};
	s->ack.state = RAKSHA__V1__ACK_STATE__ACK_STATE_ACTING;
	s->ack.notes = "team at platform 1";

	raksha__v1__escalation__init(&s->escalation);
	s->escalation.report_id = (ProtobufCBinaryData){16, s->report_id};
	s->escalation.level = 1;
	s->escalation.reason = "no ack from rpf within 10m";
	s->escalation.target = "mp/control";
	s->escalation.rule = "urgent-rpf";

	raksha__v1__agent_status__init(&s->agent);
	s->agent.agent_id = "mp-bhopal-grp-1";
	s->agent.online = 1;
	s->agent.started_at_ms = SAMPLE_NOW_MS - 60000;
	s->agent.version = "0.1.0";
	s->subscriptions[0] = "raksha/v1/mp/#";
	s->subscriptions[1] = "raksha/v1/+/+/control/escalation";
	s->agent.n_subscriptions = 2;
	s->agent.subscriptions = s->subscriptions;
}

static void set_body(struct sample *s, enum raksha_kind kind)
{
	raksha_envelope *e = &s->env;
	switch (kind) {
	case RAKSHA_KIND_REPORT:
		e->body_case = RAKSHA__V1__ENVELOPE__BODY_REPORT;
		e->report = &s->report;
		break;
	case RAKSHA_KIND_SIGHTING:
		e->body_case = RAKSHA__V1__ENVELOPE__BODY_SIGHTING;
		e->sighting = &s->sighting;
		break;
	case RAKSHA_KIND_UPDATE:
		e->body_case = RAKSHA__V1__ENVELOPE__BODY_UPDATE;
		e->update = &s->update;
		break;
	case RAKSHA_KIND_ACK:
		e->body_case = RAKSHA__V1__ENVELOPE__BODY_ACK;
		e->ack = &s->ack;
		break;
	case RAKSHA_KIND_ESCALATION:
		e->body_case = RAKSHA__V1__ENVELOPE__BODY_ESCALATION;
		e->escalation = &s->escalation;
		break;
	case RAKSHA_KIND_AGENT:
	case RAKSHA_KIND_NONE:
		e->body_case = RAKSHA__V1__ENVELOPE__BODY_AGENT;
		e->agent = &s->agent;
		break;
	}
}

raksha_envelope *sample_make(struct sample *s, enum raksha_kind kind)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->message_id, MESSAGE_ID, 16);
	memcpy(s->report_id, REPORT_ID, 16);
	memcpy(s->sighting_id, SIGHTING_ID, 16);
	make_child(s);
	make_place(s);
	make_report(s);
	make_bodies(s);

	raksha__v1__origin__init(&s->origin);
	s->origin.state = "mp";
	s->origin.region = "bhopal";
	s->origin.agency = "grp";
	s->origin.unit = "GRP Post Bhopal Jn";
	s->origin.sender_id = "mp-bhopal-grp-1";
	s->origin.officer_name = "SI Anita Verma";
	s->origin.officer_badge = "GRP-4521";
	s->origin.officer_phone = "+91 755 2550000";

	raksha__v1__envelope__init(&s->env);
	s->env.message_id = (ProtobufCBinaryData){16, s->message_id};
	s->env.sent_at_ms = SAMPLE_NOW_MS;
	s->env.origin = &s->origin;
	set_body(s, kind);

	struct raksha_topic t = {.state = "mp", .region = "bhopal", .agency = "grp",
				 .kind = raksha_envelope_kind(&s->env),
				 .agent_id = "mp-bhopal-grp-1"};
	if (t.kind != RAKSHA_KIND_AGENT)
		t.agent_id[0] = '\0';
	raksha_topic_format(&t, s->topic, sizeof(s->topic));
	return &s->env;
}

void sample_from(struct sample *s, const char *state, const char *region, const char *agency)
{
	s->origin.state = (char *)state;
	s->origin.region = (char *)region;
	s->origin.agency = (char *)agency;
	struct raksha_topic t = {.kind = raksha_envelope_kind(&s->env)};
	snprintf(t.state, sizeof(t.state), "%s", state);
	snprintf(t.region, sizeof(t.region), "%s", region);
	snprintf(t.agency, sizeof(t.agency), "%s", agency);
	if (t.kind == RAKSHA_KIND_AGENT)
		snprintf(t.agent_id, sizeof(t.agent_id), "%s", s->origin.sender_id);
	raksha_topic_format(&t, s->topic, sizeof(s->topic));
}

int sample_encode(struct sample *s, int64_t sent_at_ms, const struct raksha_check_options *o,
		  uint8_t **buf, size_t *len)
{
	int r = raksha_envelope_stamp(&s->env, s->message_id);
	if (r < 0)
		return r;
	s->env.sent_at_ms = sent_at_ms;
	return raksha_envelope_encode(&s->env, s->topic, o, buf, len, NULL);
}
