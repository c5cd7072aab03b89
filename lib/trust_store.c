/* The trust store: the roster CSV's units that have a public key. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/topic.h>

#include "lib/problem.h"
#include "lib/sign_internal.h"

#define MAX_FIELDS 6

/* Splits @s at commas into trimmed fields; returns how many (up to
 * MAX_FIELDS + 1, which means too many). */
static int split(char *s, char *f[MAX_FIELDS])
{
	int n = 0;
	for (char *p = s;;) {
		char *comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		if (n == MAX_FIELDS)
			return n + 1;
		p += strspn(p, " \t");
		char *e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		f[n++] = p;
		if (comma == NULL)
			return n;
		p = comma + 1;
	}
}

static int unit_from(char *f[MAX_FIELDS], struct trusted_unit *u, char *why, size_t size)
{
	static const char *const names[] = {"state", "region", "agency"};
	char *dst[] = {u->state, u->region, u->agency};
	if (!raksha_agent_id_valid(f[0]))
		return snprintf(why, size, "id '%s' must match [a-z0-9-]{1,64}", f[0]), -EINVAL;
	snprintf(u->id, sizeof(u->id), "%s", f[0]);
	for (int i = 0; i < 3; i++) {
		if (!raksha_segment_valid(f[i + 1]))
			return snprintf(why, size, "%s '%s' must match [a-z0-9-]{1,32}", names[i],
					f[i + 1]), -EINVAL;
		snprintf(dst[i], sizeof(u->state), "%s", f[i + 1]);
	}
	if (raksha_public_key_parse(f[5], u->pk) < 0)
		return snprintf(why, size, "public key '%.50s' is not %d characters of base64 "
				"(raksha-publish keygen prints one)", f[5], RAKSHA_PUBLIC_KEY_TEXT_LEN),
		       -EINVAL;
	return 0;
}

static int add(struct raksha_trust_store *ts, size_t *cap, const struct trusted_unit *u)
{
	if (ts->n == *cap) {
		size_t grown = *cap ? *cap * 2 : 64;
		struct trusted_unit *units = realloc(ts->units, grown * sizeof(*units));
		if (units == NULL)
			return -ENOMEM;
		ts->units = units;
		*cap = grown;
	}
	ts->units[ts->n++] = *u;
	return 0;
}

/* One line: 0 (taken or skipped), or an error with @why. */
static int take_line(struct raksha_trust_store *ts, size_t *cap, char *s, char *why, size_t size)
{
	s += strspn(s, " \t");
	s[strcspn(s, "\r\n")] = '\0';
	if (*s == '\0' || *s == '#')
		return 0;
	char *f[MAX_FIELDS];
	int n = split(s, f);
	if (n != 5 && n != MAX_FIELDS)
		return snprintf(why, size, "%s%d field(s); a line is id,state,region,agency,role[,public key]",
				n > MAX_FIELDS ? "more than " : "", n > MAX_FIELDS ? MAX_FIELDS : n), -EINVAL;
	if (strcmp(f[0], "id") == 0 || n == 5 || f[5][0] == '\0')
		return 0;  /* the header, or a unit that does not sign */
	struct trusted_unit u;
	int r = unit_from(f, &u, why, size);
	return r < 0 ? r : add(ts, cap, &u);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct trusted_unit *)a)->id, ((const struct trusted_unit *)b)->id);
}

static int read_all(FILE *in, const char *path, struct raksha_trust_store *ts,
		    struct raksha_problem *problem)
{
	char buf[1024], why[200];
	size_t cap = 0;
	int line = 0;
	while (fgets(buf, sizeof(buf), in) != NULL) {
		line++;
		int r = take_line(ts, &cap, buf, why, sizeof(why));
		if (r == -ENOMEM)
			return problem_set(problem, r, RAKSHA_CAUSE_NO_MEMORY, "out of memory");
		if (r < 0)
			return problem_set(problem, r, RAKSHA_CAUSE_INVALID, "%s:%d: %s", path, line, why);
	}
	if (ferror(in))
		return problem_set(problem, -EIO, RAKSHA_CAUSE_INVALID, "%s: cannot read", path);
	qsort(ts->units, ts->n, sizeof(*ts->units), by_id);
	for (size_t i = 1; i < ts->n; i++)
		if (strcmp(ts->units[i - 1].id, ts->units[i].id) == 0)
			return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID,
					   "%s: id '%s' has two keys", path, ts->units[i].id);
	return 0;
}

int raksha_trust_store_load(const char *path, struct raksha_trust_store **out,
			    struct raksha_problem *problem)
{
	FILE *in = fopen(path, "re");
	if (in == NULL)
		return problem_set(problem, -errno, RAKSHA_CAUSE_INVALID, "%s: %s", path, strerror(errno));
	struct raksha_trust_store *ts = calloc(1, sizeof(*ts));
	int r = ts == NULL ? problem_set(problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "out of memory")
			   : read_all(in, path, ts, problem);
	fclose(in);
	if (r < 0) {
		raksha_trust_store_free(ts);
		return r;
	}
	*out = ts;
	return 0;
}

size_t raksha_trust_store_count(const struct raksha_trust_store *ts)
{
	return ts->n;
}

void raksha_trust_store_free(struct raksha_trust_store *ts)
{
	if (ts == NULL)
		return;
	free(ts->units);
	free(ts);
}

const struct trusted_unit *trust_store_find(const struct raksha_trust_store *ts, const char *id)
{
	struct trusted_unit key;
	if (strlen(id) >= sizeof(key.id))
		return NULL;
	snprintf(key.id, sizeof(key.id), "%s", id);
	return bsearch(&key, ts->units, ts->n, sizeof(*ts->units), by_id);
}
