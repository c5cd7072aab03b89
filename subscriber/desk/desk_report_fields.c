/* The fields of each report form: every field of its schema message
 * (docs/schema.md), with the input a phone handles well. The paths are
 * the schema's names, as raksha-publish's --from reads them. */
#include "common/i18n.h"
#include "desk/desk_report.h"

static const struct desk_rf_choice genders[] = {
	{"GENDER_FEMALE", N_("female")}, {"GENDER_MALE", N_("male")},
	{"GENDER_TRANSGENDER", N_("transgender")}, {"GENDER_OTHER", N_("other")}, {0},
};

static const struct desk_rf_choice priorities[] = {
	{"PRIORITY_HIGH", N_("high")}, {"PRIORITY_CRITICAL", N_("critical")},
	{"PRIORITY_URGENT", N_("urgent")}, {"PRIORITY_ELEVATED", N_("elevated")},
	{"PRIORITY_ROUTINE", N_("routine")}, {0},
};

static const struct desk_rf_choice case_statuses[] = {
	{"CASE_STATUS_OPEN", N_("open")}, {"CASE_STATUS_FOUND", N_("found")},
	{"CASE_STATUS_RESCUED", N_("rescued")}, {"CASE_STATUS_REUNITED", N_("reunited")},
	{"CASE_STATUS_CLOSED", N_("closed")}, {"CASE_STATUS_CANCELLED", N_("cancelled")}, {0},
};

static const struct desk_rf_choice update_statuses[] = {
	{"UPDATE_STATUS_FOUND", N_("found")}, {"UPDATE_STATUS_RESCUED", N_("rescued")},
	{"UPDATE_STATUS_REUNITED", N_("reunited")}, {"UPDATE_STATUS_CLOSED", N_("closed")},
	{"UPDATE_STATUS_CANCELLED", N_("cancelled")}, {"UPDATE_STATUS_REOPENED", N_("reopened")}, {0},
};

static const struct desk_rf_choice roles[] = {
	{"PERSON_ROLE_COMPANION", N_("companion")}, {"PERSON_ROLE_SUSPECT", N_("suspect")}, {0},
};

#define CHILD_FIELDS(NAME) \
	{NULL, N_("The child"), RF_LEGEND, NULL}, \
	{"child.name", NAME, RF_TEXT, NULL}, \
	{"child.other_names", N_("Other names or spellings (one a line)"), RF_LIST, NULL}, \
	{"child.age_years", N_("Age in years (0: under one)"), RF_NUM, NULL}, \
	{"child.age_range.min_years", N_("Or an age range: youngest"), RF_NUM, NULL}, \
	{"child.age_range.max_years", N_("Age range: oldest"), RF_NUM, NULL}, \
	{"child.gender", N_("Gender"), RF_ENUM, genders}, \
	{"child.height_cm", N_("Height in cm"), RF_NUM, NULL}, \
	{"child.build", N_("Build"), RF_TEXT, NULL}, \
	{"child.complexion", N_("Complexion"), RF_TEXT, NULL}, \
	{"child.hair", N_("Hair"), RF_TEXT, NULL}, \
	{"child.clothing", N_("Clothing, type and colour"), RF_TEXT, NULL}, \
	{"child.identifying_marks", N_("Identifying marks"), RF_TEXT, NULL}, \
	{"child.languages", N_("Languages spoken (one a line)"), RF_LIST, NULL}, \
	{"child.photos", N_("Photos of the child"), RF_LEGEND, NULL}, \
	{"photo_caption", N_("Caption of the new photos"), RF_TEXT, NULL}

#define PLACE_FIELDS(P, LEGEND, WHEN) \
	{NULL, LEGEND, RF_LEGEND, NULL}, \
	{P ".time_ms", WHEN, RF_TIME, NULL}, \
	{P ".station_code", N_("Station code"), RF_STATION, NULL}, \
	{P ".train_number", N_("Train number"), RF_TRAIN, NULL}, \
	{P ".coach", N_("Coach"), RF_COACH, NULL}, \
	{P ".description", N_("Where exactly"), RF_TEXT, NULL}, \
	{P ".police_station", N_("Police station"), RF_TEXT, NULL}, \
	{P ".district", N_("District"), RF_TEXT, NULL}, \
	{P ".location.latitude", N_("Latitude"), RF_DEC, NULL}, \
	{P ".location.longitude", N_("Longitude"), RF_DEC, NULL}

