#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "common/cli.h"
#include "common/clock.h"
#include "common/duration.h"
#include "common/log.h"
#include "common/timeparse.h"
#include "replay/args.h"

void args_usage(FILE *out)
{
	fprintf(out,
		"usage: raksha-replay --database FILE [filters] [--format text|json|raw] [--follow]\n"
		"       raksha-replay --database FILE [filters] --republish PREFIX --url URL [--speed max|N]\n"
		"       raksha-replay --remote --archive ID --url URL [filters] [--format ...]\n"
		"       raksha-replay stats --database FILE [filters] [--format text|json]\n"
		"       raksha-replay presence --database FILE [--topic F] [--until T] [--format text|json]\n"
		"       raksha-replay -n [--config FILE]\n"
		"\n"
		"filters:\n"
		"  --topic FILTER      MQTT filter (+, #), repeatable\n"
		"  --since TIME        from TIME, inclusive: ISO 8601 (fractions of a second too),\n"
		"                      local 'YYYY-MM-DD HH:MM[:SS]', HH:MM, Unix milliseconds,\n"
		"                      or a time ago: 90m, 24h, 7d\n"
		"  --until TIME        up to TIME, exclusive (same forms)\n"
		"  --kind KIND         report, sighting, update, ack, escalation, agent; repeatable\n"
		"  --report ID         the whole case: every message that references it, and the\n"
		"                      changes of it the agent refused (not with --follow)\n"
		"  --rejected          the rejected input instead of the log\n"
		"  --limit N           at most N messages\n"
		"remote: --username NAME --password-file FILE --ca-file FILE --cert-file FILE\n"
		"        --key-file FILE --timeout SECONDS (10)\n"
		"  --database FILE     the agent's database (--db FILE, the same)\n"
		"  -c, --config FILE   [broker] and [replay] keys of the flags' names (password_file:\n"
		"                      --password-file); default %s/replay.conf, else\n"
		"                      ~/.config/raksha/replay.conf\n"
		"  -n, --check         check the configuration, print \"configuration OK\", exit\n"
		"  -h, --help, -V, --version\n"
		"exit: 0 done, 64 usage, 65 bad data or a refused request, 66 no database,\n"
		"      69 broker or archive unavailable, 74 output error, 78 bad config\n",
		cli_config_dir());
}


/* An absolute time, a time ago ("24h"), or Unix milliseconds (as the json
 * format's received_at_ms). */
static int time_arg(const char *opt, const char *text, int64_t *ms)
{
	char *end;
	long long epoch = strtoll(text, &end, 10);
	if (*end == '\0' && end - text >= 12 && epoch > 0) {
		*ms = epoch;
		return 0;
	}
	int64_t ago = duration_parse(text);
	if (ago > 0) {
		*ms = clock_wall_ms() - ago;
		return 0;
	}
	if (timeparse_ms(text, ms) == 0)
		return 0;
	log_line(LOG_ERR, "raksha-replay: %s '%s': not a time (2026-11-29T10:05:00+05:30, "
		 "'2026-11-29 10:05', 10:05) nor a time ago (90m, 24h, 7d)", opt, text);
	return EX_USAGE;
}

static int filter_arg(struct args *a, int opt, const char *v)
{
	struct history_filter *f = &a->filter;
	switch (opt) {
	case 't':
		if (raksha_filter_validate(v) < 0)
			return cli_usage_error("--topic '%s': not an MQTT topic filter", v);
		if (f->n_topics == HISTORY_MAX_TOPICS)
			return cli_usage_error("more than 16 --topic%s", "");
		f->topics[f->n_topics] = strdup(v);
		if (f->topics[f->n_topics] == NULL) {
			log_line(LOG_ERR, "raksha-replay: out of memory");
			return EX_OSERR;
		}
		f->n_topics++;
		return 0;
	case 's': return time_arg("--since", v, &f->since_ms);
	case 'u': return time_arg("--until", v, &f->until_ms);
	case 'k':
		if (history_kind_bit(v) == 0)
			return cli_usage_error("--kind '%s': not report, sighting, update, ack, escalation, "
					   "link or agent", v);
		f->kinds |= history_kind_bit(v);
		return 0;
	case 'r':
		if (raksha_uuid_parse(v, f->report_id) < 0)
			return cli_usage_error("--report '%s': not a UUID", v);
		f->has_report = true;
		return 0;
	case 'R': f->rejected = true; return 0;
	case 'l': {
		char *end;
		f->limit = strtoll(v, &end, 10);
		return f->limit > 0 && *end == '\0' ? 0 : cli_usage_error("--limit '%s': not a positive number", v);
	}
	default: return -1;  /* not a filter */
	}
}

static int format_arg(struct args *a, const char *v)
{
	static const char *const names[] = {"text", "json", "raw"};
	for (int i = 0; i < 3; i++) {
		if (strcmp(v, names[i]) == 0) {
			a->format = (enum format)i;
			return 0;
		}
	}
	return cli_usage_error("--format '%s': not text, json or raw", v);
}

