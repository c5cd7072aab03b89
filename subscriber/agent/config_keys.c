/* The configuration's keys, one table: parse, free and the reload's diff
 * all walk it (config.h). */
#include <stdlib.h>
#include <string.h>

#include <raksha/topic.h>

#include "agent/config_keys.h"
#include "common/duration.h"

enum key_type {
	KEY_TEXT,        /* char *, as written */
	KEY_AGENT_ID,    /* char *, [a-z0-9-]{1,64} */
	KEY_SEGMENT,     /* char *, a topic level */
	KEY_URLS,        /* char *[], mqtt:// or mqtts:// */
	KEY_FILTERS,     /* char *[], MQTT topic filters */
	KEY_DURATION,    /* int64_t milliseconds, from "90s", "10m", "2h", "7d" */
	KEY_YES_NO,      /* bool */
	KEY_ROLE,        /* bool archive: "district" or "archive" */
	KEY_DURABILITY,  /* enum durability: "power" or "crash" */
	KEY_KEEPALIVE,   /* int seconds, 5..3600 */
	KEY_MQTT,        /* int MQTT version: "3" (3.1.1) or "5" */
	KEY_SIZE,        /* int64_t bytes, from "65536", "512K", "4M", "1G" */
	KEY_COUNT,       /* int, 1..1000 */
};

struct config_key {
	const char *section, *name;
	enum key_type type;
	size_t field;        /* offsetof() it in struct agent_config */
	size_t count;        /* lists: offsetof() their length */
	size_t max;          /* lists: how many lines at most */
	const char *hint;    /* durations: an example for the message */
	bool live;           /* SIGHUP applies a change; others wait for a restart */
};

#define AT(f) offsetof(struct agent_config, f)

static const struct config_key keys[] = {
	{"agent", "id", KEY_AGENT_ID, AT(id), 0, 0, NULL, false},
	{"agent", "state", KEY_SEGMENT, AT(state), 0, 0, NULL, false},
	{"agent", "region", KEY_SEGMENT, AT(region), 0, 0, NULL, false},
	{"agent", "agency", KEY_SEGMENT, AT(agency), 0, 0, NULL, false},
	{"agent", "unit", KEY_TEXT, AT(unit), 0, 0, NULL, false},
	{"agent", "database", KEY_TEXT, AT(database), 0, 0, NULL, false},
	{"agent", "outbox", KEY_TEXT, AT(outbox), 0, 0, NULL, false},
	{"agent", "role", KEY_ROLE, AT(archive), 0, 0, NULL, false},
	{"agent", "prune_closed_after", KEY_DURATION, AT(prune_closed_after_ms), 0, 0, "90d", false},
	{"agent", "prune_rejected_after", KEY_DURATION, AT(prune_rejected_after_ms), 0, 0, "30d", false},
	{"agent", "rejected_per_sender", KEY_SIZE, AT(rejected_per_sender), 0, 0, NULL, false},
	{"agent", "rejected_total", KEY_SIZE, AT(rejected_total), 0, 0, NULL, false},
	{"agent", "signing_key", KEY_TEXT, AT(signing_key_path), 0, 0, NULL, false},
	/* Read again on SIGHUP: a unit's new key applies at once (reload.c). */
	{"agent", "trusted_keys", KEY_TEXT, AT(trusted_keys_path), 0, 0, NULL, true},
	{"agent", "require_signatures", KEY_YES_NO, AT(require_signatures), 0, 0, NULL, false},
	{"agent", "durability", KEY_DURABILITY, AT(durability), 0, 0, NULL, false},
	{"agent", "backup_dir", KEY_TEXT, AT(backup_dir), 0, 0, NULL, false},
	{"agent", "backup_interval", KEY_DURATION, AT(backup_interval_ms), 0, 0, "1h or 1d", false},
	{"agent", "backup_keep", KEY_COUNT, AT(backup_keep), 0, 0, NULL, false},
	{"agent", "metrics_textfile", KEY_TEXT, AT(metrics_textfile), 0, 0, NULL, false},
	{"agent", "metrics_interval", KEY_DURATION, AT(metrics_interval_ms), 0, 0, "15s", false},
	{"broker", "url", KEY_URLS, AT(urls), AT(n_urls), AGENT_MAX_URLS, NULL, false},
	{"broker", "keepalive", KEY_KEEPALIVE, AT(keepalive_s), 0, 0, NULL, false},
	{"broker", "mqtt_version", KEY_MQTT, AT(mqtt_version), 0, 0, NULL, false},
	{"broker", "username", KEY_TEXT, AT(username), 0, 0, NULL, false},
	{"broker", "password_file", KEY_TEXT, AT(password_file), 0, 0, NULL, false},
	{"broker", "ca_file", KEY_TEXT, AT(ca_file), 0, 0, NULL, false},
	{"broker", "cert_file", KEY_TEXT, AT(cert_file), 0, 0, NULL, false},
	{"broker", "key_file", KEY_TEXT, AT(key_file), 0, 0, NULL, false},
	{"subscribe", "filter", KEY_FILTERS, AT(filters), AT(n_filters), AGENT_MAX_FILTERS, NULL, true},
	{"hooks", "timeout", KEY_DURATION, AT(hook_timeout_ms), 0, 0, "30s or 2m", false},
	{"hooks", "on_report", KEY_TEXT, AT(on_report), 0, 0, NULL, false},
	{"hooks", "on_sighting", KEY_TEXT, AT(on_sighting), 0, 0, NULL, false},
	{"hooks", "on_update", KEY_TEXT, AT(on_update), 0, 0, NULL, false},
	{"hooks", "on_ack", KEY_TEXT, AT(on_ack), 0, 0, NULL, false},
	{"hooks", "on_escalation", KEY_TEXT, AT(on_escalation), 0, 0, NULL, false},
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* The field of @k in @c, as the type the key has. */
static void *field(const struct agent_config *c, const struct config_key *k)
{
	return (char *)c + k->field;
}

static size_t *count(const struct agent_config *c, const struct config_key *k)
{
	return (size_t *)((char *)c + k->count);
}

static int set_text(char **dst, const char *value)
{
	free(*dst);
	*dst = strdup(value);
	return *dst != NULL;
}

static int add_line(struct ini_file *f, const struct agent_config *c, const struct config_key *k,
		    const char *value)
{
	char **list = field(c, k);
	size_t *n = count(c, k);
	if (*n == k->max) {
		ini_file_error(f, "more than %zu '%s' lines", k->max, k->name);
		return 1;
	}
	list[*n] = strdup(value);
	if (list[*n] == NULL)
		return 0;
	(*n)++;
	return 1;
}

/* One of @words (NULL-terminated) is @value: its index, or -1. */
static int word(const char *value, const char *const *words)
{
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(value, words[i]) == 0)
			return i;
	return -1;
}