#define PERSON_FIELDS(N, LEGEND) \
	{NULL, LEGEND, RF_LEGEND, NULL}, \
	{"companions[" #N "].role", N_("Companion or suspect"), RF_ENUM, roles}, \
	{"companions[" #N "].name", N_("Name"), RF_TEXT, NULL}, \
	{"companions[" #N "].description", N_("Description"), RF_TEXT, NULL}, \
	{"companions[" #N "].phone", N_("Phone"), RF_TEL, NULL}

#define REPORT_FIELDS \
	CHILD_FIELDS(N_("Name, as written (any script)")), \
	PLACE_FIELDS("last_seen", N_("Last seen"), N_("When last seen (IST)")), \
	{NULL, N_("Family"), RF_LEGEND, NULL}, \
	{"guardian.name", N_("Parent or guardian"), RF_TEXT, NULL}, \
	{"guardian.relation", N_("Relation"), RF_TEXT, NULL}, \
	{"guardian.phone", N_("Guardian's phone"), RF_TEL, NULL}, \
	{"home_address", N_("Home address"), RF_AREA, NULL}, \
	PERSON_FIELDS(0, N_("Seen with the child")), \
	PERSON_FIELDS(1, N_("Also seen with the child")), \
	{NULL, N_("FIR or complaint"), RF_LEGEND, NULL}, \
	{"case_ref.fir_number", N_("FIR, complaint or GD number"), RF_TEXT, NULL}, \
	{"case_ref.police_station", N_("Police station of the FIR"), RF_TEXT, NULL}, \
	{"case_ref.district", N_("District of the FIR"), RF_TEXT, NULL}, \
	{NULL, N_("The report"), RF_LEGEND, NULL}, \
	{"priority", N_("Priority"), RF_ENUM, priorities}, \
	{"status", N_("Status"), RF_ENUM, case_statuses}, \
	{"exercise", N_("A drill, not a real case"), RF_CHECK, NULL}, \
	{"notes", N_("Notes"), RF_AREA, NULL}, \
	{0}

static const struct desk_rf_field report_fields[] = {REPORT_FIELDS};

#define SIGHTING_FIELDS(NAME) \
	PLACE_FIELDS("place", N_("Where and when seen"), N_("When seen (IST)")), \
	{"in_custody", N_("The child is with us now (in custody)"), RF_CHECK, NULL}, \
	CHILD_FIELDS(NAME), \
	{NULL, N_("The sighting"), RF_LEGEND, NULL}, \
	{"exercise", N_("A drill, not a real case"), RF_CHECK, NULL}, \
	{"notes", N_("Notes"), RF_AREA, NULL}, \
	{0}

static const struct desk_rf_field sighting_fields[] = {SIGHTING_FIELDS(N_("Name, if the child says it"))};

static const struct desk_rf_field update_fields[] = {
	{NULL, N_("What happened"), RF_LEGEND, NULL},
	{"status", N_("Status"), RF_ENUM, update_statuses},
	{"handed_over_to", N_("Handed over to (CWC, guardian, shelter)"), RF_TEXT, NULL},
	PLACE_FIELDS("place", N_("Where and when"), N_("When (IST)")),
	{NULL, N_("Notes"), RF_LEGEND, NULL},
	{"notes", N_("Notes"), RF_AREA, NULL},
	{0},
};

const struct desk_rf_kind desk_rf_report = {"report", N_("New report of a missing child"), RAKSHA_KIND_REPORT,
					    &raksha__v1__report__descriptor, report_fields, true};
const struct desk_rf_kind desk_rf_revise = {"revise", N_("New version of the report"), RAKSHA_KIND_REPORT,
					    &raksha__v1__report__descriptor, report_fields, true};
const struct desk_rf_kind desk_rf_seen = {"seen", N_("Sighting of this child"), RAKSHA_KIND_SIGHTING,
					  &raksha__v1__sighting__descriptor, sighting_fields, true};
const struct desk_rf_kind desk_rf_found = {"found", N_("A child found alone"), RAKSHA_KIND_SIGHTING,
					   &raksha__v1__sighting__descriptor, sighting_fields, true};
const struct desk_rf_kind desk_rf_update = {"update", N_("Status update"), RAKSHA_KIND_UPDATE,
					    &raksha__v1__status_update__descriptor, update_fields, false};
