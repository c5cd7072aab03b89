/* MQTT filter validation and matching (MQTT 3.1.1 section 4.7). */
#include <errno.h>

#include <raksha/topic.h>

#include "tests/lib/tap.h"

static const struct {
	const char *filter;
	int valid;
} validity[] = {
	{"raksha/v1/#", 1}, {"#", 1}, {"+", 1}, {"+/+", 1}, {"/", 1}, {"a//b", 1},
	{"raksha/v1/+/+/grp/report", 1}, {"raksha/v1/mp/+/+/agent/+", 1},
	{"", 0}, {"a/#/b", 0}, {"a#", 0}, {"a/b#", 0}, {"a+", 0}, {"a/+b/c", 0},
	{"#/a", 0}, {"##", 0}, {"++", 0},
};

static const struct {
	const char *filter, *topic;
	int match;
} matching[] = {
	{"raksha/v1/#", "raksha/v1/mp/bhopal/grp/report", 1},
	{"raksha/v1/#", "raksha/v1", 1},  /* '#' includes the parent level */
	{"raksha/v1/mp/#", "raksha/v1/up/lucknow/grp/report", 0},
	{"raksha/v1/mp/+/grp/report", "raksha/v1/mp/bhopal/grp/report", 1},
	{"raksha/v1/mp/+/grp/report", "raksha/v1/mp/bhopal/rpf/report", 0},
	{"raksha/v1/+/+/+/escalation", "raksha/v1/mp/state/control/escalation", 1},
	{"raksha/v1/mp/bhopal/+/agent/+", "raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1", 1},
	{"raksha/v1/mp/bhopal/grp/report", "raksha/v1/mp/bhopal/grp/report", 1},
	/* A prefix without '#' is not a subscription to the tree. */
	{"raksha/v1/mp", "raksha/v1/mp/bhopal/grp/report", 0},
	{"raksha/v1/mp/bhopal/grp", "raksha/v1/mp/bhopal/grp/report", 0},
	/* '+' matches one level only, an empty one too. */
	{"raksha/+/report", "raksha/v1/mp/report", 0},
	{"a/+/c", "a//c", 1},
	{"+/+", "/finance", 1},
	{"+", "/finance", 0},
	{"/+", "/finance", 1},
	{"a/+", "a", 0},
	{"a/#", "a", 1},
	{"a/b", "a/b/", 0},
	/* '$' topics are not matched by a leading wildcard. */
	{"#", "$SYS/broker/uptime", 0},
	{"+/broker/uptime", "$SYS/broker/uptime", 0},
	{"$SYS/#", "$SYS/broker/uptime", 1},
	{"#", "raksha/v1/mp/bhopal/grp/report", 1},
	/* Deeper topics than the filter do not match without '#'. */
	{"raksha/v1/+/+/+/+", "raksha/v1/mp/bhopal/grp/agent/x", 0},
	{"raksha/v1/+/+/+/agent/+", "raksha/v1/mp/bhopal/grp/agent/x", 1},
	/* Invalid inputs match nothing. */
	{"a/#/b", "a/x/b", 0},
	{"#", "", 0},
	{"#", "a/+", 0},
	{"RAKSHA/v1/#", "raksha/v1/mp", 0},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(validity) / sizeof(validity[0]); i++)
		is_int(raksha_filter_validate(validity[i].filter), validity[i].valid ? 0 : -EINVAL,
		       "filter '%s' %s", validity[i].filter, validity[i].valid ? "valid" : "invalid");
	is_int(raksha_filter_validate(NULL), -EINVAL, "NULL filter invalid");
	for (size_t i = 0; i < sizeof(matching) / sizeof(matching[0]); i++)
		is_int(raksha_filter_matches(matching[i].filter, matching[i].topic), matching[i].match,
		       "'%s' %s '%s'", matching[i].filter, matching[i].match ? "matches" : "does not match",
		       matching[i].topic);
	return tap_done();
}
