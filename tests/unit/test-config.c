/* The agent's configuration (subscriber/agent/config.c, config_keys.c): every
 * key of the table read into its field, each bad value named by its line,
 * unknown keys and sections, the list limits, what is missing; and the
 * reload's diff: each setting that only a restart applies is named when it
 * changes, and nothing else is (filters and trusted_keys apply on SIGHUP). */
#define _GNU_SOURCE /* memfd_create (tests/lib/stderr.h) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "common/log.h"
#include "tests/lib/stderr.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static char dir[64], path[128], roster[128], roster2[128], key_path[128];
static char said[16384];

/* A file of the test's, whole. */
static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

/* Loads @text as a config file into @c; what it logged goes to said[]. */
static int load(const char *text, struct agent_config *c)
{
	struct stderr_catch caught;
	write_file(path, text);
	stderr_catch_begin(&caught);
	int r = agent_config_load(path, c);
	stderr_catch_end(&caught, said, sizeof(said));
	return r;
}

static const char base[] =
	"[agent]\n"
	"id = bpl-grp-1\n"
	"state = mp\n"
	"region = bhopal\n"
	"agency = grp\n"
	"unit = GRP Bhopal\n"
	"database = /var/lib/raksha/agent.db\n"
	"durability = crash\n"
	"role = archive\n"
	"prune_closed_after = 90d\n"
	"prune_rejected_after = 7d\n"
	"rejected_per_sender = 512K\n"
	"rejected_total = 16M\n"
	"backup_dir = /var/backups/raksha\n"
	"backup_interval = 6h\n"
	"backup_keep = 28\n"
	"metrics_textfile = /var/lib/prometheus/node-exporter/raksha.prom\n"
	"metrics_interval = 30s\n"
	"[broker]\n"
	"url = mqtt://127.0.0.1:1883\n"
	"url = mqtts://hub.example:8883\n"
	"keepalive = 20\n"
	"mqtt_version = 5\n"
	"username = bpl-grp-1\n"
	"password_file = /etc/raksha/password\n"
	"ca_file = /etc/raksha/ca.pem\n"
	"cert_file = /etc/raksha/cert.pem\n"
	"key_file = /etc/raksha/key.pem\n"
	"[subscribe]\n"
	"filter = raksha/v1/mp/+/+/report\n"
	"filter = raksha/v1/mp/bhopal/#\n"
	"[hooks]\n"
	"timeout = 2m\n"
	"on_report = logger report\n"
	"on_sighting = logger sighting\n"
	"on_update = logger update\n"
	"on_ack = logger ack\n"
	"on_escalation = logger escalation\n"
	"[escalate.sp]\n"
	"match = raksha/v1/mp/+/+/report\n"
	"after = 10m\n"
	"publish = raksha/v1/mp/bhopal/grp/escalation\n";

