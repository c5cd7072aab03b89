/* The roster's lines (roster.h). */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/minmax.h"
#include "lib/problem.h"
#include "lib/roster.h"

#define MAX_FIELDS 6

static const char *const ROLES[] = {"unit", "agent", "control", "supervisor", "archive", "admin"};

const char *roster_role_name(enum roster_role role)
{
	return ROLES[role];
}

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

static int role_of(const char *name)
{
	for (int i = 0; i < (int)(sizeof(ROLES) / sizeof(ROLES[0])); i++)
		if (strcmp(name, ROLES[i]) == 0)
			return i;
	return -1;
}

int raksha_roster_role_check(const char *role, struct raksha_problem *problem)
{
	if (role != NULL && role_of(role) >= 0)
		return 0;
	return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID,
			   "role '%.64s' is not unit, agent, control, supervisor, archive or admin",
			   role != NULL ? role : "");
}

/* The unit of the @n fields @f into @u; false with @why if a field is bad. */
static bool unit_from(char *f[MAX_FIELDS], int n, struct roster_unit *u, char *why, size_t size)
{
	static const char *const names[] = {"state", "region", "agency"};
	char *dst[] = {u->state, u->region, u->agency};
	if (!raksha_agent_id_valid(f[0])) {
		snprintf(why, size, "id '%s' must match [a-z0-9-]{1,64}", f[0]);
		return false;
	}
	snprintf(u->id, sizeof(u->id), "%s", f[0]);
	for (int i = 0; i < 3; i++) {
		if (!raksha_segment_valid(f[i + 1])) {
			snprintf(why, size, "%s '%s' must match [a-z0-9-]{1,32}", names[i], f[i + 1]);
			return false;
		}
		snprintf(dst[i], sizeof(u->state), "%s", f[i + 1]);
	}
	struct raksha_problem p;
	int role = role_of(f[4]);
	if (role < 0) {
		raksha_roster_role_check(f[4], &p);
		snprintf(why, size, "%s", p.text);
		return false;
	}
	u->role = (enum roster_role)role;
	u->signs = n == MAX_FIELDS && f[5][0] != '\0';
	if (u->signs && raksha_public_key_parse(f[5], u->key) < 0) {
		snprintf(why, size, "public key '%.50s' is not %d characters of base64 (raksha-publish "
			 "keygen prints one)", f[5], RAKSHA_PUBLIC_KEY_TEXT_LEN);
		return false;
	}
	return true;
}

/* One line (its newline removed): @fn hears of it, unless it is blank, a
 * comment or the header. */
static int take_line(char *s, int line, roster_line_fn fn, void *ctx)
{
	char *f[MAX_FIELDS], why[RAKSHA_PROBLEM_TEXT_MAX];
	struct roster_unit u = {.line = line};
	s += strspn(s, " \t");
	if (*s == '\0' || *s == '#')
		return 0;
	int n = split(s, f);
	if (n != 5 && n != MAX_FIELDS) {
		snprintf(why, sizeof(why), "%s%d field(s); a line is id,state,region,agency,role[,public key]",
			 n > MAX_FIELDS ? "more than " : "", MIN(n, MAX_FIELDS));
		return fn(ctx, line, NULL, why);
	}
	if (strcmp(f[0], "id") == 0 && strcmp(f[4], "role") == 0)
		return 0;
	if (!unit_from(f, n, &u, why, sizeof(why)))
		return fn(ctx, line, NULL, why);
	return fn(ctx, line, &u, NULL);
}

int roster_read(FILE *in, roster_line_fn fn, void *ctx)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int line = 0, r = 0;
	while (r == 0 && (len = getline(&buf, &cap, in)) >= 0) {
		line++;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (len > ROSTER_LINE_MAX)
			r = fn(ctx, line, NULL, "longer than 1024 bytes");
		else
			r = take_line(buf, line, fn, ctx);
	}
	free(buf);
	if (r == 0 && ferror(in))
		r = errno == ENOMEM ? -ENOMEM : -EIO;
	return r;
}
