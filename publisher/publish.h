/* raksha-publish: what the commands share. */
#ifndef RAKSHA_PUBLISH_H
#define RAKSHA_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include <raksha/raksha.h>

#include "common/ini_file.h"

#define MAX_URLS 8

/* The global options and the config file, merged (flags win). */
struct pub {
	const char *urls[MAX_URLS];
	size_t n_urls;
	bool urls_from_flags;     /* --url given: the config's urls do not add to them */
	struct ini_strings owned; /* strings from the config file, freed at exit */
	const char *config;
	const char *state, *region, *agency, *unit, *sender_id;
	const char *officer_name, *officer_badge, *officer_phone;
	const char *username, *password_file, *ca_file, *cert_file, *key_file;
	int keepalive_s;
	int mqtt_version;         /* --mqtt-version, [broker] mqtt_version: 3 or 5; 0: 3 */
	char outbox_dir[4096];
	int timeout_s;
	bool dry_run;
	bool check;               /* -n: check the configuration, nothing else */
	const char *signing_key_path;             /* --signing-key, [publisher] signing_key */
	struct raksha_signing_key *signing_key;   /* loaded by the commands that sign */
};

/* Logs "raksha-publish: " and the message (common/log.h); returns @code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
