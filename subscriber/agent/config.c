/* raksha-agent's config file (see raksha.conf(5) in docs/agent.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/topic.h>

#include "agent/agent.h"
#include "common/ini_file.h"
#include "common/log.h"

static int set(char **dst, const char *value)
{
	free(*dst);
	*dst = strdup(value);
	return *dst != NULL;
}

static int add(struct ini_file *f, char **list, size_t *n, size_t max, const char *name,
	       const char *value)
{
	if (*n == max) {
		ini_file_error(f, "more than %zu '%s' lines", max, name);
		return 1;
	}
	list[*n] = NULL;
	if (!set(&list[*n], value))
		return 0;
	(*n)++;
	return 1;
}

static int agent_key(struct ini_file *f, struct agent_config *c, const char *name, const char *value)
{
	if (strcmp(name, "id") == 0) {
		if (!raksha_agent_id_valid(value))
			ini_file_error(f, "id: '%s' must match [a-z0-9-]{1,64}", value);
		return set(&c->id, value);
	}
	static const char *const levels[] = {"state", "region", "agency"};
	char **dst[] = {&c->state, &c->region, &c->agency};
	for (int i = 0; i < 3; i++) {
		if (strcmp(name, levels[i]) == 0) {
			if (!raksha_segment_valid(value))
				ini_file_error(f, "%s: '%s' must match [a-z0-9-]{1,32}", name, value);
			return set(dst[i], value);
		}
	}
	if (strcmp(name, "unit") == 0)
		return set(&c->unit, value);
	if (strcmp(name, "database") == 0)
		return set(&c->database, value);
	if (strcmp(name, "outbox") == 0)
		return set(&c->outbox, value);
	if (strcmp(name, "role") == 0) {
		if (strcmp(value, "district") != 0 && strcmp(value, "archive") != 0)
			ini_file_error(f, "role: '%s' is not 'district' or 'archive'", value);
		c->archive = strcmp(value, "archive") == 0;
		return 1;
	}
	if (strcmp(name, "prune_closed_after") == 0) {
		if ((c->prune_closed_after_ms = duration_parse(value)) < 0)
			ini_file_error(f, "prune_closed_after: '%s' is not a duration such as 90d", value);
		return 1;
	}
	if (strcmp(name, "signing_key") == 0)
		return set(&c->signing_key_path, value);
	if (strcmp(name, "trusted_keys") == 0)
		return set(&c->trusted_keys_path, value);
	if (strcmp(name, "require_signatures") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			ini_file_error(f, "require_signatures: '%s' is not 'yes' or 'no'", value);
		c->require_signatures = strcmp(value, "yes") == 0;
		return 1;
	}
	if (strcmp(name, "durability") == 0) {
		if (strcmp(value, "power") == 0)
			c->durability = DURABILITY_POWER;
		else if (strcmp(value, "crash") == 0)
			c->durability = DURABILITY_CRASH;
		else
			ini_file_error(f, "durability: '%s' is not 'power' or 'crash'", value);
		return 1;
	}
	ini_file_error(f, "unknown key '%s' in [agent]", name);
	return 1;
}

static int broker_key(struct ini_file *f, struct agent_config *c, const char *name, const char *value)
{
	if (strcmp(name, "url") == 0) {
		if (strncmp(value, "mqtt://", 7) != 0 && strncmp(value, "mqtts://", 8) != 0)
			ini_file_error(f, "url: '%s' is not mqtt://HOST:PORT or mqtts://HOST:PORT", value);
		return add(f, c->urls, &c->n_urls, AGENT_MAX_URLS, name, value);
	}
	if (strcmp(name, "keepalive") == 0) {
		char *end;
		long v = strtol(value, &end, 10);
		if (*end || end == value || v < 5 || v > 3600)
			ini_file_error(f, "keepalive: '%s' is not a number of seconds (5..3600)", value);
		else
			c->keepalive_s = (int)v;
		return 1;
	}
	static const char *const keys[] = {"username", "password_file", "ca_file", "cert_file", "key_file"};
	char **dst[] = {&c->username, &c->password_file, &c->ca_file, &c->cert_file, &c->key_file};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i]) == 0)
			return set(dst[i], value);
	ini_file_error(f, "unknown key '%s' in [broker]", name);
	return 1;
}

static int hooks_key(struct ini_file *f, struct agent_config *c, const char *name, const char *value)
{
	if (strcmp(name, "timeout") == 0) {
		int64_t ms = duration_parse(value);
		if (ms < 0)
			ini_file_error(f, "timeout: '%s' is not a duration such as 30s or 2m", value);
		else
			c->hook_timeout_ms = ms;
		return 1;
	}
	static const char *const keys[] = {"on_report", "on_sighting", "on_update"};
	char **dst[] = {&c->on_report, &c->on_sighting, &c->on_update};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i]) == 0)
			return set(dst[i], value);
	ini_file_error(f, "unknown key '%s' in [hooks]", name);
	return 1;
}

static int key(struct ini_file *f, void *ctx, const char *section, const char *name, const char *value)
{
	struct agent_config *c = ctx;
	if (strcmp(section, "agent") == 0)
		return agent_key(f, c, name, value);
	if (strcmp(section, "broker") == 0)
		return broker_key(f, c, name, value);
	if (strcmp(section, "subscribe") == 0 && strcmp(name, "filter") == 0) {
		if (raksha_filter_validate(value) < 0)
			ini_file_error(f, "filter: '%s' is not an MQTT topic filter", value);
		return add(f, c->filters, &c->n_filters, AGENT_MAX_FILTERS, name, value);
	}
	if (strncmp(section, "escalate.", 9) == 0)
		return rule_key(f, c->rules, &c->n_rules, AGENT_MAX_RULES, section, name, value);
	if (strcmp(section, "hooks") == 0)
		return hooks_key(f, c, name, value);
	if (strcmp(section, "subscribe") == 0)
		ini_file_error(f, "unknown key '%s' in [subscribe]", name);
	else
		ini_file_error(f, "unknown section [%s]", section);
	return 1;
}

/* The agent's own publications (escalations) wait beside its database. */
static char *default_outbox(const char *database)
{
	const char *slash = strrchr(database, '/');
	int dir = slash == NULL ? 1 : slash == database ? 1 : (int)(slash - database);
	const char *base = slash == NULL ? "." : database;
	char *out = malloc((size_t)dir + sizeof("/outbox"));
	if (out != NULL)
		sprintf(out, "%.*s/outbox", dir, base);
	return out;
}