/* A key whose values are words: yes/no, the role, the durability. */
static int set_choice(struct ini_file *f, const struct config_key *k, void *dst, const char *value)
{
	static const char *const yes_no[] = {"no", "yes", NULL};
	static const char *const roles[] = {"district", "archive", NULL};
	static const char *const durabilities[] = {"power", "crash", NULL};
	static const char *const versions[] = {"3", "5", NULL};
	if (k->type == KEY_MQTT) {
		if (word(value, versions) < 0)
			ini_file_error(f, "%s: '%s' is not 3 (MQTT 3.1.1) or 5 (MQTT 5)", k->name, value);
		*(int *)dst = word(value, versions) == 1 ? 5 : 3;
	} else if (k->type == KEY_YES_NO) {
		if (word(value, yes_no) < 0)
			ini_file_error(f, "%s: '%s' is not 'yes' or 'no'", k->name, value);
		*(bool *)dst = word(value, yes_no) == 1;
	} else if (k->type == KEY_ROLE) {
		if (word(value, roles) < 0)
			ini_file_error(f, "%s: '%s' is not 'district' or 'archive'", k->name, value);
		*(bool *)dst = word(value, roles) == 1;
	} else if (word(value, durabilities) < 0) {
		ini_file_error(f, "%s: '%s' is not 'power' or 'crash'", k->name, value);
	} else {
		*(enum durability *)dst = word(value, durabilities) == 0 ? DURABILITY_POWER : DURABILITY_CRASH;
	}
	return 1;
}

/* The power of 1024 a size's suffix stands for: none, K, M, G; or -1. */
static int size_shift(const char *suffix)
{
	static const char *const suffixes[] = {"", "K", "M", "G", NULL};
	int i = word(suffix, suffixes);
	return i < 0 ? -1 : i * 10;
}

/* A size: bytes, or K, M, G (1024s); 4 KiB to 1 TiB, so that a row fits. */
static void set_size(struct ini_file *f, const struct config_key *k, int64_t *dst, const char *value)
{
	char *end;
	long long v = strtoll(value, &end, 10);
	int shift = size_shift(end);
	bool fits = end != value && v > 0 && shift >= 0 && v <= (1LL << 40) >> shift;
	if (!fits || (v << shift) < 4096)
		ini_file_error(f, "%s: '%s' is not a size of 4K to 1024G, such as 65536, 512K or 4M", k->name, value);
	else
		*dst = v << shift;
}

static int set_number(struct ini_file *f, const struct config_key *k, void *dst, const char *value)
{
	if (k->type == KEY_SIZE) {
		set_size(f, k, dst, value);
		return 1;
	}
	if (k->type == KEY_DURATION) {
		int64_t ms = duration_parse(value);
		if (ms < 0)
			ini_file_error(f, "%s: '%s' is not a duration such as %s", k->name, value, k->hint);
		else
			*(int64_t *)dst = ms;
		return 1;
	}
	char *end;
	long v = strtol(value, &end, 10);
	if (k->type == KEY_COUNT) {
		if (*end != '\0' || end == value || v < 1 || v > 1000)
			ini_file_error(f, "%s: '%s' is not a number of 1 to 1000", k->name, value);
		else
			*(int *)dst = (int)v;
		return 1;
	}
	if (*end != '\0' || end == value || v < 5 || v > 3600)
		ini_file_error(f, "%s: '%s' is not a number of seconds (5..3600)", k->name, value);
	else
		*(int *)dst = (int)v;
	return 1;
}

