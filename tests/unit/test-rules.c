/* Escalation rules (subscriber/agent/rules.c): the [escalate.NAME] keys
 * read, each bad one named by its line, what a rule lacks, which reports a
 * rule watches (topic filter, the schema's default priority, at least a
 * priority, regions), which acks stop it, and when two rule lists say the
 * same (the reload's diff). */
#define _GNU_SOURCE /* memfd_create (tests/lib/stderr.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <raksha/raksha.h>

#include "agent/rules.h"
#include "common/ini_file.h"
#include "common/log.h"
#include "tests/lib/stderr.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define MAX 32

static char path[128];
static char said[16384];

struct set {
	struct escalate_rule rules[MAX];
	size_t n;
};

static int key(struct ini_file *f, void *ctx, const char *section, const char *name, const char *value)
{
	struct set *s = ctx;
	return rules_key(f, s->rules, &s->n, MAX, section, name, value);
}

/* Reads @text's [escalate.*] sections into @s; returns the problems, with
 * rules_check()'s, and what was logged in said[]. */
static int parse(const char *text, struct set *s)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	struct stderr_catch caught;
	s->n = 0;
	stderr_catch_begin(&caught);
	int r = ini_file_read(path, key, s);
	if (r >= 0)
		r += rules_check(path, s->rules, s->n);
	stderr_catch_end(&caught, said, sizeof(said));
	return r;
}

static const char full[] =
	"[escalate.sp]\n"
	"match = raksha/v1/mp/+/+/report\n"
	"priority = urgent\n"
	"region = bhopal, itarsi jabalpur\n"
	"after = 10m\n"
	"unless_ack_from = grp,rpf\n"
	"publish = raksha/v1/mp/bhopal/grp/escalation\n"
	"target = sp-bhopal\n"
	"exec = notify-sp\n"
	"repeat = 30m\n"
	"[escalate.any]\n"
	"match = raksha/#\n"
	"after = 90s\n"
	"exec = true\n";

static void reading(void)
{
	struct set s;
	is_int(parse(full, &s), 0, "two rules, every key, no problem");
	is_str(said, "", "  nothing logged");
	is_int((long long)s.n, 2, "  two rules");
	const struct escalate_rule *r = &s.rules[0];
	is_str(r->name, "sp", "the name is the section's");
	is_int(r->line, 2, "  its line is its first key's");
	is_str(r->match, "raksha/v1/mp/+/+/report", "match");
	is_int(r->min_priority, RAKSHA__V1__PRIORITY__PRIORITY_URGENT, "priority = urgent");
	ok(r->n_regions == 3 && strcmp(r->regions[1], "itarsi") == 0 && strcmp(r->regions[2], "jabalpur") == 0,
	   "region: commas or spaces between names");
	is_int(r->after_ms, 600000, "after = 10m");
	ok(r->n_unless == 2 && strcmp(r->unless_ack_from[1], "rpf") == 0, "unless_ack_from = grp,rpf");
	ok(strcmp(r->publish, "raksha/v1/mp/bhopal/grp/escalation") == 0 && strcmp(r->target, "sp-bhopal") == 0 &&
	   strcmp(r->exec, "notify-sp") == 0, "publish, target, exec");
	is_int(r->repeat_ms, 1800000, "repeat = 30m");
	ok(s.rules[1].min_priority == 0 && s.rules[1].n_regions == 0 && s.rules[1].repeat_ms == 0 &&
	   s.rules[1].publish == NULL, "the defaults: any priority, any region, once, no publish");
	rules_free(s.rules, s.n);
}

/* @text is one problem, logged with @needle. */
static void bad(const char *text, const char *needle)
{
	struct set s;
	int r = parse(text, &s);
	char want[256];
	snprintf(want, sizeof(want), "%s:%s", path, needle);
	ok(r == 1 && strstr(said, want) != NULL, "refused: %s", needle);
	if (r != 1 || strstr(said, want) == NULL)
		printf("#   got %d: %s", r, said);
	rules_free(s.rules, s.n);
}

#define GOOD "match = raksha/#\nafter = 1m\nexec = true\n"

