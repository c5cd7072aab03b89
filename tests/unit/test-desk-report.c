/* The report forms' glue (subscriber/desk/desk_report_json.c): a
 * datetime-local read as IST whatever TZ says, and written back; the
 * validator's words mapped to the form's field (the longest path, a
 * companion's by its index, a parent's to its first field); the values
 * made JSON and run through the real validator (raksha_message_from_json(),
 * raksha_envelope_check()) until every bad field has its own error, in the
 * validator's words, and nothing comes out; a good form gives its message,
 * Devanagari byte for byte. A photo's sides as taken from its header: a
 * camera JPEG past its EXIF, a PNG; a cut or hostile header refused. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "desk/desk_report.h"
#include "tests/lib/camera_jpeg.h"
#include "tests/lib/tap.h"

#define NOW_MS 1796601600000LL  /* 2026-12-07T00:00:00Z */

static int at(const char *path)
{
	for (int i = 0; desk_rf_report.fields[i].label != NULL; i++)
		if (desk_rf_report.fields[i].path != NULL && strcmp(desk_rf_report.fields[i].path, path) == 0)
			return i;
	return -1;
}

/* The envelope a desk of mp/bhopal/grp would send, checked for real. */
static int check(void *ctx, ProtobufCMessage *body, struct raksha_problem *pr)
{
	(void)ctx;
	uint8_t id[RAKSHA_UUID_LEN];
	Raksha__V1__Origin o = RAKSHA__V1__ORIGIN__INIT;
	o.state = "mp";
	o.region = "bhopal";
	o.agency = "grp";
	raksha_envelope env = RAKSHA__V1__ENVELOPE__INIT;
	env.origin = &o;
	env.body_case = RAKSHA__V1__ENVELOPE__BODY_REPORT;
	env.report = (Raksha__V1__Report *)(void *)body;
	raksha_envelope_stamp(&env, id);
	return raksha_envelope_check(&env, "raksha/v1/mp/bhopal/grp/report", NULL, pr);
}

static void times(void)
{
	int64_t ms = 0;
	char back[32];
	setenv("TZ", "America/New_York", 1);
	tzset();
	is_int(desk_rf_ist_parse("2026-12-07T10:00", &ms), 0, "a datetime-local parses");
	ok(ms == NOW_MS + 4 * 3600000LL + 1800000LL, "  as IST (04:30 UTC), not as TZ says: %lld",
	   (long long)ms);
	desk_rf_ist(ms, back, sizeof(back));
	is_str(back, "2026-12-07T10:00", "  and written back in IST");
	is_int(desk_rf_ist_parse("07/12/2026 10:00", &ms), -EINVAL, "a date of another form refused");
	is_int(desk_rf_ist_parse("2026-12-07T10:00Z", &ms), -EINVAL, "  one with its own offset too");
}

static void paths(void)
{
	const struct desk_rf_kind *k = &desk_rf_report;
	is_int(desk_rf_field_of(k, "report", "report.child.age_years: 212 out of range 0..25"), at("child.age_years"),
	       "report.child.age_years: its field");
	is_int(desk_rf_field_of(k, "report", "child.age_range.max_years: \"x\" is not a number"),
	       at("child.age_range.max_years"), "the JSON reader's path, without the body's name");
	is_int(desk_rf_field_of(k, "report", "report.companions[1].phone: byte 0 is not a digit"),
	       at("companions[1].phone"), "a companion's phone by its index");
	is_int(desk_rf_field_of(k, "report", "report.child.photos[0].data: not JPEG"), at("child.photos"),
	       "a photo's error to the photos");
	is_int(desk_rf_field_of(k, "report", "report.child: required"), at("child.name"),
	       "a parent's error to its first field");
	is_int(desk_rf_field_of(k, "report", "report.report_id: required"), -1, "a field the form has not: none");
}

