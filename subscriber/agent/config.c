/* raksha-agent's config file (config.h; raksha.conf(5) in docs/agent.md):
 * reading it, and what the file as a whole must have. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/topic.h>

#include "agent/config.h"
#include "agent/config_keys.h"
#include "common/ini_file.h"
#include "common/log.h"

pthread_mutex_t agent_config_mutex = PTHREAD_MUTEX_INITIALIZER;

static int key(struct ini_file *f, void *ctx, const char *section, const char *name, const char *value)
{
	struct agent_config *c = ctx;
	if (strncmp(section, "escalate.", 9) == 0)
		return rules_key(f, c->rules, &c->n_rules, AGENT_MAX_RULES, section, name, value);
	return agent_config_key(f, c, section, name, value);
}

/* The agent's own publications (escalations) wait beside its database. */
static char *default_outbox(const char *database)
{
	const char *slash = strrchr(database, '/');
	const char *base = slash == NULL ? "." : database;
	int dir = 1;  /* "." or "/" */
	if (slash != NULL && slash != database)
		dir = (int)(slash - database);
	char *out = malloc((size_t)dir + sizeof("/outbox"));
	if (out != NULL)
		sprintf(out, "%.*s/outbox", dir, base);
	return out;
}

/* Logs one problem of the file at @path, of its @line (0: of the whole
 * file). Returns 1, to be counted. */
__attribute__((format(printf, 3, 4)))
static int problem(const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vfile_error(path, line, fmt, ap);
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
			missing += problem(c->path, 0, "%s is missing", names[i]);
	if (c->n_urls == 0)
		missing += problem(c->path, 0, "[broker] url is missing");
	if (c->n_filters == 0)
		missing += problem(c->path, 0, "[subscribe] filter is missing");
	return missing;
}

/* An escalation rule may publish only into the agent's own tree, the one
 * topic the roster's ACL lets an agent write escalations to
 * (tools/roster/roster_acl.c, docs/security.md). Elsewhere MQTT 3.1.1's
 * broker acknowledges and drops every one: the rule would seem to work and
 * never reach anybody, so it is a configuration error. */
static int check_publish_topics(const struct agent_config *c)
{
	int errors = 0;
	if (c->state == NULL || c->region == NULL || c->agency == NULL)
		return 0;  /* check_required() says what is missing */
	for (size_t i = 0; i < c->n_rules; i++) {
		const struct escalate_rule *r = &c->rules[i];
		struct raksha_topic t;
		if (r->publish == NULL || raksha_topic_parse(r->publish, &t, NULL) < 0)
			continue;  /* rules.c named a topic that is no escalation topic */
		if (strcmp(t.state, c->state) == 0 && strcmp(t.region, c->region) == 0 &&
		    strcmp(t.agency, c->agency) == 0)
			continue;
		errors += problem(c->path, r->publish_line, "[escalate.%s] publish: %s is outside "
				  "this agent's own tree "
				  "raksha/v1/%s/%s/%s/: the broker's ACL drops every escalation "
				  "published there%s", r->name, r->publish,
				  c->state, c->region, c->agency,
				  c->signing_key_path ? ", and its signature would be refused" : "");
	}
	return errors;
}

/* Reads the key and the trust store the file names, so that -n vouches for
 * them too. */
static int load_signing(struct agent_config *c)
{
	struct raksha_problem p;
	int errors = 0;
	if (c->signing_key_path && raksha_signing_key_load(c->signing_key_path, &c->signing_key, &p) < 0)
		errors += problem(c->path, 0, "[agent] signing_key: %s", p.text);
	if (c->signing_key && c->id && strcmp(raksha_signing_key_id(c->signing_key), c->id) != 0)
		errors += problem(c->path, 0, "[agent] signing_key: the key is %s's, not this agent's (%s)",
				  raksha_signing_key_id(c->signing_key), c->id);
	if (c->trusted_keys_path && raksha_trust_store_load(c->trusted_keys_path, &c->trust, &p) < 0)
		errors += problem(c->path, 0, "[agent] trusted_keys: %s", p.text);
	if (c->require_signatures && c->trusted_keys_path == NULL)
		errors += problem(c->path, 0, "[agent] require_signatures = yes needs trusted_keys");
	return errors;
}

/* node-exporter's textfile collector reads only *.prom files: another
 * name would be written and never read. (A duration is 1s at least.) */
static int check_metrics(const struct agent_config *c)
{
	int errors = 0;
	const char *suffix = ".prom";
	const char *t = c->metrics_textfile;
	if (t != NULL && (strlen(t) <= strlen(suffix) || strcmp(t + strlen(t) - strlen(suffix), suffix) != 0))
		errors += problem(c->path, 0, "[agent] metrics_textfile: '%s' does not end in .prom, the only files "
				  "node-exporter's textfile collector reads", t);
	return errors;
}

int agent_config_load(const char *path, struct agent_config *c)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->durability = DURABILITY_POWER;  /* power cuts are common at district offices */
	c->hook_timeout_ms = HOOK_TIMEOUT_DEFAULT_MS;
	c->prune_rejected_after_ms = PRUNE_REJECTED_DEFAULT_MS;
	c->rejected_per_sender = REJECTED_SENDER_DEFAULT;
	c->rejected_total = REJECTED_TOTAL_DEFAULT;
	c->backup_interval_ms = BACKUP_INTERVAL_DEFAULT_MS;
	c->backup_keep = BACKUP_KEEP_DEFAULT;
	c->metrics_interval_ms = METRICS_INTERVAL_DEFAULT_MS;
	int errors = ini_file_read(path, key, c);
	if (errors < 0)
		return -1;
	errors += check_required(c) + rules_check(path, c->rules, c->n_rules) + check_publish_topics(c) +
		  load_signing(c) + check_metrics(c);
	if (errors == 0 && c->outbox == NULL && (c->outbox = default_outbox(c->database)) == NULL)
		return -1;
	return errors;
}

void agent_config_free(struct agent_config *c)
{
	agent_config_keys_free(c);
	rules_free(c->rules, c->n_rules);
	raksha_signing_key_free(c->signing_key);
	raksha_trust_store_free(c->trust);
}
