/* SIGHUP: read the configuration again. Subscriptions change at once; what
 * cannot change under a running agent (its identity, database, brokers) is
 * named, to be applied by a restart. A bad file changes nothing. */
#include <string.h>

#include "agent/config.h"
#include "agent/reload.h"
#include "common/log.h"

static bool listed(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static void log_change(void *ctx, const char *section, const char *key)
{
	(void)ctx;
	log_line(LOG_WARNING, "reload: [%s] %s changed; restart raksha-agent to apply it", section, key);
}

/* Logs each setting that differs and needs a restart. Returns how many. */
static int needs_restart(const struct agent_config *live, const struct agent_config *next)
{
	int n = agent_config_diff(live, next, log_change, NULL);
	/* trusted_keys is read again on SIGHUP, but checking signatures at all
	 * (or no longer) is set up when the client is made. */
	if ((live->trust == NULL) != (next->trust == NULL)) {
		log_change(NULL, "agent", "trusted_keys");
		n++;
	}
	return n;
}

/* A roster change (a unit's new key, a key taken away) applies at once, on
 * every reload: the trust store read again replaces the live one in the
 * client, which keeps the old one only as long as a message being checked
 * against it needs it. */
static void take_trust_store(struct agent_config *live, struct agent_config *next,
			     struct raksha_client *client)
{
	if (live->trust == NULL || next->trust == NULL || live->require_signatures != next->require_signatures)
		return;  /* needs_restart() said so */
	raksha_client_verify_signatures(client, next->trust, next->require_signatures);
	/* The escalator checks what it takes again against live->trust. */
	pthread_mutex_lock(&agent_config_mutex);
	raksha_trust_store_free(live->trust);
	live->trust = next->trust;
	next->trust = NULL;
	pthread_mutex_unlock(&agent_config_mutex);
	log_line(LOG_NOTICE, "reload: %zu trusted key(s) from %s", raksha_trust_store_count(live->trust),
		 next->trusted_keys_path);
}

int reload_apply(struct agent_config *live, struct raksha_client *client)
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
	int restart = needs_restart(live, &next);
	take_trust_store(live, &next, client);
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
