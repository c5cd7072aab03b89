/* raksha-clientid: a mosquitto 2.0 plugin that binds every client id to its
 * username, so that no unit can take another's session. A client id must be
 * the username itself (the unit's one persistent session: an agent's) or the
 * username, ':' and anything (its other programs' clean sessions). Roster
 * ids are [a-z0-9-] and mosquitto's password file cannot hold a ':' in a
 * username, so no other unit's id starts with "ID:" (docs/security.md).
 *
 * It decides before the password file is read (plugins' callbacks come
 * first) and before the broker looks at the session: a refused CONNECT gets
 * "not authorised" and the connection or session of the id's owner is not
 * touched. An accepted id goes on to the password file. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

static mosquitto_plugin_id_t *clientid_plugin;

/* @id is @user's: @user, or "@user:" and at least one more character. */
static bool clientid_owned(const char *user, const char *id)
{
	size_t n = strlen(user);
	if (strncmp(id, user, n) != 0)
		return false;
	return id[n] == '\0' || (id[n] == ':' && id[n + 1] != '\0');
}

/* @text for the log, every byte but printable ASCII as \xNN. Not
 * common/text.h: this module is loaded into mosquitto, so it links none of
 * our libraries (which the sanitizer build instruments). */
static void clientid_printable(const char *text, char *out, size_t size)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0' && o + 5 < size; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", *p);
	}
	out[o] = '\0';
}

static int clientid_on_basic_auth(int event, void *event_data, void *userdata)
{
	struct mosquitto_evt_basic_auth *ed = event_data;
	(void)event;
	(void)userdata;
	const char *id = mosquitto_client_id(ed->client);
	/* Anonymous clients are the listener's allow_anonymous's to refuse. */
	if (ed->username == NULL)
		return MOSQ_ERR_PLUGIN_DEFER;
	if (id != NULL && clientid_owned(ed->username, id))
		return MOSQ_ERR_PLUGIN_DEFER;
	char user_text[200], id_text[200];
	clientid_printable(ed->username, user_text, sizeof(user_text));
	clientid_printable(id ? id : "", id_text, sizeof(id_text));
	mosquitto_log_printf(MOSQ_LOG_NOTICE,
			     "raksha-clientid: refused client id '%s' for user '%s': it must be '%s' or begin "
			     "with '%s:'", id_text, user_text, user_text, user_text);
	return MOSQ_ERR_AUTH;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
	for (int i = 0; i < supported_version_count; i++)
		if (supported_versions[i] == 5)
			return 5;
	return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata, struct mosquitto_opt *options,
			  int option_count)
{
	(void)userdata;
	(void)options;
	(void)option_count;
	clientid_plugin = identifier;
	return mosquitto_callback_register(clientid_plugin, MOSQ_EVT_BASIC_AUTH, clientid_on_basic_auth, NULL,
					   NULL);
}

int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *options, int option_count)
{
	(void)userdata;
	(void)options;
	(void)option_count;
	return mosquitto_callback_unregister(clientid_plugin, MOSQ_EVT_BASIC_AUTH, clientid_on_basic_auth, NULL);
}
