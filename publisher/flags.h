/* Command flags as a table: each flag sets one field of the body, named by
 * its JSON path in the schema ("child.age_years"). The command's JSON
 * document is then parsed by libraksha like any --from file, so flags and
 * files follow exactly the same rules. */
#ifndef RAKSHA_PUBLISH_FLAGS_H
#define RAKSHA_PUBLISH_FLAGS_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

enum ftype {
	F_STR,        /* a string */
	F_STRS,       /* repeatable: appends to a list */
	F_UINT,       /* a whole number */
	F_DOUBLE,     /* a decimal number */
	F_BOOL,       /* no argument: true */
	F_ENUM,       /* a value name without its prefix ("female"), or its number */
	F_TIME,       /* a time (timeparse.h) -> Unix ms */
	F_PHOTO,      /* repeatable: a JPEG/PNG file -> a Photo, normalised */
	F_AGE_RANGE,  /* "MIN-MAX" -> {min_years, max_years} */
	F_UUID,       /* a UUID in text form */
};

struct flag {
	const char *name;                      /* without "--" */
	enum ftype type;
	const char *path;                      /* JSON path in the body */
	const ProtobufCEnumDescriptor *enums;  /* F_ENUM */
	const char *prefix;                    /* F_ENUM: "GENDER_" */
	const char *help;
};

/* Sets what flag @f says with @value in @doc. On bad input prints
 * "--age: 'nine' is not a number" and returns EX_DATAERR (EX_NOINPUT for an
 * unreadable photo); else 0. */
int flags_apply(const struct flag *f, const char *value, json_t *doc);

/* The flag of @table that sets the field at the start of @field_path (a
 * problem's text, e.g. "report.child.age_years: 212 out of range" with
 * @body "report", or "child.age_years: ..." with @body NULL), or NULL. */
const struct flag *flags_for_path(const struct flag *table, const char *body,
				 const char *field_path);

/* The value at the dotted @path in @doc, or NULL. */
json_t *flags_lookup(json_t *doc, const char *path);

/* Prints one help line per flag of @table. */
void flags_usage(const struct flag *table, FILE *out);

#endif
