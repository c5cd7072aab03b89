/* The roster in memory: every unit, read by libraksha's one reader of the
 * roster (lib/roster.c), every bad line named, and no id twice. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "tools/roster/roster.h"

struct reading {
	struct roster *r;
	const char *path;
	int errors;
};

static int add(struct reading *rd, const struct roster_unit *u)
{
	struct roster *r = rd->r;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->units[i].id, u->id) == 0) {
			log_file_error(rd->path, u->line, "id '%s' is already on line %d", u->id,
				       r->units[i].line);
			rd->errors++;
			return 0;
		}
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct roster_unit *grown = realloc(r->units, cap * sizeof(*grown));
		if (grown == NULL)
			return -ENOMEM;
		r->units = grown;
		r->cap = cap;
	}
	r->units[r->n++] = *u;
	return 0;
}

static int take(void *ctx, int line, const struct roster_unit *u, const char *why)
{
	struct reading *rd = ctx;
	if (u != NULL)
		return add(rd, u);
	log_file_error(rd->path, line, "%s", why);
	rd->errors++;
	return 0;
}

int roster_load(const char *path, struct roster *r)
{
	memset(r, 0, sizeof(*r));
	FILE *in = fopen(path, "re");
	if (in == NULL)
		return -1;
	struct reading rd = {.r = r, .path = path};
	int e = roster_read(in, take, &rd);
	fclose(in);
	if (e < 0) {
		errno = -e;
		return -1;
	}
	return rd.errors;
}

size_t roster_signing_units(const struct roster *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->units[i].signs;
	return n;
}

void roster_free(struct roster *r)
{
	free(r->units);
	memset(r, 0, sizeof(*r));
}
