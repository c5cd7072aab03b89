#define _GNU_SOURCE /* asprintf */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ini_file.h"
#include "common/log.h"
#include "desk/desk_config.h"
#include "desk/desk_metrics.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"

/* "HOST:PORT", "[V6]:PORT": numeric addresses only, so that whether it is
 * loopback is what the file says, not what a resolver answers. */
static int parse_listen(struct desk_config *c, const char *value)
{
	char host[256];
	const char *colon = strrchr(value, ':');
	if (colon == NULL || colon == value || (size_t)(colon - value) >= sizeof(host))
		return -EINVAL;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
		return -EINVAL;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - value), value);
	struct sockaddr_in *v4 = (struct sockaddr_in *)&c->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&c->addr;
	size_t n = strlen(host);
	memset(&c->addr, 0, sizeof(c->addr));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		c->addr_len = sizeof(*v4);
		c->loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
		return 0;
	}
	if (n < 3 || host[0] != '[' || host[n - 1] != ']')
		return -EINVAL;
	host[n - 1] = '\0';
	if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1)
		return -EINVAL;
	v6->sin6_family = AF_INET6;
	v6->sin6_port = htons((uint16_t)port);
	c->addr_len = sizeof(*v6);
	c->loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
	return 0;
}

static int set_text(struct ini_file *f, char **dst, const char *name, const char *value)
{
	if (*dst != NULL)
		ini_file_error(f, "%s is given twice", name);
	free(*dst);
	*dst = strdup(value);
	return *dst != NULL;
}

/* A poster's phone for a unit (desk_poster_phone.h). */
static int unit_phone(struct ini_file *f, struct desk_config *c, const char *value)
{
	char why[300] = "";
	int r = desk_poster_phone_key(c, value, why, sizeof(why));
	if (r == -EINVAL)
		ini_file_error(f, "unit_phone: %s", why);
	if (r == -EEXIST)
		ini_file_error(f, "unit_phone: '%s': that unit's phone is given twice", value);
	if (r == -E2BIG)
		ini_file_error(f, "unit_phone: more than %d units", DESK_UNIT_PHONES_MAX);
	return r != -ENOMEM;
}

static int key(struct ini_file *f, void *ctx, const char *section, const char *name, const char *value)
{
	struct desk_config *c = ctx;
	if (strcmp(section, "desk") != 0)
		return 1;  /* the agent's reader judged those */
	if (strcmp(name, "listen") == 0) {
		snprintf(c->listen, sizeof(c->listen), "%s", value);
		if (parse_listen(c, value) < 0)
			ini_file_error(f, "listen: '%s' is not HOST:PORT with a numeric address "
				       "(127.0.0.1:8080, [::1]:8080)", value);
		return 1;
	}
	if (strcmp(name, "insecure_http") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			ini_file_error(f, "insecure_http: '%s' is not 'yes' or 'no'", value);
		c->insecure_http = strcmp(value, "yes") == 0;
		return 1;
	}
	if (strcmp(name, "tls_cert") == 0)
		return set_text(f, &c->tls_cert, name, value);
	if (strcmp(name, "tls_key") == 0)
		return set_text(f, &c->tls_key, name, value);
	if (strcmp(name, "users") == 0)
		return set_text(f, &c->users, name, value);
	if (strcmp(name, "sessions") == 0)
		return set_text(f, &c->sessions, name, value);
	if (strcmp(name, "unit_phone") == 0)
		return unit_phone(f, c, value);
	if (strcmp(name, "metrics_token") == 0)
		return set_text(f, &c->metrics_token, name, value);
	ini_file_error(f, "unknown key '%s' in [desk]", name);
	return 1;
}

/* What the [desk] section as a whole must hold. */
static int check(const struct desk_config *c, const char *path)
{
	int errors = 0;
	if (c->users == NULL) {
		log_file_error(path, 0, "[desk] users is missing (the accounts file)");
		errors++;
	}
	if ((c->tls_cert == NULL) != (c->tls_key == NULL)) {
		log_file_error(path, 0, "[desk] tls_cert and tls_key go together");
		errors++;
	}
	if (c->tls_cert == NULL && !c->loopback && !c->insecure_http) {
		log_file_error(path, 0, "[desk] listen = %s is not a loopback address: it needs "
			       "tls_cert and tls_key (or insecure_http = yes, for a lab)", c->listen);
		errors++;
	}
	return errors;
}

int desk_config_load(const char *path, struct desk_config *c)
{
	memset(c, 0, sizeof(*c));
	int errors = agent_config_load(path, &c->agent);
	if (errors < 0)
		return -1;
	snprintf(c->listen, sizeof(c->listen), "%s", DEFAULT_LISTEN);
	parse_listen(c, DEFAULT_LISTEN);
	int mine = ini_file_read(path, key, c);
	if (mine < 0)
		return -1;
	if (c->sessions == NULL && c->users != NULL && asprintf(&c->sessions, "%s.sessions", c->users) < 0)
		c->sessions = NULL;
	return errors + mine + check(c, path) + desk_metrics_config(c, path);
}

void desk_config_free(struct desk_config *c)
{
	agent_config_free(&c->agent);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->users);
	free(c->sessions);
	free(c->metrics_token);
	for (size_t i = 0; i < c->n_unit_phones; i++)
		free(c->unit_phones[i]);
}