static void refusing(void)
{
	struct set s;
	int r = parse("[escalate.Big]\n" GOOD, &s);
	ok(r == 3 && strstr(said, ":4: [escalate.Big]: a rule's name must match [a-z0-9-]{1,64}") != NULL &&
	   s.n == 0, "a bad name: each of the section's lines refused, no rule made");
	bad("[escalate.x]\n" GOOD "priority = soon\n",
	    "5: priority: 'soon' is not routine, elevated, high, urgent or critical");
	bad("[escalate.x]\n" GOOD "repeat = often\n",
	    "5: repeat: 'often' is not a duration such as 90s, 10m, 2h or 1d");
	bad("[escalate.x]\n" GOOD "region = Bhopal\n", "5: region: 'Bhopal' must match [a-z0-9-]{1,32}");
	bad("[escalate.x]\nmatch = raksha/#/x\nafter = 1m\nexec = true\n",
	    "2: match: 'raksha/#/x' is not an MQTT topic filter");
	bad("[escalate.x]\n" GOOD "publish = raksha/v1/mp/bhopal/grp/report\n",
	    "5: publish: 'raksha/v1/mp/bhopal/grp/report' is not an escalation topic");
	bad("[escalate.x]\n" GOOD "colour = red\n", "5: unknown key 'colour' in [escalate.x]");
	bad("[escalate.x]\nafter = 1m\nexec = true\n", "2: [escalate.x]: match is missing");
	bad("[escalate.x]\nmatch = raksha/#\nexec = true\n", "2: [escalate.x]: after is missing");
	bad("[escalate.x]\nmatch = raksha/#\nafter = 1m\n", "2: [escalate.x]: neither publish nor exec");
	char text[4096] = "[escalate.x]\n" GOOD "region =";
	for (int i = 0; i < RULE_MAX_LIST + 1; i++)
		strcat(text, " r");
	strcat(text, "\n");
	bad(text, "5: region: more than 16 names");
	char many[8192] = "";
	for (int i = 0; i <= MAX; i++) {
		char one[96];
		snprintf(one, sizeof(one), "[escalate.r%d]\n" GOOD, i);
		strcat(many, one);
	}
	r = parse(many, &s);
	ok(r == 3 && strstr(said, "more than 32 [escalate.*] sections") != NULL && s.n == MAX,
	   "a 33rd rule is refused (each of its three lines), the 32 are kept");
	rules_free(s.rules, s.n);
}

static void matching(void)
{
	struct set s;
	parse(full, &s);
	const struct escalate_rule *sp = &s.rules[0], *any = &s.rules[1];
	const char *report = "raksha/v1/mp/bhopal/grp/report";
	ok(rules_match(sp, report, RAKSHA__V1__PRIORITY__PRIORITY_URGENT, "bhopal"),
	   "an urgent report from bhopal: watched");
	ok(rules_match(sp, report, RAKSHA__V1__PRIORITY__PRIORITY_CRITICAL, "itarsi"),
	   "a critical one from itarsi (at least urgent, a listed region): watched");
	ok(!rules_match(sp, report, RAKSHA__V1__PRIORITY__PRIORITY_HIGH, "bhopal"),
	   "a high one: not (below urgent)");
	ok(!rules_match(sp, report, 0, "bhopal"), "no priority is the schema's high: not");
	ok(!rules_match(sp, report, RAKSHA__V1__PRIORITY__PRIORITY_URGENT, "indore"), "another region: not");
	ok(!rules_match(sp, report, RAKSHA__V1__PRIORITY__PRIORITY_URGENT, NULL), "no region: not");
	ok(!rules_match(sp, "raksha/v1/up/lucknow/grp/report", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, "bhopal"),
	   "another state's topic: not");
	ok(rules_match(any, report, 0, NULL), "a rule without priority or region: every report it matches");
	s.rules[1].min_priority = RAKSHA__V1__PRIORITY__PRIORITY_HIGH;
	ok(rules_match(any, report, 0, NULL), "  at least high: a report without a priority is high");
	ok(rules_stopped_by(sp, "rpf") && !rules_stopped_by(sp, "childline"),
	   "unless_ack_from: rpf's ack stops it, childline's does not");
	ok(rules_stopped_by(any, "childline"), "without it, any ack stops it");
	rules_free(s.rules, s.n);
}

/* The reload's comparison: each field of a rule counts. */
static void equality(void)
{
	static const char *const changed[] = {
		"match = raksha/v1/mp/+/+/report\n", "match = raksha/v1/+/+/+/report\n",
		"priority = urgent\n", "priority = critical\n",
		"region = bhopal, itarsi jabalpur\n", "region = bhopal itarsi\n",
		"after = 10m\n", "after = 11m\n",
		"unless_ack_from = grp,rpf\n", "unless_ack_from = rpf,grp\n",
		"publish = raksha/v1/mp/bhopal/grp/escalation\n", "publish = raksha/v1/mp/bhopal/rpf/escalation\n",
		"target = sp-bhopal\n", "target = dig\n",
		"exec = notify-sp\n", "exec = notify-dig\n",
		"repeat = 30m\n", "",
		"[escalate.sp]\n", "[escalate.sp2]\n",
	};
	struct set a, b;
	parse(full, &a);
	parse(full, &b);
	ok(rules_equal(a.rules, a.n, b.rules, b.n), "the same file: equal");
	rules_free(b.rules, b.n);
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i += 2) {
		char text[2048];
		const char *at = strstr(full, changed[i]);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - full), full, changed[i + 1],
			 at + strlen(changed[i]));
		parse(text, &b);
		char what[64];
		snprintf(what, sizeof(what), "%.*s", (int)strcspn(changed[i], " \n"), changed[i]);
		ok(!rules_equal(a.rules, a.n, b.rules, b.n), "%s changed: not equal", what);
		rules_free(b.rules, b.n);
	}
	ok(!rules_equal(a.rules, a.n, a.rules, 1), "one rule fewer: not equal");
	rules_free(a.rules, a.n);
}

int main(void)
{
	char dir[64];
	if (tmpdir_make(dir, "rules") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/agent.conf", dir);
	log_init(LOG_STYLE_PLAIN);
	reading();
	refusing();
	matching();
	equality();
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
