/* The trust store: the roster CSV's units that have a public key (read by
 * roster.c, the one reader of the roster). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/topic.h>

#include "lib/problem.h"
#include "lib/roster.h"
#include "lib/sign_internal.h"

struct reading {
	struct raksha_trust_store *ts;
	size_t cap, supervisors_cap;
	const char *path;
	struct raksha_problem *problem;  /* set by take() when it stops the reading */
	bool stopped;
};

/* @u appended to the array *@units of *@n (room for *@cap). */
static int add(struct reading *rd, struct trusted_unit **units, size_t *n, size_t *cap,
	       const struct roster_unit *u)
{
	if (*n == *cap) {
		size_t grown = *cap ? *cap * 2 : 64;
		struct trusted_unit *more = realloc(*units, grown * sizeof(*more));
		if (more == NULL)
			return problem_set(rd->problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "out of memory");
		*units = more;
		*cap = grown;
	}
	struct trusted_unit *t = &(*units)[(*n)++];
	snprintf(t->id, sizeof(t->id), "%s", u->id);
	snprintf(t->state, sizeof(t->state), "%s", u->state);
	snprintf(t->region, sizeof(t->region), "%s", u->region);
	snprintf(t->agency, sizeof(t->agency), "%s", u->agency);
	memcpy(t->pk, u->key, sizeof(t->pk));
	return 0;
}

/* A roster line: a unit that signs is trusted, a supervisor is listed as
 * one; the first bad line stops. */
static int take(void *ctx, int line, const struct roster_unit *u, const char *why)
{
	struct reading *rd = ctx;
	int r = 0;
	rd->stopped = true;  /* until the line is taken */
	if (u == NULL)
		return problem_set(rd->problem, -EINVAL, RAKSHA_CAUSE_INVALID, "%s:%d: %s", rd->path, line, why);
	if (u->signs)
		r = add(rd, &rd->ts->units, &rd->ts->n, &rd->cap, u);
	if (r < 0)
		return r;
	if (u->role == ROSTER_SUPERVISOR)
		r = add(rd, &rd->ts->supervisors, &rd->ts->n_supervisors, &rd->supervisors_cap, u);
	rd->stopped = r < 0;
	return r;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct trusted_unit *)a)->id, ((const struct trusted_unit *)b)->id);
}

static int read_all(FILE *in, const char *path, struct raksha_trust_store *ts,
		    struct raksha_problem *problem)
{
	struct reading rd = {.ts = ts, .path = path, .problem = problem};
	int r = roster_read(in, take, &rd);
	if (r < 0 && rd.stopped)
		return r;
	if (r == -ENOMEM)
		return problem_set(problem, r, RAKSHA_CAUSE_NO_MEMORY, "out of memory");
	if (r < 0)
		return problem_set(problem, -EIO, RAKSHA_CAUSE_INVALID, "%s: cannot read", path);
	if (ts->n == 0)
		return 0;  /* a roster of units that do not sign (qsort() wants an array) */
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
	int r;
	struct raksha_trust_store *ts = calloc(1, sizeof(*ts));
	if (ts == NULL) {
		r = problem_set(problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "out of memory");
		goto error;
	}
	atomic_init(&ts->refs, 1);
	r = read_all(in, path, ts, problem);
	if (r < 0)
		goto error;
	fclose(in);
	*out = ts;
	return 0;
error:
	fclose(in);
	raksha_trust_store_free(ts);
	return r;
}

size_t raksha_trust_store_count(const struct raksha_trust_store *ts)
{
	return ts->n;
}

struct raksha_trust_store *trust_store_ref(const struct raksha_trust_store *ts)
{
	/* A reference is not a change of the store's contents: the const
	 * a caller was given stays true of what it reads. */
	struct raksha_trust_store *own = (struct raksha_trust_store *)ts;
	if (own != NULL)
		atomic_fetch_add(&own->refs, 1);
	return own;
}

void raksha_trust_store_free(struct raksha_trust_store *ts)
{
	if (ts == NULL || atomic_fetch_sub(&ts->refs, 1) != 1)
		return;
	free(ts->units);
	free(ts->supervisors);
	free(ts);
}

bool raksha_trust_store_supervisor(const struct raksha_trust_store *ts, const char *id, const char *state,
				   const char *region, const char *agency)
{
	for (size_t i = 0; ts != NULL && i < ts->n_supervisors; i++) {
		const struct trusted_unit *u = &ts->supervisors[i];
		if (strcmp(u->id, id) == 0 && strcmp(u->state, state) == 0 &&
		    strcmp(u->region, region) == 0 && strcmp(u->agency, agency) == 0)
			return true;
	}
	return false;
}

const struct trusted_unit *trust_store_find(const struct raksha_trust_store *ts, const char *id)
{
	struct trusted_unit key;
	if (ts->n == 0 || strlen(id) >= sizeof(key.id))
		return NULL;
	snprintf(key.id, sizeof(key.id), "%s", id);
	return bsearch(&key, ts->units, ts->n, sizeof(*ts->units), by_id);
}
