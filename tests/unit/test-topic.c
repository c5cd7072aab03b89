/* Topic names: parse, format, and the errors that name the bad level or byte. */
#include <errno.h>

#include <raksha/topic.h>

#include "tests/lib/tap.h"

struct parse_case {
	const char *topic;
	int want;                 /* 0 or -EINVAL */
	enum raksha_kind kind;
	const char *text;         /* a part of the problem's text, for failures */
};

static const struct parse_case parse_cases[] = {
	{"raksha/v1/mp/bhopal/grp/report", 0, RAKSHA_KIND_REPORT, NULL},
	{"raksha/v1/mp/bpl-div/rpf/sighting", 0, RAKSHA_KIND_SIGHTING, NULL},
	{"raksha/v1/up/lucknow/childline/update", 0, RAKSHA_KIND_UPDATE, NULL},
	{"raksha/v1/mp/bhopal/jab/ack", 0, RAKSHA_KIND_ACK, NULL},
	{"raksha/v1/mp/state/control/escalation", 0, RAKSHA_KIND_ESCALATION, NULL},
	{"raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1", 0, RAKSHA_KIND_AGENT, NULL},
	{"raksha/v1/abcdefghijklmnopqrstuvwxyz012345/x/y/report", 0, RAKSHA_KIND_REPORT, NULL},
	{"raksha/v1/abcdefghijklmnopqrstuvwxyz0123456/x/y/report", -EINVAL, 0, "longer than 32"},
	{"raksha/v1/mp/Bhopal/grp/report", -EINVAL, 0, "byte 13 (0x42) in region"},
	{"raksha/v1/mp//grp/report", -EINVAL, 0, "region at byte 13 is empty"},
	{"raksha/v1/mp/bhopal/grp/report/extra", -EINVAL, 0, "too deep"},
	{"raksha/v1/mp/bhopal/grp/report/", -EINVAL, 0, "too deep"},
	{"raksha/v1/mp/bhopal/grp/agent/a/b", -EINVAL, 0, "too deep"},
	{"raksha/v1/mp/bhopal/grp", -EINVAL, 0, "before the kind level"},
	{"raksha/v1/mp/bhopal/grp/", -EINVAL, 0, "before the kind level"},
	{"raksha/v1/mp/bhopal/grp/agent", -EINVAL, 0, "before the agent id"},
	{"raksha/v1/mp/bhopal/grp/alert", -EINVAL, 0, "kind 'alert'"},
	{"raksha/v2/mp/bhopal/grp/report", -EINVAL, 0, "does not start with"},
	{"$SYS/broker/uptime", -EINVAL, 0, "does not start with"},
	{"raksha/v1/mp/+/grp/report", -EINVAL, 0, "(0x2b) in region"},
	{"raksha/v1/mp/#", -EINVAL, 0, "(0x23) in region"},
	{"raksha/v1/mp/bhopal/grp/rep ort", -EINVAL, 0, "(0x20) in kind"},
	{"", -EINVAL, 0, "does not start with"},
};

static void test_parse(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct raksha_topic t;
		struct raksha_problem p = {0};
		int r = raksha_topic_parse(c->topic, &t, &p);
		is_int(r, c->want, "parse '%s'", c->topic);
		if (c->want == 0) {
			is_int(t.kind, c->kind, "  kind of '%s'", c->topic);
		} else {
			ok(p.cause == RAKSHA_CAUSE_BAD_TOPIC && strstr(p.text, c->text) != NULL,
			   "  problem of '%s' says '%s' (got '%s')", c->topic, c->text, p.text);
		}
	}
}

static void test_fields_and_format(void)
{
	struct raksha_topic t;
	char buf[RAKSHA_TOPIC_MAX];
	ok(raksha_topic_parse("raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1", &t, NULL) == 0,
	   "parse presence topic with NULL problem");
	is_str(t.state, "mp", "state");
	is_str(t.region, "bhopal", "region");
	is_str(t.agency, "grp", "agency");
	is_str(t.agent_id, "mp-bhopal-grp-1", "agent id");
	is_int(raksha_topic_format(&t, buf, sizeof(buf)), 45, "format presence topic length");
	is_str(buf, "raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1", "format round trip");

	struct raksha_topic r = {.state = "up", .region = "lko-div", .agency = "rpf",
				 .kind = RAKSHA_KIND_ESCALATION};
	is_int(raksha_topic_format(&r, buf, sizeof(buf)), 35, "format escalation topic");
	is_str(buf, "raksha/v1/up/lko-div/rpf/escalation", "formatted text");
	is_int(raksha_topic_format(&r, buf, 10), -ENOBUFS, "small buffer: -ENOBUFS");
	r.agency[0] = 'R';
	is_int(raksha_topic_format(&r, buf, sizeof(buf)), -EINVAL, "upper-case agency: -EINVAL");
	r.agency[0] = 'r';
	r.kind = RAKSHA_KIND_NONE;
	is_int(raksha_topic_format(&r, buf, sizeof(buf)), -EINVAL, "no kind: -EINVAL");
	r.kind = RAKSHA_KIND_AGENT;
	is_int(raksha_topic_format(&r, buf, sizeof(buf)), -EINVAL, "agent kind without id: -EINVAL");
}

static void test_names(void)
{
	static const char *const names[] = {"report", "sighting", "update", "ack", "escalation", "agent",
					    "link"};
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_LINK; k++) {
		is_str(raksha_kind_name((enum raksha_kind)k), names[k - 1], "kind %d name", k);
		is_int(raksha_kind_from_name(names[k - 1]), k, "kind '%s' from name", names[k - 1]);
	}
	is_int(raksha_kind_from_name("none"), RAKSHA_KIND_NONE, "'none' is no kind");
	is_int(raksha_kind_from_name(NULL), RAKSHA_KIND_NONE, "NULL is no kind");
	is_str(raksha_kind_name((enum raksha_kind)99), "unknown", "out of range kind");
	ok(raksha_segment_valid("a-0"), "segment a-0 valid");
	ok(!raksha_segment_valid(""), "empty segment invalid");
	ok(!raksha_segment_valid("a_b"), "underscore invalid");
	ok(!raksha_segment_valid("नगर"), "non-ASCII segment invalid");
	ok(raksha_agent_id_valid("0123456789012345678901234567890123456789012345678901234567890123"),
	   "64-byte agent id valid");
	ok(!raksha_agent_id_valid("01234567890123456789012345678901234567890123456789012345678901234"),
	   "65-byte agent id invalid");
}

int main(void)
{
	test_parse();
	test_fields_and_format();
	test_names();
	return tap_done();
}
