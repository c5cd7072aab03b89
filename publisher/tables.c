/* Which flag sets which field, per command. The paths are the schema's
 * field names, as in a --from JSON file. */
#include "publisher/commands.h"

#define GENDER &raksha__v1__gender__descriptor, "GENDER_"

/* The child's description: a report's missing child, a sighting's found one. */
#define CHILD_FLAGS \
	{"name", F_STR, "child.name", NULL, NULL, "the child's name, as written (any script)"}, \
	{"other-name", F_STRS, "child.other_names", NULL, NULL, "another name or spelling (repeatable)"}, \
	{"age", F_UINT, "child.age_years", NULL, NULL, "age in years (0 for under one)"}, \
	{"age-range", F_AGE_RANGE, "child.age_range", NULL, NULL, "estimated age, MIN-MAX years"}, \
	{"gender", F_ENUM, "child.gender", GENDER, "female, male, transgender or other"}, \
	{"height-cm", F_UINT, "child.height_cm", NULL, NULL, "height in centimetres"}, \
	{"build", F_STR, "child.build", NULL, NULL, "thin, medium, heavy, ..."}, \
	{"complexion", F_STR, "child.complexion", NULL, NULL, "complexion"}, \
	{"hair", F_STR, "child.hair", NULL, NULL, "hair"}, \
	{"clothing", F_STR, "child.clothing", NULL, NULL, "clothing, type and colour"}, \
	{"marks", F_STR, "child.identifying_marks", NULL, NULL, "identifying marks"}, \
	{"language", F_STRS, "child.languages", NULL, NULL, "a language spoken (repeatable)"}, \
	{"photo", F_PHOTO, "child.photos", NULL, NULL, "a JPEG or PNG file, sent upright, <= 1024 px, no EXIF (repeatable)"}

/* Where: a report's last_seen, a sighting's or an update's place. */
#define PLACE_FLAGS(P) \
	{"district", F_STR, P ".district", NULL, NULL, "district"}, \
	{"station", F_STR, P ".station_code", NULL, NULL, "railway station code (BPL)"}, \
	{"train", F_STR, P ".train_number", NULL, NULL, "train number (12627)"}, \
	{"coach", F_STR, P ".coach", NULL, NULL, "coach (S4)"}, \
	{"lat", F_DOUBLE, P ".location.latitude", NULL, NULL, "latitude, WGS 84"}, \
	{"lon", F_DOUBLE, P ".location.longitude", NULL, NULL, "longitude, WGS 84"}

static const struct flag report_flags[] = {
	CHILD_FLAGS,
	{"guardian-name", F_STR, "guardian.name", NULL, NULL, "parent's or guardian's name"},
	{"guardian-relation", F_STR, "guardian.relation", NULL, NULL, "mother, father, uncle, ..."},
	{"guardian-phone", F_STR, "guardian.phone", NULL, NULL, "guardian's phone"},
	{"address", F_STR, "home_address", NULL, NULL, "home address"},
	{"last-seen-at", F_TIME, "last_seen.time_ms", NULL, NULL, "when last seen"},
	{"last-seen-place", F_STR, "last_seen.description", NULL, NULL, "where last seen, in words"},
	PLACE_FLAGS("last_seen"),
	{"fir", F_STR, "case_ref.fir_number", NULL, NULL, "FIR or complaint number"},
	{"police-station", F_STR, "case_ref.police_station", NULL, NULL, "police station of the FIR"},
	{"priority", F_ENUM, "priority", &raksha__v1__priority__descriptor, "PRIORITY_",
	 "1-5 or routine, elevated, high, urgent, critical"},
	{"exercise", F_BOOL, "exercise", NULL, NULL, "a drill, not a real case"},
	{"notes", F_STR, "notes", NULL, NULL, "anything else"},
	{0},
};

static const struct flag sighting_flags[] = {
	{"report", F_UUID, "report_id", NULL, NULL, "the report seen (omit for an unreported found child)"},
	{"at", F_TIME, "place.time_ms", NULL, NULL, "when seen"},
	{"place", F_STR, "place.description", NULL, NULL, "where seen, in words"},
	PLACE_FLAGS("place"),
	{"in-custody", F_BOOL, "in_custody", NULL, NULL, "the child is with your unit now"},
	CHILD_FLAGS,
	{"exercise", F_BOOL, "exercise", NULL, NULL, "a drill"},
	{"notes", F_STR, "notes", NULL, NULL, "anything else"},
	{0},
};

static const struct flag update_flags[] = {
	{"report", F_UUID, "report_id", NULL, NULL, "the report (required)"},
	{"status", F_ENUM, "status", &raksha__v1__update_status__descriptor, "UPDATE_STATUS_",
	 "found, rescued, reunited, closed, cancelled or reopened (required)"},
	{"handed-over-to", F_STR, "handed_over_to", NULL, NULL, "CWC, guardian, shelter"},
	{"at", F_TIME, "place.time_ms", NULL, NULL, "when"},
	{"place", F_STR, "place.description", NULL, NULL, "where, in words"},
	{"station", F_STR, "place.station_code", NULL, NULL, "railway station code"},
	{"notes", F_STR, "notes", NULL, NULL, "anything else"},
	{0},
};

static const struct flag ack_flags[] = {
	{"report", F_UUID, "report_id", NULL, NULL, "the report (required)"},
	{"state", F_ENUM, "state", &raksha__v1__ack_state__descriptor, "ACK_STATE_",
	 "received (default), acting or done"},
	{"notes", F_STR, "notes", NULL, NULL, "what you are doing"},
	{0},
};

static const struct flag link_flags[] = {
	{"found", F_UUID, "found_id", NULL, NULL, "the found child's id (its sighting id; required)"},
	{"report", F_UUID, "report_id", NULL, NULL, "the report it is (required)"},
	{"notes", F_STR, "notes", NULL, NULL, "why: who identified the child, how"},
	{0},
};

const struct command commands[] = {
	{"report", RAKSHA_KIND_REPORT, &raksha__v1__report__descriptor, report_flags,
	 "report [--from FILE] [--revise REPORT_ID [--revision N]] [flags]"},
	{"sighting", RAKSHA_KIND_SIGHTING, &raksha__v1__sighting__descriptor, sighting_flags,
	 "sighting [--report ID] [--from FILE] [flags]"},
	{"update", RAKSHA_KIND_UPDATE, &raksha__v1__status_update__descriptor, update_flags,
	 "update --report ID --status STATUS [--from FILE] [flags]"},
	{"ack", RAKSHA_KIND_ACK, &raksha__v1__ack__descriptor, ack_flags,
	 "ack --report ID [--state received|acting|done] [--notes TEXT]"},
	{"link", RAKSHA_KIND_LINK, &raksha__v1__case_link__descriptor, link_flags,
	 "link --found ID --report ID [--notes TEXT]"},
	{0},
};
