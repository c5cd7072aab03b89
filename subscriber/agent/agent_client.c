#define _DEFAULT_SOURCE /* explicit_bzero */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_client.h"
#include "common/password_file.h"

int agent_client_new(const struct agent_config *c, const char *client_id,
		     struct presence_will *will, struct raksha_client **out, char *err,
		     size_t errlen)
{
	struct presence first = {0};  /* the first connection's Will */
	if (will != NULL && (presence_topic(c, first.topic, sizeof(first.topic)) < 0 ||
			     presence_will_make(will, (void **)&first.bytes, &first.len) < 0)) {
		snprintf(err, errlen, "cannot make the agent's Will");
		return -EINVAL;
	}
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
		o.will_topic = first.topic;
		o.will_payload = first.bytes;
		o.will_len = first.len;
		o.will_retained = true;
		o.will_fn = presence_will_make;
		o.will_ctx = will;
	}
	int r = raksha_client_new(&o, out);
	presence_free(&first);
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	if (r < 0)
		snprintf(err, errlen, "cannot make the MQTT client: %s", strerror(-r));
	return r;
}
