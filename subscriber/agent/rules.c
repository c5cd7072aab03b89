/* [escalate.NAME] sections: parsing, checking and matching. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/raksha.h>

#include "agent/rules.h"
#include "common/log.h"

/* "urgent" -> PRIORITY_URGENT's number, or 0. */
static int priority_parse(const char *text)
{
	char name[64] = "PRIORITY_";
	size_t n = strlen(name);
	for (const char *p = text; *p && n < sizeof(name) - 1; p++)
		name[n++] = (char)toupper((unsigned char)*p);
	name[n] = '\0';
	const ProtobufCEnumValue *v =
		protobuf_c_enum_descriptor_get_value_by_name(&raksha__v1__priority__descriptor, name);
	return v != NULL && v->value > 0 ? v->value : 0;
}

/* Splits @value at spaces or commas into @list; each word must be a topic
 * segment. Returns 1, or 0 for out of memory. */
static int words(struct ini_file *f, const char *key, const char *value, char **list, size_t *n)
{
	char *copy = strdup(value);
	if (copy == NULL)
		return 0;
	char *save = NULL;
	int ok = 1;
	for (char *w = strtok_r(copy, " ,", &save); w != NULL && ok; w = strtok_r(NULL, " ,", &save)) {
		if (!raksha_segment_valid(w))
			ini_file_error(f, "%s: '%s' must match [a-z0-9-]{1,32}", key, w);
		else if (*n == RULE_MAX_LIST)
			ini_file_error(f, "%s: more than %d names", key, RULE_MAX_LIST);
		else if ((list[(*n)++] = strdup(w)) == NULL)
			ok = 0;
	}
	free(copy);
	return ok;
}

static int set(char **dst, const char *value)
{
	free(*dst);
	return (*dst = strdup(value)) != NULL;
}

/* The rule named @name, made if new. NULL if there are too many. */
static struct escalate_rule *rule_named(struct ini_file *f, struct escalate_rule *rules, size_t *n,
					size_t max, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(rules[i].name, name) == 0)
			return &rules[i];
	if (*n == max) {
		ini_file_error(f, "more than %zu [escalate.*] sections", max);
		return NULL;
	}
	struct escalate_rule *r = &rules[(*n)++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->line = f->line;
	return r;
}

static int topic_key(struct ini_file *f, struct escalate_rule *r, const char *key, const char *value)
{
	if (strcmp(key, "match") == 0) {
		if (raksha_filter_validate(value) < 0)
			ini_file_error(f, "match: '%s' is not an MQTT topic filter", value);
		return set(&r->match, value);
	}
	struct raksha_topic t;
	if (raksha_topic_parse(value, &t, NULL) < 0 || t.kind != RAKSHA_KIND_ESCALATION)
		ini_file_error(f, "publish: '%s' is not an escalation topic "
			       "(raksha/v1/STATE/REGION/AGENCY/escalation)", value);
	r->publish_line = f->line;
	return set(&r->publish, value);
}

static int64_t duration_key(struct ini_file *f, const char *key, const char *value)
{
	int64_t ms = duration_parse(value);
	if (ms < 0)
		ini_file_error(f, "%s: '%s' is not a duration such as 90s, 10m, 2h or 1d", key, value);
	return ms < 0 ? 0 : ms;
}

int rules_key(struct ini_file *f, struct escalate_rule *rules, size_t *n, size_t max,
	     const char *section, const char *key, const char *value)
{
	const char *name = section + strlen("escalate.");
	if (*name == '\0' || strlen(name) > RULE_NAME_MAX || !raksha_agent_id_valid(name)) {
		ini_file_error(f, "[%s]: a rule's name must match [a-z0-9-]{1,64}", section);
		return 1;
	}
	struct escalate_rule *r = rule_named(f, rules, n, max, name);
	if (r == NULL)
		return 1;
	if (strcmp(key, "match") == 0 || strcmp(key, "publish") == 0)
		return topic_key(f, r, key, value);
	if (strcmp(key, "after") == 0) {
		r->after_ms = duration_key(f, key, value);
		return 1;
	}
	if (strcmp(key, "repeat") == 0) {
		r->repeat_ms = duration_key(f, key, value);
		return 1;
	}
	if (strcmp(key, "priority") == 0) {
		if ((r->min_priority = priority_parse(value)) == 0)
			ini_file_error(f, "priority: '%s' is not routine, elevated, high, urgent or "
				       "critical", value);
		return 1;
	}
	if (strcmp(key, "region") == 0)
		return words(f, key, value, r->regions, &r->n_regions);
	if (strcmp(key, "unless_ack_from") == 0)
		return words(f, key, value, r->unless_ack_from, &r->n_unless);
	if (strcmp(key, "target") == 0)
		return set(&r->target, value);
	if (strcmp(key, "exec") == 0)
		return set(&r->exec, value);
	ini_file_error(f, "unknown key '%s' in [%s]", key, section);
	return 1;
}

int rules_check(const char *path, const struct escalate_rule *rules, size_t n)
{
	int problems = 0;
	for (size_t i = 0; i < n; i++) {
		const struct escalate_rule *r = &rules[i];
		const char *missing = NULL;
		if (r->match == NULL)
			missing = "match";
		else if (r->after_ms == 0)
			missing = "after";
		if (missing != NULL) {
			log_file_error(path, r->line, "[escalate.%s]: %s is missing", r->name,
				 missing);
			problems++;
		}
		if (r->publish == NULL && r->exec == NULL) {
			log_file_error(path, r->line, "[escalate.%s]: neither publish nor exec: it would do "
				       "nothing", r->name);
			problems++;
		}
	}
	return problems;
}

static bool listed(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool rules_match(const struct escalate_rule *r, const char *topic, int priority, const char *region)
{
	if (priority == 0)
		priority = RAKSHA__V1__PRIORITY__PRIORITY_HIGH;  /* as the schema says */
	return raksha_filter_matches(r->match, topic) && priority >= r->min_priority &&
	       (r->n_regions == 0 || (region != NULL && listed(r->regions, r->n_regions, region)));
}

bool rules_stopped_by(const struct escalate_rule *r, const char *agency)
{
	return r->n_unless == 0 || listed(r->unless_ack_from, r->n_unless, agency);
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	for (size_t i = 0; na == nb && i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return na == nb;
}

bool rules_equal(const struct escalate_rule *a, size_t na, const struct escalate_rule *b, size_t nb)
{
	for (size_t i = 0; na == nb && i < na; i++) {
		const struct escalate_rule *x = &a[i], *y = &b[i];
		if (strcmp(x->name, y->name) != 0 || !same(x->match, y->match) ||
		    x->min_priority != y->min_priority || x->after_ms != y->after_ms ||
		    x->repeat_ms != y->repeat_ms || !same(x->publish, y->publish) ||
		    !same(x->target, y->target) || !same(x->exec, y->exec) ||
		    !same_list(x->regions, x->n_regions, y->regions, y->n_regions) ||
		    !same_list(x->unless_ack_from, x->n_unless, y->unless_ack_from, y->n_unless))
			return false;
	}
	return na == nb;
}

void rules_free(struct escalate_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct escalate_rule *r = &rules[i];
		free(r->match);
		free(r->publish);
		free(r->target);
		free(r->exec);
		for (size_t j = 0; j < r->n_regions; j++)
			free(r->regions[j]);
		for (size_t j = 0; j < r->n_unless; j++)
			free(r->unless_ack_from[j]);
	}
}
