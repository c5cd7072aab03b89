/* Reading and checking the roster CSV: no quoting (no field may contain a
 * comma), '#' comments, an optional header line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/raksha.h>

#include "tools/roster/roster.h"

static const char *const ROLES[] = {"unit", "agent", "control", "supervisor", "archive", "admin"};

const char *role_name(enum role role)
{
	return ROLES[role];
}

__attribute__((format(printf, 3, 4)))
static int bad(const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s:%d: ", path, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

/* Splits @s at commas into up to 6 trimmed fields; returns how many (7: too
 * many). */
static int fields(char *s, char *f[6])
{
	int n = 0;
	for (char *p = s; n < 7; n++) {
		char *comma = strchr(p, ',');
		if (n < 6)
			f[n] = p;
		if (comma == NULL) {
			n++;
			break;
		}
		*comma = '\0';
		p = comma + 1;
	}
	for (int i = 0; i < n && i < 6; i++) {
		while (*f[i] == ' ' || *f[i] == '\t')
			f[i]++;
		for (char *e = f[i] + strlen(f[i]); e > f[i] && (e[-1] == ' ' || e[-1] == '\t'); )
			*--e = '\0';
	}
	return n;
}

static int check_unit(const char *path, int line, char *f[6], int n, struct unit *u)
{
	int errors = 0;
	if (!raksha_agent_id_valid(f[0]))
		errors += bad(path, line, "id '%s' must match [a-z0-9-]{1,64}", f[0]);
	static const char *const names[] = {"state", "region", "agency"};
	for (int i = 1; i <= 3; i++)
		if (!raksha_segment_valid(f[i]))
			errors += bad(path, line, "%s '%s' must match [a-z0-9-]{1,32}", names[i - 1], f[i]);
	int role = -1;
	for (int i = 0; i < 6; i++)
		if (strcmp(f[4], ROLES[i]) == 0)
			role = i;
	if (role < 0)
		errors += bad(path, line, "role '%s' is not unit, agent, control, supervisor, archive "
			      "or admin", f[4]);
	uint8_t key[RAKSHA_PUBLIC_KEY_LEN];
	if (n == 6 && f[5][0] != '\0' && raksha_public_key_parse(f[5], key) < 0)
		errors += bad(path, line, "public key '%.50s' is not %d characters of base64 (raksha-publish "
			      "keygen prints one)", f[5], RAKSHA_PUBLIC_KEY_TEXT_LEN);
	if (errors)
		return errors;
	snprintf(u->id, sizeof(u->id), "%s", f[0]);
	snprintf(u->state, sizeof(u->state), "%s", f[1]);
	snprintf(u->region, sizeof(u->region), "%s", f[2]);
	snprintf(u->agency, sizeof(u->agency), "%s", f[3]);
	u->role = (enum role)role;
	u->line = line;
	u->signs = n == 6 && f[5][0] != '\0';
	return 0;
}

static int add(const char *path, int line, char *f[6], int n, struct roster *r)
{
	struct unit u;
	int errors = check_unit(path, line, f, n, &u);
	if (errors)
		return errors;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->units[i].id, u.id) == 0) {
			fprintf(stderr, "%s:%d: id '%s' is already on line %d\n", path, line, u.id,
				r->units[i].line);
			return 1;
		}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct unit *grown = realloc(r->units, cap * sizeof(*grown));
		if (grown == NULL)
			return bad(path, line, "%s", "out of memory");
		r->units = grown, r->cap = cap;
	}
	r->units[r->n++] = u;
	return 0;
}

int roster_read(const char *path, struct roster *r)
{
	FILE *in = fopen(path, "r");
	if (in == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	char buf[1024];
	int line = 0, errors = 0;
	while (fgets(buf, sizeof(buf), in) != NULL) {
		line++;
		buf[strcspn(buf, "\r\n")] = '\0';
		char *s = buf + strspn(buf, " \t"), *f[6];
		if (*s == '\0' || *s == '#' || (line == 1 && strncmp(s, "id,", 3) == 0))
			continue;
		int n = fields(s, f);
		if (n != 5 && n != 6) {
			errors += bad(path, line, "%s%d field(s); a line is id,state,region,agency,role"
				      "[,public key]", n > 6 ? "more than " : "", n > 6 ? 6 : n);
			continue;
		}
		errors += add(path, line, f, n, r);
	}
	fclose(in);
	return errors;
}

void roster_free(struct roster *r)
{
	free(r->units);
	memset(r, 0, sizeof(*r));
}