static void every_key(void)
{
	struct agent_config c;
	int r = load(base, &c);
	is_int(r, 0, "the full file loads");
	is_str(said, "", "  and nothing is logged");
	is_str(c.id, "bpl-grp-1", "[agent] id");
	ok(strcmp(c.state, "mp") == 0 && strcmp(c.region, "bhopal") == 0 && strcmp(c.agency, "grp") == 0,
	   "[agent] state, region, agency");
	is_str(c.unit, "GRP Bhopal", "[agent] unit, with its space");
	is_str(c.database, "/var/lib/raksha/agent.db", "[agent] database");
	is_str(c.outbox, "/var/lib/raksha/outbox", "  no outbox: beside the database");
	ok(c.durability == DURABILITY_CRASH, "[agent] durability = crash");
	ok(c.archive, "[agent] role = archive");
	is_int(c.prune_closed_after_ms, 90LL * 24 * 3600 * 1000, "[agent] prune_closed_after = 90d");
	is_int(c.prune_rejected_after_ms, 7LL * 24 * 3600 * 1000, "[agent] prune_rejected_after = 7d");
	is_int(c.rejected_per_sender, 512LL << 10, "[agent] rejected_per_sender = 512K");
	is_int(c.rejected_total, 16LL << 20, "[agent] rejected_total = 16M");
	is_str(c.backup_dir, "/var/backups/raksha", "[agent] backup_dir");
	is_int(c.backup_interval_ms, 6LL * 3600 * 1000, "[agent] backup_interval = 6h");
	is_int(c.backup_keep, 28, "[agent] backup_keep");
	is_str(c.metrics_textfile, "/var/lib/prometheus/node-exporter/raksha.prom", "[agent] metrics_textfile");
	is_int(c.metrics_interval_ms, 30000, "[agent] metrics_interval = 30s");
	is_int((long long)c.n_urls, 2, "[broker] url, twice");
	is_str(c.urls[1], "mqtts://hub.example:8883", "  in their order");
	is_int(c.keepalive_s, 20, "[broker] keepalive");
	is_int(c.mqtt_version, 5, "[broker] mqtt_version = 5");
	ok(strcmp(c.username, "bpl-grp-1") == 0 && strcmp(c.password_file, "/etc/raksha/password") == 0 &&
	   strcmp(c.ca_file, "/etc/raksha/ca.pem") == 0 && strcmp(c.cert_file, "/etc/raksha/cert.pem") == 0 &&
	   strcmp(c.key_file, "/etc/raksha/key.pem") == 0, "[broker] username and the four files");
	is_int((long long)c.n_filters, 2, "[subscribe] filter, twice");
	is_int(c.hook_timeout_ms, 120000, "[hooks] timeout = 2m");
	ok(strcmp(c.on_report, "logger report") == 0 && strcmp(c.on_sighting, "logger sighting") == 0 &&
	   strcmp(c.on_update, "logger update") == 0, "[hooks] on_report, on_sighting, on_update");
	ok(strcmp(c.on_ack, "logger ack") == 0 && strcmp(c.on_escalation, "logger escalation") == 0,
	   "[hooks] on_ack, on_escalation");
	is_int((long long)c.n_rules, 1, "[escalate.sp]");
	agent_config_free(&c);

	r = load("[agent]\nid = a\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = a.db\n"
		 "[broker]\nurl = mqtt://127.0.0.1:1883\n[subscribe]\nfilter = raksha/#\n", &c);
	is_int(r, 0, "a minimal file loads");
	ok(c.durability == DURABILITY_POWER && !c.archive && c.hook_timeout_ms == HOOK_TIMEOUT_DEFAULT_MS &&
	   c.keepalive_s == 0 && c.prune_closed_after_ms == 0 && c.mqtt_version == 0,
	   "  with the defaults");
	ok(c.prune_rejected_after_ms == 30LL * 24 * 3600 * 1000 && c.rejected_per_sender == 4LL << 20 &&
	   c.rejected_total == 64LL << 20, "  rejected input: 30d, 4M per sender, 64M in all");
	ok(c.backup_dir == NULL && c.backup_interval_ms == 24LL * 3600 * 1000 && c.backup_keep == 7,
	   "  no backups; were backup_dir set, a copy a day, 7 kept");
	is_str(c.outbox, "./outbox", "  a database without a folder: ./outbox");
	ok(c.metrics_textfile == NULL && c.metrics_interval_ms == 15000, "  no metrics textfile; every 15 s if one");
	agent_config_free(&c);
}

/* A textfile node-exporter would never read, an interval under 1 s: each
 * one problem, naming the key. */