static void many_errors(void)
{
	struct desk_rf f = {.k = &desk_rf_report};
	void *doc;
	ProtobufCMessage *body = (void *)1;
	desk_rf_set(&f, at("child.age_years"), "abc");
	desk_rf_set(&f, at("guardian.phone"), "98abc");
	desk_rf_set(&f, at("companions[0].phone"), "call me");
	desk_rf_set(&f, at("last_seen.station_code"), "bpl");
	desk_rf_set(&f, at("last_seen.time_ms"), "2026-12-09T10:00");
	desk_rf_set(&f, at("child.clothing"), "red frock");
	is_int(desk_rf_to_json(&f, NOW_MS, &doc), 2, "the desk's own rules: the station code, the future time");
	json_object_set_new(doc, "report_id", json_string("01936e29-0000-7aaa-9bbb-ccddeeff0011"));
	json_object_set_new(doc, "revision", json_integer(1));
	is_int(desk_rf_validate(&f, doc, check, NULL, &body), 6, "six fields refused in all");
	ok(body == NULL, "  no message made");
	const char *want[][2] = {
		{"child.name", "report.child.name: "},
		{"child.age_years", "child.age_years: \"abc\" is not a number"},
		{"guardian.phone", "report.guardian.phone: "},
		{"companions[0].phone", "report.companions[0].phone: "},
		{"last_seen.station_code", "Station code (station_code): must be 1 to 5 capital letters"},
		{"last_seen.time_ms", "last_seen.time_ms: must not be in the future"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *e = f.errors[at(want[i][0])];
		ok(e != NULL && strncmp(e, want[i][1], strlen(want[i][1])) == 0, "  %s: %s", want[i][0], e ? e : "(none)");
	}
	ok(f.errors[at("child.clothing")] == NULL && f.top[0] == '\0', "  a good field has none");
	json_decref(doc);
	desk_rf_free(&f);
}

static void good(void)
{
	struct desk_rf f = {.k = &desk_rf_report};
	void *doc;
	ProtobufCMessage *body = NULL;
	desk_rf_set(&f, at("child.name"), "सीमा कुमारी");
	desk_rf_set(&f, at("child.other_names"), "Seema\r\n\r\nSeemu\n");
	desk_rf_set(&f, at("child.age_range.min_years"), "8");
	desk_rf_set(&f, at("child.age_range.max_years"), "10");
	desk_rf_set(&f, at("child.gender"), "GENDER_FEMALE");
	desk_rf_set(&f, at("last_seen.time_ms"), "2026-12-06T21:15");
	desk_rf_set(&f, at("last_seen.location.latitude"), "23.2599");
	desk_rf_set(&f, at("companions[1].role"), "PERSON_ROLE_SUSPECT");
	desk_rf_set(&f, at("exercise"), "yes");
	is_int(desk_rf_to_json(&f, NOW_MS, &doc), 0, "a good form: no error of the desk's");
	json_object_set_new(doc, "report_id", json_string("01936e29-0000-7aaa-9bbb-ccddeeff0011"));
	json_object_set_new(doc, "revision", json_integer(1));
	is_int(desk_rf_validate(&f, doc, check, NULL, &body), 0, "  nor of the validator's");
	const Raksha__V1__Report *r = (const void *)body;
	ok(r != NULL && strcmp(r->child->name, "सीमा कुमारी") == 0, "  the name byte for byte");
	ok(r != NULL && r->child->n_other_names == 2 && strcmp(r->child->other_names[1], "Seemu") == 0,
	   "  other names one a line, blank lines skipped");
	ok(r != NULL && r->child->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && r->child->age_range->max_years == 10,
	   "  the age range");
	ok(r != NULL && r->last_seen->time_ms == NOW_MS - 8 * 3600000LL - 15 * 60000LL,
	   "  the time, IST");
	ok(r != NULL && r->n_companions == 2 && r->companions[1]->role == RAKSHA__V1__PERSON_ROLE__PERSON_ROLE_SUSPECT,
	   "  the second companion at its index");
	ok(r != NULL && r->exercise, "  the drill ticked");
	if (body != NULL)
		protobuf_c_message_free_unpacked(body, NULL);
	json_decref(doc);
	desk_rf_free(&f);
}

static void sides(void)
{
	int w = 0, h = 0;
	struct bytes j = camera_exif_jpeg(64, 48, 6, 0);
	is_int(desk_rf_photo_sides(j.data, j.len, &w, &h), 0, "a camera JPEG's sides from its header");
	ok(w == 64 && h == 48, "  past its EXIF, ICC and comment: %d x %d (as stored, not turned)", w, h);
	is_int(desk_rf_photo_sides(j.data, 40, &w, &h), -EBADMSG, "  cut before its frame: -EBADMSG");
	j.data[4] = 0xFF;  /* the first segment's length, 65535: past the end */
	j.data[5] = 0xFF;
	is_int(desk_rf_photo_sides(j.data, j.len, &w, &h), -EBADMSG, "  a segment longer than the file: -EBADMSG");
	free(j.data);
	static const uint8_t png[24] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
					0, 0, 0x0F, 0xA0, 0, 0, 0x0B, 0xB8};
	is_int(desk_rf_photo_sides(png, sizeof(png), &w, &h), 0, "a PNG's IHDR");
	ok(w == 4000 && h == 3000, "  4000 x 3000: %d x %d", w, h);
	is_int(desk_rf_photo_sides((const uint8_t *)"GIF89a", 6, &w, &h), -EINVAL, "a GIF: -EINVAL");
}

int main(void)
{
	sides();
	times();
	paths();
	many_errors();
	good();
	return tap_done();
}
