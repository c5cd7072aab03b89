#define _DEFAULT_SOURCE /* explicit_bzero */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "common/log.h"
#include "common/password_file.h"
#include "replay/replay.h"

int replay_client_new(const struct args *a, const char *role, struct raksha_client **out)
{
	char id[RAKSHA_AGENT_ID_MAX + 64], *password = NULL;
	/* A production broker takes a user's clean sessions only as
	 * "USERNAME:..." (docs/security.md). */
	if (a->username != NULL)
		snprintf(id, sizeof(id), "%.*s:replay-%s-%ld", RAKSHA_AGENT_ID_MAX, a->username, role,
			 (long)getpid());
	else
		snprintf(id, sizeof(id), "raksha-replay-%s-%ld", role, (long)getpid());
	if (a->password_file != NULL && (password = password_file_read(a->password_file)) == NULL) {
		log_line(LOG_ERR, "raksha-replay: --password-file %s: cannot read it", a->password_file);
		return EX_NOINPUT;
	}
	struct raksha_client_options o = {
		.urls = a->urls, .n_urls = (size_t)a->n_urls, .client_id = id,
		.username = a->username, .password = password, .ca_file = a->ca_file,
		.cert_file = a->cert_file, .key_file = a->key_file,
	};
	int r = raksha_client_new(&o, out);
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	if (r < 0) {
		log_line(LOG_ERR, "raksha-replay: cannot make the MQTT client (--url %s)", a->urls[0]);
		return EX_USAGE;
	}
	return 0;
}

int replay_client_connect(const struct args *a, struct raksha_client *c)
{
	if (raksha_client_connect(c) < 0 || raksha_client_wait_connected(c, a->timeout_s * 1000) < 0) {
		log_line(LOG_ERR, "raksha-replay: cannot reach the broker at %s within %d s", a->urls[0],
			 a->timeout_s);
		return EX_UNAVAILABLE;
	}
	return 0;
}
