/* The roster's one reader (lib/roster.c), which the trust store and
 * raksha-roster share: every field checked and each bad line named with
 * the field, comments, blank lines and the header skipped, blanks around
 * fields and CRLF line ends taken, a line too long refused whole; and the
 * trust store refusing exactly what the reader refuses, at the same line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <raksha/sign.h>

#include "lib/roster.h"
#include "tests/lib/tap.h"

#define KEY "7CpBqdg1DrpEWbqgqdsX6fkb4vw1V2AA7Hl3ntEeK2k="

struct seen {
	struct roster_unit units[8];
	int n_units;
	int bad_line;
	char why[256];
	int stop_after;  /* units; 0: never stop */
};

static int take(void *ctx, int line, const struct roster_unit *u, const char *why)
{
	struct seen *s = ctx;
	if (u == NULL) {
		if (s->bad_line == 0) {
			s->bad_line = line;
			snprintf(s->why, sizeof(s->why), "%s", why);
		}
		return 0;
	}
	if (s->n_units < 8)
		s->units[s->n_units] = *u;
	s->n_units++;
	return s->stop_after != 0 && s->n_units == s->stop_after ? -ECANCELED : 0;
}

static int read_text(const char *text, struct seen *s)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r = roster_read(f, take, s);
	fclose(f);
	return r;
}

static void good_lines(void)
{
	struct seen s = {0};
	const char *text = "# the units of MP\n"
			   "\n"
			   "id,state,region,agency,role,public_key\n"
			   "bpl-grp-1 , mp, bhopal ,grp,agent\r\n"
			   "   # an indented comment\n"
			   "hq,mp,bhopal,control,control," KEY "\n"
			   "sp,mp,bhopal,police,supervisor,\n";
	is_int(read_text(text, &s), 0, "a roster with comments, a header, blanks and CRLF reads");
	is_int(s.bad_line, 0, "  no bad line");
	is_int(s.n_units, 3, "  three units");
	ok(strcmp(s.units[0].id, "bpl-grp-1") == 0 && strcmp(s.units[0].region, "bhopal") == 0 &&
	   s.units[0].role == ROSTER_AGENT && !s.units[0].signs && s.units[0].line == 4,
	   "  fields trimmed, role agent, no key, line 4");
	uint8_t key[RAKSHA_PUBLIC_KEY_LEN];
	raksha_public_key_parse(KEY, key);
	ok(s.units[1].signs && memcmp(s.units[1].key, key, sizeof(key)) == 0 && s.units[1].role == ROSTER_CONTROL,
	   "  a control room with its public key");
	ok(!s.units[2].signs && s.units[2].role == ROSTER_SUPERVISOR, "  an empty key field: does not sign");
	is_str(roster_role_name(ROSTER_ARCHIVE), "archive", "role names");
	struct seen stop = {.stop_after = 1};
	is_int(read_text(text, &stop), -ECANCELED, "the callback's error stops the reading and is returned");
	is_int(stop.n_units, 1, "  after the first unit");
}

static const struct {
	const char *line, *why;
} bad[] = {
	{"bpl,mp,bhopal,grp", "4 field(s); a line is id,state,region,agency,role[,public key]"},
	{"bpl,mp,bhopal,grp,agent," KEY ",x", "more than 6 field(s)"},
	{"BPL,mp,bhopal,grp,agent", "id 'BPL' must match [a-z0-9-]{1,64}"},
	{"bpl,MP,bhopal,grp,agent", "state 'MP' must match [a-z0-9-]{1,32}"},
	{"bpl,mp,bho pal,grp,agent", "region 'bho pal' must match [a-z0-9-]{1,32}"},
	{"bpl,mp,bhopal,,agent", "agency '' must match [a-z0-9-]{1,32}"},
	{"bpl,mp,bhopal,grp,boss", "role 'boss' is not unit, agent, control, supervisor, archive or admin"},
	{"bpl,mp,bhopal,grp,agent,notakey", "public key 'notakey' is not 44 characters of base64"},
};

static void bad_lines(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512], path[] = "/tmp/raksha-test-roster.XXXXXX";
		snprintf(text, sizeof(text), "id,state,region,agency,role\nok,mp,bhopal,grp,unit\n\n%s\n"
			 "later,mp,bhopal,grp,unit\n", bad[i].line);
		struct seen s = {0};
		int r = read_text(text, &s);
		ok(r == 0 && s.bad_line == 4 && strstr(s.why, bad[i].why) != NULL && s.n_units == 2,
		   "'%s': line 4, %s; the lines around it read", bad[i].line, bad[i].why);
		int fd = mkstemp(path);
		if (write(fd, text, strlen(text)) < 0)
			perror("write");
		close(fd);
		struct raksha_trust_store *ts = NULL;
		struct raksha_problem p = {0};
		r = raksha_trust_store_load(path, &ts, &p);
		char want[300];
		snprintf(want, sizeof(want), "%s:4: %s", path, bad[i].why);
		ok(r == -EINVAL && strstr(p.text, want) != NULL, "  the trust store refuses it the same way");
		raksha_trust_store_free(ts);
		unlink(path);
	}
	char *long_text = malloc(3000);
	memset(long_text, 'a', 2000);
	snprintf(long_text + 2000, 1000, ",mp,bhopal,grp,unit\nok,mp,bhopal,grp,unit\n");
	struct seen s = {0};
	is_int(read_text(long_text, &s), 0, "a 2 kB line");
	ok(s.bad_line == 1 && strstr(s.why, "longer than 1024 bytes") && s.n_units == 1,
	   "  is refused as one line (not read as several), the next one read");
	free(long_text);
}

/* raksha_roster_role_check(): the roles a line may have, no other. */
static void roles(void)
{
	static const char *const good[] = {"unit", "agent", "control", "supervisor", "archive", "admin"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		is_int(raksha_roster_role_check(good[i], NULL), 0, "role %s", good[i]);
	struct raksha_problem p = {0};
	is_int(raksha_roster_role_check("chief", &p), -EINVAL, "role chief: -EINVAL");
	is_str(p.text, "role 'chief' is not unit, agent, control, supervisor, archive or admin",
	       "  naming it and the roles");
	is_int(raksha_roster_role_check("Unit", NULL), -EINVAL, "roles are lower case");
	is_int(raksha_roster_role_check(NULL, NULL), -EINVAL, "NULL: -EINVAL");
}

int main(void)
{
	good_lines();
	bad_lines();
	roles();
	return tap_done();
}
