#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "common/ini_file.h"
#include "publisher/config.h"

/* Sets *@dst from the file unless a flag already did. */
static int take(struct pub *p, const char **dst, const char *value)
{
	return ini_strings_take(&p->owned, dst, value);
}

/* "5".."3600" seconds into *@dst unless a flag set it; else reports the line. */
static int seconds(struct ini_file *f, const char *name, const char *value, int min, int *dst)
{
	char *end;
	long v = strtol(value, &end, 10);
	if (*end || end == value || v < min || v > 3600)
		ini_file_error(f, "%s: '%s' is not a number of seconds (%d..3600)", name, value, min);
	else if (*dst == 0)
		*dst = (int)v;
	return 1;
}

int mqtt_version_parse(const char *value)
{
	if (strcmp(value, "3") == 0)
		return 3;
	return strcmp(value, "5") == 0 ? 5 : 0;
}

static int origin_key(struct ini_file *f, struct pub *p, const char *name, const char *value)
{
	static const char *const keys[] = {"state", "region", "agency", "unit", "sender_id",
					   "officer_name", "officer_badge", "officer_phone"};
	const char **dst[] = {&p->state, &p->region, &p->agency, &p->unit, &p->sender_id,
			      &p->officer_name, &p->officer_badge, &p->officer_phone};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i]) == 0)
			return take(p, dst[i], value);
	ini_file_error(f, "unknown key '%s' in [origin]", name);
	return 1;
}

static int broker_key(struct ini_file *f, struct pub *p, const char *name, const char *value)
{
	if (strcmp(name, "url") == 0) {
		if (p->urls_from_flags)  /* --url replaces the file's list */
			return 1;
		if (p->n_urls == MAX_URLS) {
			ini_file_error(f, "more than %d 'url' lines", MAX_URLS);
			return 1;
		}
		const char *u = NULL;
		if (!take(p, &u, value))
			return 0;
		p->urls[p->n_urls++] = u;
		return 1;
	}
	if (strcmp(name, "keepalive") == 0)
		return seconds(f, name, value, 5, &p->keepalive_s);
	if (strcmp(name, "mqtt_version") == 0) {
		int v = mqtt_version_parse(value);
		if (v == 0)
			ini_file_error(f, "mqtt_version: '%s' is not 3 (MQTT 3.1.1) or 5 (MQTT 5)", value);
		else if (p->mqtt_version == 0)
			p->mqtt_version = v;
		return 1;
	}
	static const char *const keys[] = {"username", "password_file", "ca_file", "cert_file", "key_file"};
	const char **dst[] = {&p->username, &p->password_file, &p->ca_file, &p->cert_file, &p->key_file};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(name, keys[i]) == 0)
			return take(p, dst[i], value);
	ini_file_error(f, "unknown key '%s' in [broker]", name);
	return 1;
}

static int publisher_key(struct ini_file *f, struct pub *p, const char *name, const char *value)
{
	if (strcmp(name, "outbox") == 0) {
		if (p->outbox_dir[0] == '\0')
			snprintf(p->outbox_dir, sizeof(p->outbox_dir), "%s", value);
		return 1;
	}
	if (strcmp(name, "timeout") == 0)
		return seconds(f, name, value, 1, &p->timeout_s);
	if (strcmp(name, "signing_key") == 0)
		return take(p, &p->signing_key_path, value);
	ini_file_error(f, "unknown key '%s' in [publisher]", name);
	return 1;
}

static int key(struct ini_file *f, void *ctx, const char *section, const char *name,
	       const char *value)
{
	if (strcmp(section, "origin") == 0)
		return origin_key(f, ctx, name, value);
	if (strcmp(section, "broker") == 0)
		return broker_key(f, ctx, name, value);
	if (strcmp(section, "publisher") == 0)
		return publisher_key(f, ctx, name, value);
	ini_file_error(f, "unknown section [%s]", section);
	return 1;
}

int config_load(struct pub *p, const char *path)
{
	int errors = ini_file_read(path, key, p);
	if (errors < 0)
		return fail(errno == ENOMEM ? EX_OSERR : EX_NOINPUT, "%s: %s", path, strerror(errno));
	return errors ? EX_CONFIG : 0;
}
