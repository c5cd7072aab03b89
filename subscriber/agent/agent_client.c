#define _DEFAULT_SOURCE /* explicit_bzero */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_client.h"
#include "common/password_file.h"

int agent_client_new(const struct agent_config *c, const char *client_id,
		     const struct presence *will, struct raksha_client **out, char *err,
		     size_t errlen)
{
	char *password = NULL;
	if (c->password_file && (password = password_file_read(c->password_file)) == NULL) {
		snprintf(err, errlen, "password_file %s: %s", c->password_file, strerror(errno));
		return -ENOKEY;
	}
	struct raksha_client_options o = {
		.urls = (const char *const *)c->urls, .n_urls = c->n_urls, .client_id = client_id,
		.persistent_session = will != NULL, .username = c->username, .password = password,
		.ca_file = c->ca_file, .cert_file = c->cert_file, .key_file = c->key_file,
		.keepalive_s = c->keepalive_s, .mqtt_version = c->mqtt_version,
	};
	if (will != NULL) {
		o.will_topic = will->topic;
		o.will_payload = will->bytes;
		o.will_len = will->len;
		o.will_retained = true;
	}
	int r = raksha_client_new(&o, out);
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	if (r < 0)
		snprintf(err, errlen, "cannot make the MQTT client: %s", strerror(-r));
	return r;
}
