/* raksha-agent: what its parts share. */
#ifndef RAKSHA_AGENT_H
#define RAKSHA_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <raksha/sign.h>

#include "agent/rules.h"
#include "agent/store.h"

#define AGENT_MAX_URLS 8
#define AGENT_MAX_FILTERS 32
#define AGENT_MAX_RULES 32
#define HOOK_TIMEOUT_DEFAULT_MS 30000
#define AGENT_MAX_RELOADED_TRUST 64

struct agent_config {
	const char *path;                 /* the file it came from */
	char *id, *state, *region, *agency, *unit, *database;
	char *outbox;                     /* the local publishers' outbox, also the agent's own */
	enum durability durability;
	bool archive;                     /* role = archive: answers remote replay */
	int64_t prune_closed_after_ms;    /* 0: keep everything */
	char *urls[AGENT_MAX_URLS];
	size_t n_urls;
	char *username, *password_file, *ca_file, *cert_file, *key_file;
	int keepalive_s;
	char *filters[AGENT_MAX_FILTERS];
	size_t n_filters;
	struct escalate_rule rules[AGENT_MAX_RULES];
	size_t n_rules;
	char *on_report, *on_sighting, *on_update;  /* [hooks] commands, or NULL */
	int64_t hook_timeout_ms;
	/* Signatures (docs/security.md): the files, and what was read from them. */
	char *signing_key_path, *trusted_keys_path;
	bool require_signatures;
	struct raksha_signing_key *signing_key;  /* signs what the agent publishes; or NULL */
	struct raksha_trust_store *trust;        /* checks what it receives; or NULL */
	/* Replaced by SIGHUP while the receive thread may still read them: freed
	 * with the configuration. */
	struct raksha_trust_store *retired_trust[AGENT_MAX_RELOADED_TRUST];
	size_t n_retired_trust;
};

/* Guards the live configuration's filter list, which SIGHUP replaces while
 * paho's threads may be reading it for a presence message. */
extern pthread_mutex_t agent_config_mutex;

/* Reads and checks @path. Prints every problem as "FILE:LINE: ..." (or
 * "FILE: ..." for what is missing) on stderr. Returns 0, or the number of
 * problems, or -1 if the file cannot be read (errno set). */
int agent_config_load(const char *path, struct agent_config *c);
void agent_config_free(struct agent_config *c);

/* Signs the encoded envelope in *@buf with the agent's key, if it has one
 * (raksha_envelope_sign()). Returns 0, or its errors. */
int agent_sign(const struct agent_config *c, uint8_t **buf, size_t *len);

/* Runs the service until SIGTERM or SIGINT; SIGHUP reloads @c (reload.h).
 * Returns a sysexits code. */
int agent_run(struct agent_config *c, bool foreground);

#endif
