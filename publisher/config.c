#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <ini.h>

#include "config.h"

struct reader {
	struct pub *p;
	FILE *f;
	const char *path;
	int line;      /* inih gives the handler no line number; the reader counts */
	int errors;
};

/* Sets *@dst from the file unless a flag already did. */
static int take(struct reader *r, const char **dst, const char *value)
{
	if (*dst != NULL)
		return 1;
	if (r->p->n_owned == sizeof(r->p->owned) / sizeof(r->p->owned[0]))
		return 0;
	char *copy = strdup(value);
	if (copy == NULL)
		return 0;
	r->p->owned[r->p->n_owned++] = copy;
	*dst = copy;
	return 1;
}

static int bad(struct reader *r, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s:%d: ", r->path, r->line);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	r->errors++;
	return 1; /* go on: report every bad line, not just the first */
}

static int origin_key(struct reader *r, const char *name, const char *value)
{
	struct pub *p = r->p;
	static const char *const keys[] = {"state", "region", "agency", "unit", "sender_id",
					   "officer_name", "officer_badge", "officer_phone"};
	const char **dst[] = {&p->state, &p->region, &p->agency, &p->unit, &p->sender_id,
			      &p->officer_name, &p->officer_badge, &p->officer_phone};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i]) == 0)
			return take(r, dst[i], value);
	return bad(r, "unknown key '%s' in [%s]", name, "origin");
}

static int broker_key(struct reader *r, const char *name, const char *value)
{
	struct pub *p = r->p;
	if (strcmp(name, "url") == 0) {
		if (p->urls_from_flags)
			return 1;
		if (p->n_urls == MAX_URLS)
			return bad(r, "more than 8 '%s' lines%s", name, "");
		const char *u = NULL;
		if (!take(r, &u, value))
			return 0;
		p->urls[p->n_urls++] = u;
		return 1;
	}
	if (strcmp(name, "keepalive") == 0) {
		char *end;
		long v = strtol(value, &end, 10);
		if (*end || v < 5 || v > 3600)
			return bad(r, "keepalive: '%s' is not a number of seconds (5..3600)%s", value, "");
		if (p->keepalive_s == 0)
			p->keepalive_s = (int)v;
		return 1;
	}
	static const char *const keys[] = {"username", "password_file", "ca_file", "cert_file", "key_file"};
	const char **dst[] = {&p->username, &p->password_file, &p->ca_file, &p->cert_file, &p->key_file};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i]) == 0)
			return take(r, dst[i], value);
	return bad(r, "unknown key '%s' in [%s]", name, "broker");
}

static int publisher_key(struct reader *r, const char *name, const char *value)
{
	struct pub *p = r->p;
	if (strcmp(name, "outbox") == 0) {
		if (p->outbox_dir[0] == '\0')
			snprintf(p->outbox_dir, sizeof(p->outbox_dir), "%s", value);
		return 1;
	}
	if (strcmp(name, "timeout") == 0) {
		char *end;
		long v = strtol(value, &end, 10);
		if (*end || v < 1 || v > 3600)
			return bad(r, "timeout: '%s' is not a number of seconds (1..3600)%s", value, "");
		if (p->timeout_s == 0)
			p->timeout_s = (int)v;
		return 1;
	}
	return bad(r, "unknown key '%s' in [%s]", name, "publisher");
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	if (name == NULL)  /* a section header alone */
		return 1;
	if (strcmp(section, "origin") == 0)
		return origin_key(r, name, value);
	if (strcmp(section, "broker") == 0)
		return broker_key(r, name, value);
	if (strcmp(section, "publisher") == 0)
		return publisher_key(r, name, value);
	return bad(r, "unknown section [%s]%s", section, "");
}

static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	char *s = fgets(str, num, r->f);
	if (s != NULL)
		r->line++;
	return s;
}

int config_load(struct pub *p, const char *path)
{
	struct reader r = {.p = p, .path = path};
	if ((r.f = fopen(path, "r")) == NULL)
		return fail(EX_NOINPUT, "--config %s: %s", path, strerror(errno));
	int rc = ini_parse_stream(read_line, &r, handler, &r);
	fclose(r.f);
	/* The handler never refuses a line (it counts errors itself), so a
	 * positive rc is a line inih could not parse at all. */
	if (rc > 0)
		fprintf(stderr, "%s:%d: not a 'key = value' line or a [section]\n", path, rc), r.errors++;
	if (rc < 0)
		return fail(EX_OSERR, "--config %s: out of memory", path);
	return r.errors ? EX_CONFIG : 0;
}
