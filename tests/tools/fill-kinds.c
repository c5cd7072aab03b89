/* fill-kinds DB: creates the agent database DB (which must not exist) with
 * one envelope of every kind of tests/lib/sample.c and a few rejected
 * payloads, through the agent's own store.c, at fixed times and with fixed
 * message ids: every run writes the same rows, so that raksha-replay's
 * output over it can be compared with a golden file (45-replay-json,
 * tests/fixtures/README.md). The strings are hostile where the checks let
 * them be: Devanagari, quotes, a backslash, tab and LF in a valid
 * envelope; control bytes and bytes that are not UTF-8 in the topics and
 * reasons of rejected input, which the agent keeps as they came. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "agent/store.h"
#include "tests/lib/sample.h"

/* Stores @s, of @kind, as number @k (its message id's last byte). */
static int put(struct store *st, struct sample *s, int k)
{
	uint8_t *buf;
	size_t len;
	int64_t at = SAMPLE_NOW_MS + k * INT64_C(1000);
	struct raksha_check_options o = {.now_ms = at};
	s->message_id[15] = (uint8_t)k;
	s->env.sent_at_ms = at;
	if (raksha_envelope_encode(&s->env, s->topic, &o, &buf, &len, NULL) < 0)
		return -1;
	int r = store_envelope(st, s->topic, &s->env, buf, len, at);
	free(buf);
	return r < 0 ? -1 : 0;
}

static int put_kinds(struct store *st)
{
	int k = 1;
	for (int kind = RAKSHA_KIND_REPORT; kind <= RAKSHA_KIND_LINK; kind++) {
		struct sample s;
		sample_make(&s, (enum raksha_kind)kind);
		if (put(st, &s, k++) < 0)
			return -1;
	}
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.report.revision = 2;
	s.report.notes = "\"quoted\" \\ back\tslash\nसीमा / next line";
	s.child.name = "सीमा \"Seemu\" कुमारी";
	return put(st, &s, k);
}

static int put_rejected(struct store *st)
{
	static const char *const hostile[][2] = {
		{"raksha/v1/mp/bhopal/grp/report", "not protobuf"},
		{"raksha/v1/mp/\"q\"/\\/संदेश", "reason with \x1b[2J, \"quotes\", \\, \t and \n, DEL \x7f"},
		{"raksha/v1/mp/bhopal/grp/\x01\x1f", "C1 \xc2\x85 and U+FFFF \xef\xbf\xbf"},
		{"raksha/v1/mp/bhopal/grp/report", "not UTF-8: \xff\xfe"},
		{"raksha/v1/mp/\xc0\xaf/grp/report", "overlong topic"},
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct raksha_problem why = {.cause = RAKSHA_CAUSE_UNDECODABLE};
		snprintf(why.text, sizeof(why.text), "%s", hostile[i][1]);
		int64_t at = SAMPLE_NOW_MS + 100000 + (int64_t)i * 1000;
		if (store_rejected(st, hostile[i][0], "garbage", 7, &why, at) < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct store *st;
	char err[256];
	if (argc != 2) {
		fprintf(stderr, "usage: fill-kinds DB\n");
		return EX_USAGE;
	}
	if (store_open(argv[1], DURABILITY_CRASH, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "fill-kinds: %s: %s\n", argv[1], err);
		return EX_CANTCREAT;
	}
	int r = put_kinds(st) < 0 || put_rejected(st) < 0 ? EX_SOFTWARE : EX_OK;
	if (r != EX_OK)
		fprintf(stderr, "fill-kinds: %s: a sample was refused\n", argv[1]);
	store_close(st);
	return r;
}
