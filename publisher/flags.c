#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <raksha/uuid.h>

#include "common/timeparse.h"
#include "publisher/flags.h"
#include "publisher/photo.h"
#include "publisher/publish.h"

/* The object at the parent of @path in @doc, made as needed; *@leaf is the
 * last name of the path. */
static json_t *parent_of(json_t *doc, const char *path, const char **leaf)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *obj = doc;
	char *save, *name = strtok_r(buf, ".", &save), *next;
	while ((next = strtok_r(NULL, ".", &save)) != NULL) {
		json_t *child = json_object_get(obj, name);
		if (!json_is_object(child)) {
			child = json_object();
			json_object_set_new(obj, name, child);
		}
		obj = child;
		name = next;
	}
	*leaf = path + (name - buf);
	return obj;
}

static int set(json_t *doc, const char *path, json_t *value, int append)
{
	const char *leaf;
	json_t *obj = parent_of(doc, path, &leaf);
	if (value == NULL)
		return fail(EX_OSERR, "out of memory");
	if (!append)
		return json_object_set_new(obj, leaf, value) == 0 ? 0 : fail(EX_OSERR, "out of memory");
	json_t *list = json_object_get(obj, leaf);
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(obj, leaf, list);
	}
	return json_array_append_new(list, value) == 0 ? 0 : fail(EX_OSERR, "out of memory");
}

static int parse_uint(const char *s, unsigned long *v)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	*v = strtoul(s, &end, 10);
	return (errno || *end || *v > UINT_MAX) ? -EINVAL : 0;
}

static void list_enum(const ProtobufCEnumDescriptor *d, const char *prefix, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < d->n_values; i++) {
		if (d->values[i].value == 0)
			continue;  /* *_UNSPECIFIED: not a choice */
		n += (size_t)snprintf(out + n, size > n ? size - n : 0, "%s", n ? ", " : "");
		for (const char *c = d->values[i].name + strlen(prefix); *c && n + 1 < size; c++)
			out[n++] = (char)tolower((unsigned char)(*c == '_' ? '-' : *c));
		out[n < size ? n : size - 1] = '\0';
	}
}

/* "female" -> "GENDER_FEMALE"; "4" -> the name of value 4. */
static int enum_value(const struct flag *f, const char *value, json_t *doc)
{
	char name[96];
	unsigned long num;
	const ProtobufCEnumValue *ev = NULL;
	if (parse_uint(value, &num) == 0) {
		ev = num > 0 ? protobuf_c_enum_descriptor_get_value(f->enums, (int)num) : NULL;
	} else {
		size_t n = (size_t)snprintf(name, sizeof(name), "%s", f->prefix);
		for (const char *c = value; *c && n + 1 < sizeof(name); c++)
			name[n++] = (char)toupper((unsigned char)(*c == '-' ? '_' : *c));
		name[n] = '\0';
		ev = protobuf_c_enum_descriptor_get_value_by_name(f->enums, name);
	}
	if (ev == NULL || ev->value == 0) {
		char choices[256];
		list_enum(f->enums, f->prefix, choices, sizeof(choices));
		return fail(EX_DATAERR, "--%s: '%s' is not one of %s", f->name, value, choices);
	}
	return set(doc, f->path, json_string(ev->name), 0);
}

static int age_range(const struct flag *f, const char *value, json_t *doc)
{
	unsigned min, max;
	int n = 0;
	if (sscanf(value, "%u-%u%n", &min, &max, &n) != 2 || value[n] != '\0' || min > max)
		return fail(EX_DATAERR, "--%s: '%s' is not a range MIN-MAX of years, like 8-10",
			    f->name, value);
	return set(doc, f->path, json_pack("{s:i, s:i}", "min_years", min, "max_years", max), 0);
}

static int number(const struct flag *f, const char *value, json_t *doc)
{
	unsigned long u;
	if (f->type == F_UINT) {
		if (parse_uint(value, &u) < 0)
			return fail(EX_DATAERR, "--%s: '%s' is not a number", f->name, value);
		return set(doc, f->path, json_integer((json_int_t)u), 0);
	}
	char *end;
	errno = 0;
	double d = strtod(value, &end);
	if (errno || *end || end == value)
		return fail(EX_DATAERR, "--%s: '%s' is not a number", f->name, value);
	return set(doc, f->path, json_real(d), 0);
}

/* jansson refuses invalid UTF-8 (json_string gives NULL); ask it first so that
 * the officer hears about the text, not about memory. */
static bool utf8_valid(const char *s)
{
	json_t *j = json_string(s);
	json_decref(j);
	return j != NULL;
}

int flags_apply(const struct flag *f, const char *value, json_t *doc)
{
	int64_t ms;
	uint8_t id[RAKSHA_UUID_LEN];
	int code = 0;
	json_t *photo;
	if ((f->type == F_STR || f->type == F_STRS) && !utf8_valid(value))
		return fail(EX_DATAERR, "--%s: not valid UTF-8 text (is the terminal set to UTF-8?)",
			    f->name);
	switch (f->type) {
	case F_STR: return set(doc, f->path, json_string(value), 0);
	case F_STRS: return set(doc, f->path, json_string(value), 1);
	case F_UINT:
	case F_DOUBLE: return number(f, value, doc);
	case F_BOOL: return set(doc, f->path, json_true(), 0);
	case F_ENUM: return enum_value(f, value, doc);
	case F_AGE_RANGE: return age_range(f, value, doc);
	case F_TIME:
		if (timeparse_ms(value, &ms) < 0)
			return fail(EX_DATAERR, "--%s: '%s' is not a time (2026-11-29T10:05+05:30, "
				    "2026-11-29 10:05 local, or 10:05 for the last 10:05)", f->name, value);
		return set(doc, f->path, json_integer(ms), 0);
	case F_UUID:
		if (raksha_uuid_parse(value, id) < 0)
			return fail(EX_DATAERR, "--%s: '%s' is not a report id (a UUID like "
				    "01936e2a-7b40-7123-8abc-0102030405ff)", f->name, value);
		return set(doc, f->path, json_string(value), 0);
	case F_PHOTO:
		photo = photo_load(f->name, value, &code);
		return photo ? set(doc, f->path, photo, 1) : code;
	}
	return fail(EX_SOFTWARE, "--%s: unknown flag type", f->name);
}

const struct flag *flags_for_path(const struct flag *table, const char *body, const char *field_path)
{
	size_t bl = body ? strlen(body) : 0;
	if (bl > 0 && (strncmp(field_path, body, bl) != 0 || field_path[bl] != '.'))
		return NULL;
	const char *rest = bl > 0 ? field_path + bl + 1 : field_path;
	const struct flag *best = NULL;
	for (const struct flag *f = table; f->name != NULL; f++) {
		size_t n = strlen(f->path);
		/* "child.photos" also covers "child.photos[1]"; prefer the longest match. */
		if (strncmp(rest, f->path, n) == 0 && strchr(":.[", rest[n]) != NULL &&
		    (best == NULL || n > strlen(best->path)))
			best = f;
	}
	return best;
}

json_t *flags_lookup(json_t *doc, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save;
	for (char *name = strtok_r(buf, ".", &save); name && doc; name = strtok_r(NULL, ".", &save))
		doc = json_object_get(doc, name);
	return doc;
}

void flags_usage(const struct flag *table, FILE *out)
{
	for (const struct flag *f = table; f->name != NULL; f++) {
		char left[40];
		snprintf(left, sizeof(left), "--%s%s", f->name, f->type == F_BOOL ? "" : " VALUE");
		fprintf(out, "  %-26s %s\n", left, f->help);
	}
}
