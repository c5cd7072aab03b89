/* The desk's report forms (docs/desk.md "Reporting"): a new report, a
 * revision of one, a sighting of a case, a child found alone and a status
 * update, each with every field of its schema message (docs/schema.md),
 * checked by the validator every Raksha program uses (through
 * unit_pub_check(): raksha_envelope_check()) and published through the
 * agent's outbox. */
#ifndef RAKSHA_DESK_REPORT_H
#define RAKSHA_DESK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>
#include <sqlite3.h>

#include "desk/desk.h"
#include "desk/desk_db.h"

/* How a field is typed on a phone, and how its text becomes JSON. */
enum desk_rf_input {
	RF_LEGEND,   /* not a field: a fieldset starts, its label the legend */
	RF_TEXT,     /* a string */
	RF_AREA,     /* a string, several lines */
	RF_LIST,     /* a repeated string: one a line */
	RF_NUM,      /* an unsigned integer: the numeric keypad */
	RF_DEC,      /* a double (latitude, longitude) */
	RF_TEL,      /* a phone number: the phone keypad */
	RF_TIME,     /* milliseconds, typed as a date and time in IST */
	RF_STATION,  /* a station code, suggested from the stations seen */
	RF_TRAIN,    /* a train number: digits, kept as text */
	RF_COACH,    /* a coach */
	RF_ENUM,     /* one of the field's choices */
	RF_CHECK,    /* a bool */
};

struct desk_rf_choice {
	const char *value, *label;  /* value: the enum's name in the schema */
};

struct desk_rf_field {
	const char *path;   /* in the body's JSON, as raksha-publish's --from: "child.name" */
	const char *label;  /* N_() */
	enum desk_rf_input in;
	const struct desk_rf_choice *choices;  /* RF_ENUM: ends with {NULL} */
};

struct desk_rf_kind {
	const char *name;   /* "report", "revise", "seen", "found", "update": the form's id */
	const char *title;  /* N_() */
	enum raksha_kind kind;
	const ProtobufCMessageDescriptor *desc;
	const struct desk_rf_field *fields;  /* ends with {NULL} */
	bool photos;
};

extern const struct desk_rf_kind desk_rf_report, desk_rf_revise, desk_rf_seen, desk_rf_found,
	desk_rf_update;

#define DESK_RF_FIELDS 64   /* fields a form has, legends included */
#define DESK_RF_COMPANIONS 2  /* a report form's companions; a revision keeps the others */

/* A form being filled: its values (NULL: empty) and each field's error. */
struct desk_rf {
	const struct desk_rf_kind *k;
	char *values[DESK_RF_FIELDS];
	char *errors[DESK_RF_FIELDS];
	char top[640];      /* an error no field has (the photos, the size), translated */
	size_t n;           /* fields in k->fields */
};

/* The index of @k's field whose path @path names (the validator's words
 * start with it: "report.child.age_years: ...", "child.photos[1]: ..."),
 * the longest one; -1 if none. @prefix ("report") is skipped first. */
int desk_rf_field_of(const struct desk_rf_kind *k, const char *prefix, const char *path);

/* The envelope body @f's values describe, as the JSON raksha-publish's
 * --from takes, into a new object *@doc; each value that cannot be one
 * (a time that is not a time, a station code that breaks the desk's rule)
 * gets its error. @now_ms bounds the times. Returns the number of errors,
 * or -ENOMEM. */
int desk_rf_to_json(struct desk_rf *f, int64_t now_ms, void **doc);

/* Runs the validator on @doc (a json_t from desk_rf_to_json()) until it
 * takes it or each field it refuses has its error (taken out, the rest
 * checked again). @check is the validator's call. *@body gets the message
 * when there is no error (for protobuf_c_message_free_unpacked()).
 * Returns the number of errors. */
typedef int (*desk_rf_check_fn)(void *ctx, ProtobufCMessage *body, struct raksha_problem *pr);
int desk_rf_validate(struct desk_rf *f, void *doc, desk_rf_check_fn check, void *ctx,
		     ProtobufCMessage **body);

/* @f's values from @json (a message's JSON, as raksha_message_to_json()
 * renders it): a revision's form filled with the latest report. */
void desk_rf_fill(struct desk_rf *f, const char *json);

void desk_rf_set(struct desk_rf *f, int i, const char *value);
void desk_rf_error(struct desk_rf *f, int i, const char *text);
void desk_rf_free(struct desk_rf *f);

/* "YYYY-MM-DDTHH:MM" of @ms in IST (what <input type="datetime-local">
 * holds), and back: -EINVAL if @s is not one. */
void desk_rf_ist(int64_t ms, char *out, size_t size);
int desk_rf_ist_parse(const char *s, int64_t *ms);

/* The sides @d (@len bytes of JPEG or PNG) says it has, into @w and @h,
 * from its header alone (not upright: as the camera stored it). Returns
 * 0, -EINVAL if it is neither, -EBADMSG if no frame header is in it. */
int desk_rf_photo_sides(const uint8_t *d, size_t len, int *w, int *h);

/* GET and POST /report/new, /found/new, /case/ID/revise, /case/ID/seen,
 * /case/ID/update (@k; @id the case's id text, "" for the first two). */
enum MHD_Result desk_report_route(struct desk_request *r, sqlite3 *db, const struct desk_rf_kind *k,
				  const char *id);

/* The form GET or POST @url answers (/report/new, /found/new,
 * /case/ID/revise, /case/ID/seen, /case/ID/update), NULL if none. */
const struct desk_rf_kind *desk_report_kind(const char *url);

/* The links to the forms of case @c (id text @id): a full sighting, a
 * new version of its report (not for a found child), a status update. */
void desk_report_links(struct desk_html *h, const char *id, const struct desk_case *c);

/* The links to a new report and a child found alone, for the list. */
void desk_report_new_links(struct desk_html *h);

/* GET /forms.js: the drafts and the photo sizes. */
enum MHD_Result desk_page_forms_js(struct desk_request *r);

#endif
