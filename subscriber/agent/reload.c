/* SIGHUP: read the configuration again. Subscriptions change at once; what
 * cannot change under a running agent (its identity, database, brokers) is
 * named, to be applied by a restart. A bad file changes nothing. */
#include <string.h>

#include "agent/agent.h"
#include "agent/reload.h"
#include "common/log.h"

pthread_mutex_t agent_config_mutex = PTHREAD_MUTEX_INITIALIZER;

static bool listed(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Logs each setting that differs and needs a restart. Returns how many. */
static int needs_restart(const struct agent_config *live, const struct agent_config *next)
{
	const char *names[] = {"id", "state", "region", "agency", "database", "outbox", "username",
			       "password_file", "ca_file", "cert_file", "key_file"};
	const char *a[] = {live->id, live->state, live->region, live->agency, live->database,
			   live->outbox, live->username, live->password_file, live->ca_file,
			   live->cert_file, live->key_file};
	const char *b[] = {next->id, next->state, next->region, next->agency, next->database,
			   next->outbox, next->username, next->password_file, next->ca_file,
			   next->cert_file, next->key_file};
	int n = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!same(a[i], b[i]))
			log_line(LOG_WARNING, "reload: %s changed; restart raksha-agent to apply it", names[i]), n++;
	bool urls = live->n_urls != next->n_urls;
	for (size_t i = 0; !urls && i < live->n_urls; i++)
		urls = strcmp(live->urls[i], next->urls[i]) != 0;
	const char *ha[] = {live->on_report, live->on_sighting, live->on_update};
	const char *hb[] = {next->on_report, next->on_sighting, next->on_update};
	bool hooks = live->hook_timeout_ms != next->hook_timeout_ms;
	for (int i = 0; i < 3; i++)
		hooks = hooks || !same(ha[i], hb[i]);
	if (hooks || !rules_equal(live->rules, live->n_rules, next->rules, next->n_rules))
		log_line(LOG_WARNING, "reload: escalation rules or hooks changed; restart "
			  "raksha-agent to apply them"), n++;
	if (live->archive != next->archive || live->prune_closed_after_ms != next->prune_closed_after_ms)
		log_line(LOG_WARNING, "reload: role or prune_closed_after changed; restart "
			  "raksha-agent to apply them"), n++;
	if (!same(live->signing_key_path, next->signing_key_path) || (live->trust == NULL) != (next->trust == NULL) ||
	    live->require_signatures != next->require_signatures)
		log_line(LOG_WARNING, "reload: signing_key, trusted_keys or require_signatures changed; "
			  "restart raksha-agent to apply them"), n++;
	if (urls || live->durability != next->durability || live->keepalive_s != next->keepalive_s)
		log_line(LOG_WARNING, "reload: broker or durability settings changed; restart "
			  "raksha-agent to apply them"), n++;
	return n;
}

/* A roster change (a unit's new key) applies at once: the trust store read
 * again replaces the live one, which the receive thread may still be using,
 * so it is kept until exit. Returns 1 if it waits for a restart instead. */
static int take_trust_store(struct agent_config *live, struct agent_config *next,
			    struct raksha_client *client)
{
	if (live->trust == NULL || next->trust == NULL || live->require_signatures != next->require_signatures)
		return 0;  /* needs_restart() said so */
	if (live->n_retired_trust == AGENT_MAX_RELOADED_TRUST) {
		log_line(LOG_WARNING, "reload: trusted_keys reloaded too often; restart raksha-agent "
			  "to read it again");
		return 1;
	}
	raksha_client_verify_signatures(client, next->trust, next->require_signatures);
	live->retired_trust[live->n_retired_trust++] = live->trust;
	live->trust = next->trust;
	next->trust = NULL;
	log_line(LOG_NOTICE, "reload: %zu trusted key(s) from %s", raksha_trust_store_count(live->trust),
		  next->trusted_keys_path);
	return 0;
}

int agent_reload(struct agent_config *live, struct raksha_client *client)
{
	struct agent_config next;
	int problems = agent_config_load(live->path, &next);
	if (problems != 0) {
		log_line(LOG_ERR, "reload: %s has %d problem(s), listed above; still running on the "
			  "configuration it had", live->path, problems < 0 ? 1 : problems);
		agent_config_free(&next);
		return -1;
	}
	int added = 0, removed = 0;
	for (size_t i = 0; i < next.n_filters; i++)
		if (!listed(live->filters, live->n_filters, next.filters[i]) &&
		    raksha_client_subscribe(client, next.filters[i]) == 0)
			added++;
	for (size_t i = 0; i < live->n_filters; i++)
		if (!listed(next.filters, next.n_filters, live->filters[i]) &&
		    raksha_client_unsubscribe(client, live->filters[i]) == 0)
			removed++;
	int restart = needs_restart(live, &next) + take_trust_store(live, &next, client);
	/* The live filter list becomes the new one (presence reports it). */
	char *old[AGENT_MAX_FILTERS];
	pthread_mutex_lock(&agent_config_mutex);
	size_t n_old = live->n_filters;
	memcpy(old, live->filters, n_old * sizeof(char *));
	memcpy(live->filters, next.filters, next.n_filters * sizeof(char *));
	live->n_filters = next.n_filters;
	pthread_mutex_unlock(&agent_config_mutex);
	memcpy(next.filters, old, n_old * sizeof(char *));
	next.n_filters = n_old;
	agent_config_free(&next);
	log_line(LOG_NOTICE, "reloaded %s: %d filter(s) added, %d removed%s", live->path, added,
		  removed, restart ? "; some changes wait for a restart" : "");
	return 0;
}
