/* A found child, a sighting or a report as the engine compares them
 * (match.h), from the decoded protobuf-c structs. */
#include <stdio.h>
#include <string.h>

#include "match/match.h"

/* Copies @s into @out (@size bytes), cut before a code point that would
 * not fit whole. */
static void copy_cut(const char *s, char *out, size_t size)
{
	size_t n = strlen(s);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Keys @name (field @field, index @i or -1) as the next of @out's names;
 * an empty name, or one without letters, is not kept. */
static int add_name(struct match_keyer *k, const char *name, const char *field, int i,
		    struct match_person *out, char *err, size_t errsize)
{
	if (!name || !name[0] || out->n_names == MATCH_NAMES)
		return 0;
	char why[200] = "";
	size_t at = out->n_names;
	int r = match_key(k, name, out->keys[at], sizeof(out->keys[at]), why, sizeof(why));
	if (r < 0) {
		if (i < 0)
			snprintf(err, errsize, "%s: %s", field, why);
		else
			snprintf(err, errsize, "%s[%d]: %s", field, i, why);
		return r;
	}
	if (r == 0)
		return 0;
	copy_cut(name, out->names[at], sizeof(out->names[at]));
	out->n_names++;
	return 0;
}

static void age(const Raksha__V1__Child *c, struct match_person *out)
{
	if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS) {
		out->age_min = (int)(c->age_years > 100 ? 100 : c->age_years);
		out->age_max = out->age_min;
	} else if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && c->age_range) {
		uint32_t lo = c->age_range->min_years;
		uint32_t hi = c->age_range->max_years;
		out->age_min = (int)(lo > 100 ? 100 : lo);
		out->age_max = (int)(hi > 100 ? 100 : hi);
		if (out->age_max < out->age_min)
			out->age_max = out->age_min;
	}
}

/* The schema's genders; any other value is "not said", the one way every
 * value outside the enum is read here. */
static int gender(Raksha__V1__Gender g)
{
	if (g >= RAKSHA__V1__GENDER__GENDER_FEMALE && g <= RAKSHA__V1__GENDER__GENDER_OTHER)
		return (int)g;
	return RAKSHA__V1__GENDER__GENDER_UNSPECIFIED;
}

static int names(struct match_keyer *k, const Raksha__V1__Child *c, struct match_person *out,
		 char *err, size_t errsize)
{
	int r = add_name(k, c->name, "name", -1, out, err, errsize);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->n_other_names; i++) {
		r = add_name(k, c->other_names[i], "other_names", (int)i, out, err, errsize);
		if (r < 0)
			return r;
	}
	return 0;
}

int match_person_from_child(struct match_keyer *k, const Raksha__V1__Child *child,
			    const Raksha__V1__Place *place, struct match_person *out, char *err,
			    size_t errsize)
{
	memset(out, 0, sizeof(*out));
	out->age_min = -1;
	out->age_max = -1;
	if (place) {
		copy_cut(place->station_code ? place->station_code : "", out->station,
			 sizeof(out->station));
		copy_cut(place->train_number ? place->train_number : "", out->train,
			 sizeof(out->train));
		out->time_ms = place->time_ms;
	}
	if (!child)
		return 0;
	age(child, out);
	out->gender = gender(child->gender);
	return names(k, child, out, err, errsize);
}
