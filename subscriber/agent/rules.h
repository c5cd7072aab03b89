/* Escalation rules: the [escalate.NAME] sections of the agent's config.
 * A rule watches the reports whose topic matches @match (and, if given,
 * whose priority is at least @min_priority and whose region is listed);
 * when nobody it listens to has acknowledged the case @after_ms after it
 * arrived, it raises the case: publishes an Escalation and/or runs a
 * command, then again every @repeat_ms until it is acknowledged or ends. */
#ifndef RAKSHA_AGENT_RULES_H
#define RAKSHA_AGENT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/duration.h"
#include "common/ini_file.h"

#define RULE_MAX_LIST 16
#define RULE_NAME_MAX 64

struct escalate_rule {
	char name[RULE_NAME_MAX + 1];
	int line;                          /* of its first key, for messages */
	char *match;                       /* topic filter on the report's topic */
	int min_priority;                  /* 0: any; else Raksha__V1__Priority */
	char *regions[RULE_MAX_LIST];      /* the report's origin region; none: any */
	size_t n_regions;
	int64_t after_ms;                  /* 0: not set (an error) */
	char *unless_ack_from[RULE_MAX_LIST];  /* agencies; none: any ack stops it */
	size_t n_unless;
	char *publish;                     /* escalation topic, or NULL */
	int publish_line;                  /* of the publish key, for messages */
	char *target;                      /* Escalation.target, or NULL */
	char *exec;                        /* shell command, or NULL */
	int64_t repeat_ms;                 /* 0: fire once */
};

/* Handles one key of section "escalate.NAME" into @rules (a new rule for a
 * new NAME, at most @max). Bad values are reported through @f with their
 * line. Returns 1, or 0 for out of memory (as ini_key_fn). */
int rules_key(struct ini_file *f, struct escalate_rule *rules, size_t *n, size_t max,
	     const char *section, const char *name, const char *value);

/* Reports what each rule lacks ("FILE: [escalate.x] after is missing").
 * Returns how many problems. */
int rules_check(const char *path, const struct escalate_rule *rules, size_t n);

/* True if @r watches a report on @topic with @priority from @region. */
bool rules_match(const struct escalate_rule *r, const char *topic, int priority, const char *region);

/* True if an ack from @agency stops @r. */
bool rules_stopped_by(const struct escalate_rule *r, const char *agency);

/* True if two rule lists say the same. */
bool rules_equal(const struct escalate_rule *a, size_t na, const struct escalate_rule *b, size_t nb);

void rules_free(struct escalate_rule *rules, size_t n);

#endif
