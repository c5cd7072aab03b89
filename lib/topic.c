/* Raksha topic names: raksha/v1/{state}/{region}/{agency}/{kind} and
 * raksha/v1/{state}/{region}/{agency}/agent/{id}. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <raksha/topic.h>

#include "lib/problem.h"

static const char *const kind_names[] = {
	[RAKSHA_KIND_NONE] = "none",
	[RAKSHA_KIND_REPORT] = "report",
	[RAKSHA_KIND_SIGHTING] = "sighting",
	[RAKSHA_KIND_UPDATE] = "update",
	[RAKSHA_KIND_ACK] = "ack",
	[RAKSHA_KIND_ESCALATION] = "escalation",
	[RAKSHA_KIND_AGENT] = "agent",
	[RAKSHA_KIND_LINK] = "link",
};

#define KIND_COUNT (sizeof(kind_names) / sizeof(kind_names[0]))
#define PREFIX "raksha/v1/"

const char *raksha_kind_name(enum raksha_kind kind)
{
	if ((unsigned)kind >= KIND_COUNT)
		return "unknown";
	return kind_names[kind];
}

enum raksha_kind raksha_kind_from_name(const char *name)
{
	for (unsigned k = RAKSHA_KIND_REPORT; name != NULL && k < KIND_COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return (enum raksha_kind)k;
	return RAKSHA_KIND_NONE;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Length of the valid name at @s ending at '/' or NUL, or -1 with the offset
 * of the first bad byte in *@bad (the length itself when it is too long). */
static int name_span(const char *s, size_t max, size_t *bad)
{
	size_t n = 0;
	while (s[n] != '\0' && s[n] != '/') {
		if (n == max || !name_char(s[n])) {
			*bad = n;
			return -1;
		}
		n++;
	}
	*bad = 0;
	return n == 0 ? -1 : (int)n;
}

static bool whole_name_valid(const char *s, size_t max)
{
	size_t bad;
	int n = name_span(s, max, &bad);
	return n > 0 && s[n] == '\0';
}

bool raksha_segment_valid(const char *segment)
{
	return segment != NULL && whole_name_valid(segment, RAKSHA_SEGMENT_MAX);
}

bool raksha_agent_id_valid(const char *id)
{
	return id != NULL && whole_name_valid(id, RAKSHA_AGENT_ID_MAX);
}

/* Copies the name at *@pos into @dst and moves *@pos past it and its '/'. */
static int take_name(const char *topic, size_t *pos, char *dst, size_t max,
		     const char *what, struct raksha_problem *p)
{
	const char *s = topic + *pos;
	size_t bad;
	int n = name_span(s, max, &bad);
	if (n < 0) {
		if (bad == 0 && (s[0] == '\0' || s[0] == '/'))
			return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
					   "topic '%.64s': %s at byte %zu is empty", topic, what, *pos);
		if (bad == max)
			return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
					   "topic '%.64s': %s at byte %zu is longer than %zu bytes",
					   topic, what, *pos, max);
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
				   "topic '%.64s': byte %zu (0x%02x) in %s is not [a-z0-9-]",
				   topic, *pos + bad, (unsigned char)s[bad], what);
	}
	memcpy(dst, s, (size_t)n);
	dst[n] = '\0';
	*pos += (size_t)n;
	if (topic[*pos] == '/')
		(*pos)++;
	return 0;
}

static int expect_more(const char *topic, size_t pos, const char *what,
		       struct raksha_problem *p)
{
	if (pos > 0 && topic[pos - 1] == '/' && topic[pos] != '\0')
		return 0;
	return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
			   "topic '%.64s': ends before the %s level", topic, what);
}

/* The next level, which must be there: after a '/', and not empty. */
static int take_level(const char *topic, size_t *pos, char *dst, size_t max,
		      const char *what, struct raksha_problem *p)
{
	int r = expect_more(topic, *pos, what, p);
	if (r < 0)
		return r;
	return take_name(topic, pos, dst, max, what, p);
}

int raksha_topic_parse(const char *topic, struct raksha_topic *out,
		       struct raksha_problem *p)
{
	if (topic == NULL || out == NULL)
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC, "topic: missing");
	if (strncmp(topic, PREFIX, strlen(PREFIX)) != 0)
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
				   "topic '%.64s': does not start with '" PREFIX "'", topic);
	memset(out, 0, sizeof(*out));
	size_t pos = strlen(PREFIX);
	char kind[RAKSHA_SEGMENT_MAX + 1];
	int r = take_name(topic, &pos, out->state, RAKSHA_SEGMENT_MAX, "state", p);
	if (r < 0)
		return r;
	r = take_level(topic, &pos, out->region, RAKSHA_SEGMENT_MAX, "region", p);
	if (r < 0)
		return r;
	r = take_level(topic, &pos, out->agency, RAKSHA_SEGMENT_MAX, "agency", p);
	if (r < 0)
		return r;
	r = take_level(topic, &pos, kind, RAKSHA_SEGMENT_MAX, "kind", p);
	if (r < 0)
		return r;
	out->kind = raksha_kind_from_name(kind);
	if (out->kind == RAKSHA_KIND_NONE)
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
				   "topic '%.64s': kind '%s' is not report, sighting, update, ack, escalation, link"
				   " or agent",
				   topic, kind);
	if (out->kind == RAKSHA_KIND_AGENT) {
		r = take_level(topic, &pos, out->agent_id, RAKSHA_AGENT_ID_MAX, "agent id", p);
		if (r < 0)
			return r;
	}
	if (topic[pos] != '\0' || topic[pos - 1] == '/')
		return problem_set(p, -EINVAL, RAKSHA_CAUSE_BAD_TOPIC,
				   "topic '%.64s': too deep: unexpected level at byte %zu", topic,
				   topic[pos - 1] == '/' ? pos - 1 : pos);
	return 0;
}

int raksha_topic_format(const struct raksha_topic *t, char *buf, size_t size)
{
	if (t == NULL || buf == NULL || !raksha_segment_valid(t->state) ||
	    !raksha_segment_valid(t->region) || !raksha_segment_valid(t->agency) ||
	    t->kind <= RAKSHA_KIND_NONE || (unsigned)t->kind >= KIND_COUNT)
		return -EINVAL;
	int n;
	if (t->kind == RAKSHA_KIND_AGENT) {
		if (!raksha_agent_id_valid(t->agent_id))
			return -EINVAL;
		n = snprintf(buf, size, PREFIX "%s/%s/%s/agent/%s", t->state, t->region,
			     t->agency, t->agent_id);
	} else {
		n = snprintf(buf, size, PREFIX "%s/%s/%s/%s", t->state, t->region, t->agency,
			     kind_names[t->kind]);
	}
	if (n < 0 || (size_t)n >= size)
		return -ENOBUFS;
	return n;
}
