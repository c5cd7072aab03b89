/* raksha-replay's configuration file (args.h): the agent's and
 * raksha-publish's [broker] keys, and [replay]; each key is a flag of the
 * same name too (password_file, --password-file), and a flag wins. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "common/cli.h"
#include "common/ini_file.h"
#include "common/log.h"
#include "replay/args.h"

/* Sets *@dst to a copy of @value unless a flag set it. */
static int take(struct args *a, const char **dst, const char *value)
{
	return ini_strings_take(&a->owned, dst, value);
}

static int url_key(struct ini_file *f, struct args *a, const char *value)
{
	if (a->urls_from_flags)  /* --url replaces the file's list */
		return 1;
	if (a->n_urls == REPLAY_MAX_URLS) {
		ini_file_error(f, "more than %d 'url' lines", REPLAY_MAX_URLS);
		return 1;
	}
	const char *url = NULL;
	if (!take(a, &url, value))
		return 0;
	a->urls[a->n_urls++] = url;
	return 1;
}

static int timeout_key(struct ini_file *f, struct args *a, const char *value)
{
	char *end;
	long v = strtol(value, &end, 10);
	if (*end != '\0' || end == value || v < 1 || v > 3600)
		ini_file_error(f, "timeout: '%s' is not a number of seconds (1..3600)", value);
	else if (a->timeout_s == 0)
		a->timeout_s = (int)v;
	return 1;
}

static int key(struct ini_file *f, void *ctx, const char *section, const char *name, const char *value)
{
	static const struct {
		const char *section, *name;
		size_t at;  /* of the const char * it sets in struct args */
	} texts[] = {
		{"broker", "username", offsetof(struct args, username)},
		{"broker", "password_file", offsetof(struct args, password_file)},
		{"broker", "ca_file", offsetof(struct args, ca_file)},
		{"broker", "cert_file", offsetof(struct args, cert_file)},
		{"broker", "key_file", offsetof(struct args, key_file)},
		{"replay", "database", offsetof(struct args, db)},
		{"replay", "archive", offsetof(struct args, archive)},
	};
	struct args *a = ctx;
	if (strcmp(section, "broker") == 0 && strcmp(name, "url") == 0)
		return url_key(f, a, value);
	if (strcmp(section, "replay") == 0 && strcmp(name, "timeout") == 0)
		return timeout_key(f, a, value);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(section, texts[i].section) == 0 && strcmp(name, texts[i].name) == 0)
			return take(a, (const char **)(void *)((char *)a + texts[i].at), value);
	if (strcmp(section, "broker") != 0 && strcmp(section, "replay") != 0)
		ini_file_error(f, "unknown section [%s]", section);
	else
		ini_file_error(f, "unknown key '%s' in [%s]", name, section);
	return 1;
}

int replay_config_load(struct args *a)
{
	char path[4096];
	int r = a->check_config ? cli_config_require(a->config, path, sizeof(path))
				: cli_config_path(a->config, path, sizeof(path));
	if (r == -ENOENT)
		return 0;  /* no file: the flags say it all */
	if (r == -ENAMETOOLONG)
		return cli_usage_error("--config: the path is too long");
	if (r != 0)
		return r;
	int errors = ini_file_read(path, key, a);
	if (errors < 0) {
		log_line(LOG_ERR, "raksha-replay: %s: %s", path, strerror(errno));
		return errno == ENOMEM ? EX_OSERR : EX_NOINPUT;
	}
	return errors > 0 ? EX_CONFIG : 0;
}

void args_free(struct args *a)
{
	ini_strings_free(&a->owned);
	history_filter_free(&a->filter);
}