/* Checks @value as @k's type asks (a bad one is named, and kept where a
 * string is: the file is refused anyway) and stores it. */
static int set(struct ini_file *f, struct agent_config *c, const struct config_key *k,
	       const char *value)
{
	void *dst = field(c, k);
	switch (k->type) {
	case KEY_AGENT_ID:
		if (!raksha_agent_id_valid(value))
			ini_file_error(f, "%s: '%s' must match [a-z0-9-]{1,64}", k->name, value);
		return set_text(dst, value);
	case KEY_SEGMENT:
		if (!raksha_segment_valid(value))
			ini_file_error(f, "%s: '%s' must match [a-z0-9-]{1,32}", k->name, value);
		return set_text(dst, value);
	case KEY_TEXT:
		return set_text(dst, value);
	case KEY_URLS:
		if (strncmp(value, "mqtt://", 7) != 0 && strncmp(value, "mqtts://", 8) != 0)
			ini_file_error(f, "%s: '%s' is not mqtt://HOST:PORT or mqtts://HOST:PORT", k->name,
				       value);
		return add_line(f, c, k, value);
	case KEY_FILTERS:
		if (raksha_filter_validate(value) < 0)
			ini_file_error(f, "%s: '%s' is not an MQTT topic filter", k->name, value);
		return add_line(f, c, k, value);
	case KEY_DURATION:
	case KEY_KEEPALIVE:
	case KEY_SIZE:
	case KEY_COUNT:
		return set_number(f, k, dst, value);
	case KEY_YES_NO:
	case KEY_ROLE:
	case KEY_DURABILITY:
	case KEY_MQTT:
		return set_choice(f, k, dst, value);
	}
	return 1;
}

int agent_config_key(struct ini_file *f, struct agent_config *c, const char *section,
		     const char *name, const char *value)
{
	bool known_section = false;
	/* raksha-desk's section, beside the agent's in the same file: the
	 * desk reads and checks it (raksha-desk -n). */
	if (strcmp(section, "desk") == 0)
		return 1;
	for (size_t i = 0; i < N_KEYS; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		known_section = true;
		if (strcmp(keys[i].name, name) == 0)
			return set(f, c, &keys[i], value);
	}
	if (known_section)
		ini_file_error(f, "unknown key '%s' in [%s]", name, section);
	else
		ini_file_error(f, "unknown section [%s]", section);
	return 1;
}

void agent_config_keys_free(struct agent_config *c)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct config_key *k = &keys[i];
		if (k->type == KEY_URLS || k->type == KEY_FILTERS) {
			char **list = field(c, k);
			for (size_t j = 0; j < *count(c, k); j++)
				free(list[j]);
		} else if (k->type == KEY_TEXT || k->type == KEY_AGENT_ID || k->type == KEY_SEGMENT) {
			free(*(char **)field(c, k));
		}
	}
}

static bool same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* True if @k has the same value in @a and @b. */
static bool same(const struct agent_config *a, const struct agent_config *b, const struct config_key *k)
{
	const void *x = field(a, k), *y = field(b, k);
	switch (k->type) {
	case KEY_TEXT:
	case KEY_AGENT_ID:
	case KEY_SEGMENT:
		return same_text(*(char *const *)x, *(char *const *)y);
	case KEY_URLS:
	case KEY_FILTERS:
		if (*count(a, k) != *count(b, k))
			return false;
		for (size_t i = 0; i < *count(a, k); i++)
			if (strcmp(((char *const *)x)[i], ((char *const *)y)[i]) != 0)
				return false;
		return true;
	case KEY_DURATION:
	case KEY_SIZE:
		return *(const int64_t *)x == *(const int64_t *)y;
	case KEY_KEEPALIVE:
	case KEY_MQTT:
	case KEY_COUNT:
		return *(const int *)x == *(const int *)y;
	case KEY_DURABILITY:
		return *(const enum durability *)x == *(const enum durability *)y;
	case KEY_YES_NO:
	case KEY_ROLE:
		return *(const bool *)x == *(const bool *)y;
	}
	return false;
}

int agent_config_diff(const struct agent_config *a, const struct agent_config *b,
		      agent_config_change_fn fn, void *ctx)
{
	int n = 0;
	for (size_t i = 0; i < N_KEYS; i++) {
		if (keys[i].live || same(a, b, &keys[i]))
			continue;
		fn(ctx, keys[i].section, keys[i].name);
		n++;
	}
	if (!rules_equal(a->rules, a->n_rules, b->rules, b->n_rules)) {
		fn(ctx, "escalate.*", "rules");
		n++;
	}
	return n;
}
