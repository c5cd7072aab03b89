/* raksha-desk's configuration: the agent's own file (raksha.conf(5)), its
 * [agent] and [broker] sections read by the agent's reader (the database,
 * the unit, the outbox), and the [desk] section read here. */
#ifndef RAKSHA_DESK_CONFIG_H
#define RAKSHA_DESK_CONFIG_H

#include <stdbool.h>
#include <sys/socket.h>

#include "agent/config.h"
#include "desk/desk_poster_phone.h"

struct desk_config {
	struct agent_config agent;
	char listen[300];                 /* as written: "127.0.0.1:8080" */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	bool loopback;                    /* the address is 127.0.0.0/8 or ::1 */
	char *tls_cert, *tls_key, *users;
	char *sessions;                   /* default: users with ".sessions" */
	bool insecure_http;
	char *unit_phones[DESK_UNIT_PHONES_MAX];  /* unit_phone keys, as written (desk_poster_phone.h) */
	size_t n_unit_phones;
	char *metrics_token;              /* the bearer token's file (desk_metrics.h), or NULL */
	bool metrics;                     /* /metrics is on: metrics_hash is the token's */
	unsigned char metrics_hash[32];   /* crypto_generichash() of the token */
};

/* Reads @path: the agent's sections, then [desk]. Every problem is logged
 * as "FILE:LINE: ..." ("FILE: ..." for what is missing). Returns 0, the
 * number of problems, or -1 if the file cannot be read (errno set). */
int desk_config_load(const char *path, struct desk_config *c);

void desk_config_free(struct desk_config *c);

#endif
