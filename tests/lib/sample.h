/* Test fixture: complete, valid envelopes of every kind, built in caller-owned
 * storage (no allocation), with nearly every field of the schema set. */
#ifndef RAKSHA_TESTS_SAMPLE_H
#define RAKSHA_TESTS_SAMPLE_H

#include <raksha/raksha.h>

/* 2026-11-29T10:05:00+05:30: the fixtures' "now"; tests check with this clock. */
#define SAMPLE_NOW_MS INT64_C(1795926900000)

/* Everything one sample envelope points into. */
struct sample {
	raksha_envelope env;
	Raksha__V1__Origin origin;
	Raksha__V1__Report report;
	Raksha__V1__Sighting sighting;
	Raksha__V1__StatusUpdate update;
	Raksha__V1__Ack ack;
	Raksha__V1__Escalation escalation;
	Raksha__V1__AgentStatus agent;
	Raksha__V1__Child child;
	Raksha__V1__AgeRange age_range;
	Raksha__V1__Photo photo, *photos[1];
	Raksha__V1__Guardian guardian;
	Raksha__V1__Place place;
	Raksha__V1__GeoPoint location;
	Raksha__V1__CaseReference case_ref;
	Raksha__V1__Person companion, *companions[1];
	char *other_names[2], *languages[2], *subscriptions[2];
	uint8_t message_id[16], report_id[16], sighting_id[16];
	uint8_t photo_data[64], photo_sha256[32];
	char topic[RAKSHA_TOPIC_MAX];
};

/* Fills @s with a valid envelope of @kind (mp/bhopal/grp, sent at
 * SAMPLE_NOW_MS) and its topic in s->topic. Returns &s->env. */
raksha_envelope *sample_make(struct sample *s, enum raksha_kind kind);

/* Makes @s come from @state/@region/@agency: its origin and its topic
 * (for a presence, agent s->origin.sender_id's). */
void sample_from(struct sample *s, const char *state, const char *region, const char *agency);

/* Encodes @s as a new publication: a fresh message id, sent at
 * @sent_at_ms, checked with @o (NULL: the real clock), into *@buf (the
 * caller frees it) and *@len. Returns 0, or raksha_envelope_stamp's or
 * raksha_envelope_encode's negative errno. */
int sample_encode(struct sample *s, int64_t sent_at_ms, const struct raksha_check_options *o,
		  uint8_t **buf, size_t *len);

#endif