static int other_arg(struct args *a, int opt, const char *v)
{
	char *end;
	switch (opt) {
	case 'd': a->db = v; return 0;
	case 'f': return format_arg(a, v);
	case 'F': a->follow = true; return 0;
	case 'P': a->republish = v; return 0;
	case 'U':
		if (a->n_urls == REPLAY_MAX_URLS)
			return cli_usage_error("more than 8 --url%s", "");
		a->urls[a->n_urls++] = v;
		a->urls_from_flags = true;
		return 0;
	case 'S':
		a->speed = strcmp(v, "max") == 0 ? 0 : strtod(v, &end);
		return strcmp(v, "max") == 0 || (*end == '\0' && a->speed > 0) ? 0
			: cli_usage_error("--speed '%s': not max nor a positive number", v);
	case 'm': a->remote = true; return 0;
	case 'a': a->archive = v; return 0;
	case 'y': a->username = v; return 0;
	case 'p': a->password_file = v; return 0;
	case 'A': a->ca_file = v; return 0;
	case 'E': a->cert_file = v; return 0;
	case 'K': a->key_file = v; return 0;
	case 'c': a->config = v; return 0;
	case 'n': a->check_config = true; return 0;
	case 'T':
		a->timeout_s = (int)strtol(v, &end, 10);
		return *end == '\0' && a->timeout_s > 0 ? 0 : cli_usage_error("--timeout '%s': not seconds", v);
	default: return EX_USAGE;
	}
}

/* What cannot go together, or is missing. */
static int check(const struct args *a)
{
	const struct history_filter *f = &a->filter;
	if (a->remote ? (a->archive == NULL || a->n_urls == 0) : a->db == NULL)
		return cli_usage_error("%s", a->remote ? "--remote needs --archive and --url"
				       : "--database is required (--db; [replay] database)");
	if (a->remote && (a->stats || a->presence || a->republish || a->follow))
		return cli_usage_error("%s", "--remote replays; stats, presence, --republish and --follow "
				   "are local");
	if (a->republish != NULL && (a->n_urls == 0 || a->follow))
		return cli_usage_error("%s", "--republish needs --url, and does not --follow");
	if (f->rejected && (f->kinds || f->has_report))
		return cli_usage_error("%s", "--rejected takes no --kind or --report");
	if (a->stats && (a->format == FORMAT_RAW || a->follow || a->republish))
		return cli_usage_error("%s", "stats prints text or json");
	if (a->stats && (f->kinds || f->has_report || f->rejected || f->limit))
		return cli_usage_error("%s", "stats takes --topic, --since and --until only");
	if (a->presence && (a->format == FORMAT_RAW || a->follow || a->republish))
		return cli_usage_error("%s", "presence prints text or json");
	if (a->presence && (f->kinds || f->has_report || f->rejected || f->limit || f->since_ms))
		return cli_usage_error("%s", "presence takes --topic and --until only");
	if (f->since_ms && f->until_ms && f->until_ms <= f->since_ms)
		return cli_usage_error("%s", "--until is not after --since");
	return 0;
}

int args_parse(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{"database", required_argument, NULL, 'd'}, {"db", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'}, {"check", no_argument, NULL, 'n'},
		{"topic", required_argument, NULL, 't'},
		{"since", required_argument, NULL, 's'}, {"until", required_argument, NULL, 'u'},
		{"kind", required_argument, NULL, 'k'}, {"report", required_argument, NULL, 'r'},
		{"rejected", no_argument, NULL, 'R'}, {"limit", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'}, {"follow", no_argument, NULL, 'F'},
		{"republish", required_argument, NULL, 'P'}, {"url", required_argument, NULL, 'U'},
		{"speed", required_argument, NULL, 'S'}, {"remote", no_argument, NULL, 'm'},
		{"archive", required_argument, NULL, 'a'}, {"username", required_argument, NULL, 'y'},
		{"password-file", required_argument, NULL, 'p'}, {"ca-file", required_argument, NULL, 'A'},
		{"cert-file", required_argument, NULL, 'E'}, {"key-file", required_argument, NULL, 'K'},
		{"timeout", required_argument, NULL, 'T'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'}, {0},
	};
	memset(a, 0, sizeof(*a));
	if (argc > 1 && (strcmp(argv[1], "stats") == 0 || strcmp(argv[1], "presence") == 0)) {
		a->stats = strcmp(argv[1], "stats") == 0;
		a->presence = !a->stats;
		argv++;
		argc--;
	}
	int opt, r;
	while ((opt = cli_getopt(argc, argv, "c:nhV", longopts)) != -1) {
		if (opt == 'h')
			return cli_help() - 1;  /* -1: done */
		if (opt == 'V')
			return cli_version() - 1;
		if (opt == '?')
			return cli_bad_usage();
		if ((r = filter_arg(a, opt, optarg)) == -1)
			r = other_arg(a, opt, optarg);
		if (r != 0)
			return r;
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument '%s'", argv[optind]);
	r = replay_config_load(a);
	if (r != 0)
		return r;
	if (a->check_config) {
		printf("configuration OK\n");
		return -1;  /* done */
	}
	if (a->timeout_s == 0)
		a->timeout_s = 10;
	return check(a);
}