static void bad_metrics(void)
{
	const char *lines[] = {"metrics_textfile = /var/lib/prometheus/node-exporter/raksha.txt",
			       "metrics_textfile = .prom", "metrics_interval = 500ms", "metrics_interval = 0s"};
	const char *needles[] = {"[agent] metrics_textfile: '/var/lib/prometheus/node-exporter/raksha.txt' does not end in .prom",
				 "[agent] metrics_textfile: '.prom' does not end in .prom",
				 "metrics_interval: '500ms' is not a duration", "metrics_interval: '0s' is not a duration such as 15s"};
	for (size_t i = 0; i < 4; i++) {
		char text[1024];
		snprintf(text, sizeof(text), "[agent]\nid = a\nstate = mp\nregion = bhopal\nagency = grp\n"
			 "database = a.db\n%s\n[broker]\nurl = mqtt://127.0.0.1:1883\n[subscribe]\nfilter = raksha/#\n",
			 lines[i]);
		struct agent_config c;
		int r = load(text, &c);
		ok(r == 1 && strstr(said, needles[i]) != NULL, "'%s' refused: %s", lines[i], needles[i]);
		if (r != 1 || strstr(said, needles[i]) == NULL)
			printf("#   got %d: %s", r, said);
		agent_config_free(&c);
	}
}