/* Logs one problem of the file. Returns 1, to be counted. */
__attribute__((format(printf, 1, 2)))
static int problem(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vline(LOG_ERR, fmt, ap);
	va_end(ap);
	return 1;
}

/* What a working agent cannot do without. */
static int check_required(const struct agent_config *c)
{
	static const char *const names[] = {"[agent] id", "[agent] state", "[agent] region",
					    "[agent] agency", "[agent] database"};
	const char *values[] = {c->id, c->state, c->region, c->agency, c->database};
	int missing = 0;
	for (int i = 0; i < 5; i++)
		if (values[i] == NULL)
			missing += problem("%s: %s is missing", c->path, names[i]);
	if (c->n_urls == 0)
		missing += problem("%s: [broker] url is missing", c->path);
	if (c->n_filters == 0)
		missing += problem("%s: [subscribe] filter is missing", c->path);
	return missing;
}

/* Reads the key and the trust store the file names, so that -n vouches for
 * them too. A signing agent's escalations must be its own unit's: another
 * tree's origin would be refused as signed by the wrong unit. */
static int load_signing(struct agent_config *c)
{
	struct raksha_problem p;
	int errors = 0;
	if (c->signing_key_path && raksha_signing_key_load(c->signing_key_path, &c->signing_key, &p) < 0)
		errors += problem("%s: [agent] signing_key: %s", c->path, p.text);
	if (c->signing_key && c->id && strcmp(raksha_signing_key_id(c->signing_key), c->id) != 0)
		errors += problem("%s: [agent] signing_key: the key is %s's, not this agent's (%s)",
				  c->path, raksha_signing_key_id(c->signing_key), c->id);
	if (c->trusted_keys_path && raksha_trust_store_load(c->trusted_keys_path, &c->trust, &p) < 0)
		errors += problem("%s: [agent] trusted_keys: %s", c->path, p.text);
	if (c->require_signatures && c->trusted_keys_path == NULL)
		errors += problem("%s: [agent] require_signatures = yes needs trusted_keys", c->path);
	for (size_t i = 0; c->signing_key_path && i < c->n_rules; i++) {
		struct raksha_topic t;
		const char *topic = c->rules[i].publish;
		if (topic && raksha_topic_parse(topic, &t, NULL) == 0 && c->state && c->region && c->agency &&
		    (strcmp(t.state, c->state) || strcmp(t.region, c->region) || strcmp(t.agency, c->agency)))
			errors += problem("%s: [escalate.%s] publish: %s is not this agent's unit "
					  "(%s/%s/%s), so its signature would be refused", c->path,
					  c->rules[i].name, topic, c->state, c->region, c->agency);
	}
	return errors;
}

int agent_sign(const struct agent_config *c, uint8_t **buf, size_t *len)
{
	return c->signing_key ? raksha_envelope_sign(c->signing_key, buf, len) : 0;
}

int agent_config_load(const char *path, struct agent_config *c)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->durability = DURABILITY_POWER;  /* power cuts are common at district offices */
	c->hook_timeout_ms = HOOK_TIMEOUT_DEFAULT_MS;
	int errors = ini_file_read(path, key, c);
	if (errors < 0)
		return -1;
	errors += check_required(c) + rules_check(path, c->rules, c->n_rules) + load_signing(c);
	if (errors == 0 && c->outbox == NULL && (c->outbox = default_outbox(c->database)) == NULL)
		return -1;
	return errors;
}

void agent_config_free(struct agent_config *c)
{
	char **one[] = {&c->id, &c->state, &c->region, &c->agency, &c->unit, &c->database, &c->outbox,
			&c->username, &c->password_file, &c->ca_file, &c->cert_file, &c->key_file,
			&c->on_report, &c->on_sighting, &c->on_update, &c->signing_key_path,
			&c->trusted_keys_path};
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		free(*one[i]);
	for (size_t i = 0; i < c->n_urls; i++)
		free(c->urls[i]);
	for (size_t i = 0; i < c->n_filters; i++)
		free(c->filters[i]);
	rules_free(c->rules, c->n_rules);
	raksha_signing_key_free(c->signing_key);
	raksha_trust_store_free(c->trust);
	for (size_t i = 0; i < c->n_retired_trust; i++)
		raksha_trust_store_free(c->retired_trust[i]);
}
