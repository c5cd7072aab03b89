/* Topic names and MQTT filters of the Raksha bus.
 *
 *   raksha/v1/{state}/{region}/{agency}/{kind}       kind: report|sighting|update|ack|escalation|link
 *   raksha/v1/{state}/{region}/{agency}/agent/{id}   presence (retained AgentStatus)
 *
 * state, region and agency match [a-z0-9-]{1,32}; an agent id [a-z0-9-]{1,64}.
 * docs/topics.md has the rules and the subscriptions of each kind of unit. */
#ifndef RAKSHA_TOPIC_H
#define RAKSHA_TOPIC_H

#include <stdbool.h>
#include <stddef.h>

#include <raksha/problem.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RAKSHA_SEGMENT_MAX 32
#define RAKSHA_AGENT_ID_MAX 64
/* Longest valid topic: "raksha/v1/" + 3 segments + "agent/" + an id, with
 * separators; buffers of this size always fit a formatted topic and its NUL. */
#define RAKSHA_TOPIC_MAX 256

/* What a topic carries; the same names as the Envelope's body fields. */
enum raksha_kind {
	RAKSHA_KIND_NONE = 0,
	RAKSHA_KIND_REPORT,
	RAKSHA_KIND_SIGHTING,
	RAKSHA_KIND_UPDATE,
	RAKSHA_KIND_ACK,
	RAKSHA_KIND_ESCALATION,
	RAKSHA_KIND_AGENT,
	RAKSHA_KIND_LINK,         /* a found child and a report are one (CaseLink) */
};

/* A parsed topic. agent_id is set only for RAKSHA_KIND_AGENT, else "". */
struct raksha_topic {
	char state[RAKSHA_SEGMENT_MAX + 1];
	char region[RAKSHA_SEGMENT_MAX + 1];
	char agency[RAKSHA_SEGMENT_MAX + 1];
	enum raksha_kind kind;
	char agent_id[RAKSHA_AGENT_ID_MAX + 1];
};

/* "report", "sighting", "update", "ack", "escalation", "agent", "link"; "none" for
 * RAKSHA_KIND_NONE and "unknown" outside the enum. Returns a static string. */
const char *raksha_kind_name(enum raksha_kind kind);

/* The kind named by @name, or RAKSHA_KIND_NONE if it names none. */
enum raksha_kind raksha_kind_from_name(const char *name);

/* True if @segment is a valid state, region or agency: [a-z0-9-]{1,32}. */
bool raksha_segment_valid(const char *segment);

/* True if @id is a valid agent id: [a-z0-9-]{1,64}. */
bool raksha_agent_id_valid(const char *id);

/* Parses @topic into @out.
 * Returns 0, or:
 *   -EINVAL  @topic is not a Raksha topic; @problem (if not NULL) says which
 *            level or byte is wrong, with cause RAKSHA_CAUSE_BAD_TOPIC.
 * @out is unspecified on failure. */
int raksha_topic_parse(const char *topic, struct raksha_topic *out,
		       struct raksha_problem *problem);

/* Writes the topic named by @t into @buf (@size bytes, NUL included).
 * Returns the length written (without the NUL), or:
 *   -EINVAL  a segment, the kind or (for RAKSHA_KIND_AGENT) the agent id is invalid
 *   -ENOBUFS @buf is too small; RAKSHA_TOPIC_MAX always suffices */
int raksha_topic_format(const struct raksha_topic *t, char *buf, size_t size);

/* Checks an MQTT topic filter by MQTT 3.1.1's rules (levels split on '/',
 * '+' alone in a level, '#' alone and last, 1..65535 bytes, no NUL).
 * Returns 0, or -EINVAL. */
int raksha_filter_validate(const char *filter);

/* True if @topic matches @filter with MQTT semantics: '+' matches one level
 * (an empty one too), '#' matches the parent level and everything below, and
 * a wildcard in the first level never matches a topic starting with '$'.
 * An invalid filter matches nothing. */
bool raksha_filter_matches(const char *filter, const char *topic);

#ifdef __cplusplus
}
#endif

#endif
