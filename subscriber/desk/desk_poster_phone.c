/* The units' phones of the desk's configuration (desk_poster_phone.h),
 * kept as written: "mp/vidisha/childline +91 7592 232323". */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk/desk_config.h"
#include "desk/desk_poster_phone.h"

/* The length of "state/region/agency" at the start of @v, or 0 if it is
 * not three names of [a-z0-9-]{1,32} followed by a space. */
static size_t unit_length(const char *v)
{
	size_t i = 0, names = 0, len = 0;
	for (; v[i] != '\0' && v[i] != ' '; i++) {
		bool name_char = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-';
		if (v[i] == '/' && len > 0) {
			names++;
			len = 0;
		} else if (!name_char || ++len > 32) {
			return 0;
		}
	}
	return names == 2 && len > 0 && v[i] == ' ' ? i : 0;
}

static bool phone_ok(const char *p)
{
	size_t n = strlen(p);
	return n > 0 && n <= 32 && strspn(p, "0123456789+-() ") == n && strpbrk(p, "0123456789") != NULL;
}

int desk_poster_phone_key(struct desk_config *c, const char *value, char *why, size_t size)
{
	size_t unit = unit_length(value);
	if (unit == 0) {
		snprintf(why, size, "'%s' does not start with STATE/REGION/AGENCY and a space "
			 "(each [a-z0-9-]{1,32}: mp/bhopal/grp)", value);
		return -EINVAL;
	}
	if (!phone_ok(value + unit + 1)) {
		snprintf(why, size, "'%s' is not a phone: at most 32 bytes of digits, '+', '-', '(', ')' "
			 "and space", value + unit + 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < c->n_unit_phones; i++) {
		if (strncmp(c->unit_phones[i], value, unit + 1) == 0)
			return -EEXIST;
	}
	if (c->n_unit_phones == DESK_UNIT_PHONES_MAX)
		return -E2BIG;
	c->unit_phones[c->n_unit_phones] = strdup(value);
	if (c->unit_phones[c->n_unit_phones] == NULL)
		return -ENOMEM;
	c->n_unit_phones++;
	return 0;
}

const char *desk_poster_phone(const struct desk_config *c, const Raksha__V1__Origin *o)
{
	char unit[3 * 33 + 2];
	if (o == NULL)
		return NULL;
	int n = snprintf(unit, sizeof(unit), "%s/%s/%s ", o->state, o->region, o->agency);
	for (size_t i = 0; n > 0 && (size_t)n < sizeof(unit) && i < c->n_unit_phones; i++) {
		if (strncmp(c->unit_phones[i], unit, (size_t)n) == 0)
			return c->unit_phones[i] + n;
	}
	return o->officer_phone != NULL && o->officer_phone[0] != '\0' ? o->officer_phone : NULL;
}