/* A TAP description of @text: its newlines as " / ". */
static const char *one_line(const char *text)
{
	static char out[512];
	size_t n = 0;
	for (const char *p = text; *p && n + 4 < sizeof(out); p++) {
		if (*p == '\n') {
			memcpy(out + n, " / ", 3);
			n += 3;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

/* @lines (a section and a key, appended to a good file: the key is line
 * 12) is one problem, logged with @needle. */
static void bad(const char *lines, const char *needle)
{
	char text[2048];
	snprintf(text, sizeof(text), "[agent]\nid = a\nstate = mp\nregion = bhopal\nagency = grp\n"
		 "database = a.db\n[broker]\nurl = mqtt://127.0.0.1:1883\n[subscribe]\n"
		 "filter = raksha/#\n%s\n", lines);
	struct agent_config c;
	int r = load(text, &c);
	char want[256];
	snprintf(want, sizeof(want), "%s:12: %s", path, needle);
	ok(r == 1 && strstr(said, want) != NULL, "'%s' is refused at line 12: %s", one_line(lines),
	   needle);
	if (r != 1 || strstr(said, want) == NULL)
		printf("#   got %d: %s", r, said);
	agent_config_free(&c);
}

static void bad_values(void)
{
	bad("[agent]\nid = Not-Valid", "id: 'Not-Valid' must match [a-z0-9-]{1,64}");
	bad("[agent]\nregion = Bhopal", "region: 'Bhopal' must match [a-z0-9-]{1,32}");
	bad("[agent]\ndurability = disk", "durability: 'disk' is not 'power' or 'crash'");
	bad("[agent]\nrole = boss", "role: 'boss' is not 'district' or 'archive'");
	bad("[agent]\nprune_closed_after = soon", "prune_closed_after: 'soon' is not a duration such as 90d");
	bad("[agent]\nrejected_total = 4095", "rejected_total: '4095' is not a size of 4K to 1024G, such as 65536, 512K or 4M");
	bad("[agent]\nrejected_per_sender = 4k", "rejected_per_sender: '4k' is not a size of 4K to 1024G");
	bad("[agent]\nrejected_per_sender = 1025G", "rejected_per_sender: '1025G' is not a size of 4K to 1024G");
	bad("[agent]\nrejected_per_sender = -1M", "rejected_per_sender: '-1M' is not a size");
	bad("[agent]\nrejected_per_sender = 4 M", "rejected_per_sender: '4 M' is not a size");
	bad("[agent]\nprune_rejected_after = 0", "prune_rejected_after: '0' is not a duration such as 30d");
	bad("[agent]\nbackup_keep = 0", "backup_keep: '0' is not a number of 1 to 1000");
	bad("[agent]\nbackup_keep = 1001", "backup_keep: '1001' is not a number of 1 to 1000");
	bad("[agent]\nbackup_keep = 7d", "backup_keep: '7d' is not a number of 1 to 1000");
	bad("[agent]\nbackup_interval = daily", "backup_interval: 'daily' is not a duration such as 1h or 1d");
	bad("[agent]\nrequire_signatures = maybe", "require_signatures: 'maybe' is not 'yes' or 'no'");
	bad("[agent]\nfavourite = blue", "unknown key 'favourite' in [agent]");
	bad("[broker]\nurl = http://x", "url: 'http://x' is not mqtt://HOST:PORT or mqtts://HOST:PORT");
	bad("[broker]\nkeepalive = 2", "keepalive: '2' is not a number of seconds (5..3600)");
	bad("[broker]\nkeepalive = 20s", "keepalive: '20s' is not a number of seconds (5..3600)");
	bad("[broker]\nmqtt_version = 4", "mqtt_version: '4' is not 3 (MQTT 3.1.1) or 5 (MQTT 5)");
	bad("[broker]\nmqtt_version = 3.1.1", "mqtt_version: '3.1.1' is not 3 (MQTT 3.1.1) or 5 (MQTT 5)");
	bad("[subscribe]\nfilter = raksha/#/x", "filter: 'raksha/#/x' is not an MQTT topic filter");
	bad("[subscribe]\ntopic = raksha/#", "unknown key 'topic' in [subscribe]");
	bad("[hooks]\ntimeout = forever", "timeout: 'forever' is not a duration such as 30s or 2m");
	bad("[colours]\nred = 1", "unknown section [colours]");

	char text[4096] = "[agent]\nid = a\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = a.db\n"
			  "[subscribe]\nfilter = raksha/#\n[broker]\n";
	for (int i = 0; i < AGENT_MAX_URLS + 1; i++)
		strcat(text, "url = mqtt://127.0.0.1:1883\n");
	struct agent_config c;
	int r = load(text, &c);
	char want[256];
	snprintf(want, sizeof(want), "%s:%d: more than %d 'url' lines", path, 10 + AGENT_MAX_URLS,
		 AGENT_MAX_URLS);
	ok(r == 1 && strstr(said, want) != NULL, "a ninth url is refused by its line");
	is_int((long long)c.n_urls, AGENT_MAX_URLS, "  and the eight are kept");
	agent_config_free(&c);

	r = load("[agent]\nid = a\n", &c);
	is_int(r, 6, "a file with only an id: 6 problems");
	ok(strstr(said, ": [agent] state is missing") && strstr(said, ": [agent] database is missing") &&
	   strstr(said, ": [broker] url is missing") && strstr(said, ": [subscribe] filter is missing"),
	   "  each missing setting named");
	agent_config_free(&c);
	r = agent_config_load("/nonexistent/agent.conf", &c);
	is_int(r, -1, "an unreadable file: -1");
	agent_config_free(&c);
}

struct changes {
	char names[16][64];
	int n;
};

static void note(void *ctx, const char *section, const char *key)
{
	struct changes *ch = ctx;
	if (ch->n < 16)
		snprintf(ch->names[ch->n], sizeof(ch->names[0]), "[%s] %s", section, key);
	ch->n++;
}

/* @in with its first @from replaced by @to, into @out. False if @from is not in @in. */
static bool replace(const char *in, const char *from, const char *to, char *out, size_t size)
{
	const char *at = strstr(in, from);
	if (at == NULL)
		return ok(0, "'%s' is in the base file", from) != 0;
	snprintf(out, size, "%.*s%s%s", (int)(at - in), in, to, at + strlen(from));
	return true;
}

/* The base file with @from replaced by @to (and, if @publish is given, the
 * rule's publish line by it: a rule may publish only into the agent's own
 * tree): the settings the diff names. */
static void diff_case(const char *from, const char *to, const char *publish, const char *want)
{
	char text[4096], first[4096];
	if (!replace(base, from, to, first, sizeof(first)))
		return;
	if (!replace(first, "publish = raksha/v1/mp/bhopal/grp/escalation",
		     publish != NULL ? publish : "publish = raksha/v1/mp/bhopal/grp/escalation", text,
		     sizeof(text)))
		return;
	struct agent_config a, b;
	load(base, &a);
	int problems = load(text, &b);
	struct changes ch = {.n = 0};
	int n = agent_config_diff(&a, &b, note, &ch);
	char got[1024] = "";
	for (int i = 0; i < ch.n && i < 16; i++) {
		strcat(got, i ? ", " : "");
		strcat(got, ch.names[i]);
	}
	char was[256];
	snprintf(was, sizeof(was), "%s", one_line(from));
	ok(problems == 0 && n == ch.n && strcmp(got, want) == 0, "'%s' -> '%s': %s", was, one_line(to),
	   *want ? want : "nothing waits for a restart");
	if (strcmp(got, want) != 0)
		printf("#   got '%s'\n", got);
	agent_config_free(&a);
	agent_config_free(&b);
}

/* Each change to the base file (from, to) and the settings the diff names
 * for it: every key a restart applies, once; nothing for what SIGHUP
 * applies (filters). */
static const struct {
	const char *from, *to, *want, *publish;
} changes[] = {
	{"id = bpl-grp-1", "id = bpl-grp-1", "", NULL},
	{"id = bpl-grp-1", "id = bpl-grp-2", "[agent] id", NULL},
	/* The rule's publish follows the agent's tree, or the file is refused. */
	{"state = mp", "state = up", "[agent] state, [escalate.*] rules",
	 "publish = raksha/v1/up/bhopal/grp/escalation"},
	{"region = bhopal", "region = itarsi", "[agent] region, [escalate.*] rules",
	 "publish = raksha/v1/mp/itarsi/grp/escalation"},
	{"agency = grp", "agency = rpf", "[agent] agency, [escalate.*] rules",
	 "publish = raksha/v1/mp/bhopal/rpf/escalation"},
	{"unit = GRP Bhopal", "unit = GRP Bhopal Jn", "[agent] unit", NULL},
	{"database = /var/lib/raksha/agent.db", "database = /srv/agent.db", "[agent] database, [agent] outbox", NULL},
	{"durability = crash", "durability = power", "[agent] durability", NULL},
	{"role = archive", "role = district", "[agent] role", NULL},
	{"prune_closed_after = 90d", "prune_closed_after = 30d", "[agent] prune_closed_after", NULL},
	{"prune_rejected_after = 7d", "prune_rejected_after = 8d", "[agent] prune_rejected_after", NULL},
	{"rejected_per_sender = 512K", "rejected_per_sender = 1M", "[agent] rejected_per_sender", NULL},
	{"rejected_total = 16M", "rejected_total = 16384K", "", NULL},
	{"backup_dir = /var/backups/raksha", "backup_dir = /srv/backups", "[agent] backup_dir", NULL},
	{"backup_interval = 6h", "backup_interval = 1d", "[agent] backup_interval", NULL},
	{"backup_keep = 28", "backup_keep = 7", "[agent] backup_keep", NULL},
	{"metrics_interval = 30s", "metrics_interval = 1m", "[agent] metrics_interval", NULL},
	{"url = mqtts://hub.example:8883\n", "", "[broker] url", NULL},
	{"keepalive = 20", "keepalive = 60", "[broker] keepalive", NULL},
	{"mqtt_version = 5", "mqtt_version = 3", "[broker] mqtt_version", NULL},
	{"username = bpl-grp-1", "username = other", "[broker] username", NULL},
	{"password_file = /etc/raksha/password", "password_file = /etc/raksha/pw", "[broker] password_file", NULL},
	{"ca_file = /etc/raksha/ca.pem", "ca_file = /etc/raksha/ca2.pem", "[broker] ca_file", NULL},
	{"cert_file = /etc/raksha/cert.pem", "cert_file = /c.pem", "[broker] cert_file", NULL},
	{"key_file = /etc/raksha/key.pem", "key_file = /k.pem", "[broker] key_file", NULL},
	{"timeout = 2m", "timeout = 3m", "[hooks] timeout", NULL},
	{"on_report = logger report", "on_report = logger r", "[hooks] on_report", NULL},
	{"on_sighting = logger sighting\n", "", "[hooks] on_sighting", NULL},
	{"on_update = logger update", "on_update = logger u", "[hooks] on_update", NULL},
	{"on_ack = logger ack", "on_ack = logger a", "[hooks] on_ack", NULL},
	{"on_escalation = logger escalation\n", "", "[hooks] on_escalation", NULL},
	{"after = 10m", "after = 20m", "[escalate.*] rules", NULL},
	{"filter = raksha/v1/mp/bhopal/#\n", "filter = raksha/v1/up/#\n", "", NULL},
	{"[subscribe]\n", "[agent]\nunit = GRP BPL\n[subscribe]\n", "[agent] unit", NULL},
	{"durability = crash\nrole = archive", "durability = power\nrole = district", "[agent] role, [agent] durability", NULL},
};

static void reload_diff(void)
{
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		diff_case(changes[i].from, changes[i].to, changes[i].publish, changes[i].want);
}

/* The roster files: read again on SIGHUP, so not a restart's. */
static void trust_and_signing(void)
{
	char text[4096], key_line[512];
	char pub[RAKSHA_PUBLIC_KEY_TEXT_LEN + 1];
	write_file(roster, "id,state,region,agency,role,public_key\nhq,mp,bhopal,control,control\n");
	write_file(roster2, "id,state,region,agency,role,public_key\n");
	is_int(raksha_signing_key_generate("bpl-grp-1", key_path, pub), 0, "a signing key for the agent");
	snprintf(key_line, sizeof(key_line), "[agent]\nsigning_key = %s\ntrusted_keys = %s\n", key_path, roster);
	snprintf(text, sizeof(text), "%s%s", base, key_line);
	struct agent_config a, b;
	is_int(load(text, &a), 0, "signing_key and trusted_keys load");
	ok(a.signing_key != NULL && a.trust != NULL, "  the key and the trust store are read");
	snprintf(key_line, sizeof(key_line), "[agent]\nsigning_key = %s\ntrusted_keys = %s\n", key_path, roster2);
	snprintf(text, sizeof(text), "%s%s", base, key_line);
	load(text, &b);
	struct changes ch = {.n = 0};
	is_int(agent_config_diff(&a, &b, note, &ch), 0, "another trusted_keys file: applied by SIGHUP");
	agent_config_free(&b);
	snprintf(text, sizeof(text), "%s[agent]\ntrusted_keys = %s\n", base, roster);
	load(text, &b);
	ch.n = 0;
	is_int(agent_config_diff(&a, &b, note, &ch), 1, "no signing_key any more: a restart's");
	is_str(ch.names[0], "[agent] signing_key", "  named");
	agent_config_free(&b);
	snprintf(text, sizeof(text), "%s%s[agent]\nrequire_signatures = yes\n", base, key_line);
	load(text, &b);
	ch.n = 0;
	is_int(agent_config_diff(&a, &b, note, &ch), 1, "require_signatures: a restart's");
	agent_config_free(&a);
	agent_config_free(&b);
}

int main(void)
{
	if (tmpdir_make(dir, "config") < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/agent.conf", dir);
	snprintf(roster, sizeof(roster), "%s/units.csv", dir);
	snprintf(roster2, sizeof(roster2), "%s/units2.csv", dir);
	snprintf(key_path, sizeof(key_path), "%s/agent.key", dir);
	log_init(LOG_STYLE_PLAIN);
	every_key();
	bad_values();
	bad_metrics();
	reload_diff();
	trust_and_signing();
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
