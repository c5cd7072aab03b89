/* raksha-agent's configuration file (raksha.conf(5)), read through one
 * table of its keys (config_keys.c): each key's section, name, type, the
 * field it fills, and whether SIGHUP may change it. That table drives the
 * parser, agent_config_free() and the reload's list of what waits for a
 * restart, so a new key is a field here and a line there. */
#ifndef RAKSHA_AGENT_CONFIG_H
#define RAKSHA_AGENT_CONFIG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/sign.h>

#include "agent/rules.h"
#include "agent/store.h"

#define AGENT_MAX_URLS 8
#define AGENT_MAX_FILTERS 32
#define AGENT_MAX_RULES 32
#define HOOK_TIMEOUT_DEFAULT_MS 30000
#define PRUNE_REJECTED_DEFAULT_MS (30LL * 24 * 3600 * 1000)
#define BACKUP_INTERVAL_DEFAULT_MS (24LL * 3600 * 1000)
#define BACKUP_KEEP_DEFAULT 7
#define METRICS_INTERVAL_DEFAULT_MS 15000

struct agent_config {
	const char *path;                 /* the file it came from */
	char *id, *state, *region, *agency, *unit, *database;
	char *outbox;                     /* the local publishers' outbox, also the agent's own */
	enum durability durability;
	bool archive;                     /* role = archive: answers remote replay */
	int64_t prune_closed_after_ms;    /* 0: keep everything */
	int64_t prune_rejected_after_ms;  /* rejected input and its counts; 0 keeps them */
	int64_t rejected_per_sender;      /* bytes; REJECTED_SENDER_DEFAULT */
	int64_t rejected_total;           /* bytes; REJECTED_TOTAL_DEFAULT */
	char *backup_dir;                 /* copies of the database on a schedule (backup.h); or NULL */
	int64_t backup_interval_ms;       /* BACKUP_INTERVAL_DEFAULT_MS */
	int backup_keep;                  /* copies kept; BACKUP_KEEP_DEFAULT */
	char *metrics_textfile;           /* node-exporter's textfile (metrics_file.c), or NULL */
	int64_t metrics_interval_ms;      /* how often it is written */
	char *urls[AGENT_MAX_URLS];
	size_t n_urls;
	char *username, *password_file, *ca_file, *cert_file, *key_file;
	int keepalive_s;
	int mqtt_version;               /* [broker] mqtt_version: 3 or 5; 0 (unset): 3 */
	/* Replaced by SIGHUP while paho's threads read them for a presence
	 * message: under agent_config_mutex. */
	char *filters[AGENT_MAX_FILTERS];
	size_t n_filters;
	struct escalate_rule rules[AGENT_MAX_RULES];
	size_t n_rules;
	/* [hooks] commands, or NULL */
	char *on_report, *on_sighting, *on_update, *on_ack, *on_escalation;
	int64_t hook_timeout_ms;
	/* Signatures (docs/security.md): the files, and what was read from them. */
	char *signing_key_path, *trusted_keys_path;
	bool require_signatures;
	struct raksha_signing_key *signing_key;  /* signs what the agent publishes; or NULL */
	struct raksha_trust_store *trust;        /* checks what it receives (the client holds
						  * its own reference), replaced by SIGHUP:
						  * read under agent_config_mutex; or NULL */
};

/* Guards the live configuration's filter list (reload.c replaces it). */
extern pthread_mutex_t agent_config_mutex;

/* Reads and checks @path. Logs every problem as "FILE:LINE: ..." (or
 * "FILE: ..." for what is missing) at LOG_ERR. Returns 0, or the number of
 * problems, or -1 if the file cannot be read (errno set). */
int agent_config_load(const char *path, struct agent_config *c);

/* Frees what agent_config_load() filled in (also after it failed). */
void agent_config_free(struct agent_config *c);

/* Called for each setting that differs: @section and @key name it as the
 * file does ("agent", "id"); the escalation rules are one setting,
 * "escalate.*", "rules". */
typedef void (*agent_config_change_fn)(void *ctx, const char *section, const char *key);

/* Calls @fn for each setting of @a and @b that differs and that only a
 * restart applies (SIGHUP applies filters and trusted_keys' contents).
 * Returns how many. */
int agent_config_diff(const struct agent_config *a, const struct agent_config *b,
		      agent_config_change_fn fn, void *ctx);

#endif
