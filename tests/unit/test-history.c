/* The agent's database as history (subscriber/history.c) on a real SQLite
 * file written by the agent's store: arrival order, exact time bounds
 * (since inclusive, until exclusive), kinds, a case, MQTT topic filters,
 * follow-on and limit, rejected input; and remote replay's request JSON
 * (subscriber/replay_request.c) both ways, with its errors; and who is
 * offline since when (subscriber/history/presence_list.c); a case of a
 * schema 3 database (no rejected.report_id) read without refused changes. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store.h"
#include "history/history.h"
#include "history/presence_list.h"
#include "history/replay_request.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"

#define T0 SAMPLE_NOW_MS

static const uint8_t CASE_B[16] = {0x01, 0x93, 0x6e, 0x29, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xbb};
static uint8_t case_a[16];

/* Stores one @kind from @region; a presence is agent @id's, @online or not. */
static int put_as(struct store *s, enum raksha_kind kind, const char *region, int64_t received,
		  const uint8_t *report_id, const char *id, bool online)
{
	struct sample sm;
	raksha_envelope *env = sample_make(&sm, kind);
	sm.origin.region = (char *)region;
	if (kind == RAKSHA_KIND_AGENT) {
		env->agent->agent_id = (char *)id;
		env->agent->online = online;
	}
	struct raksha_topic t = {.kind = kind};
	snprintf(t.state, sizeof(t.state), "mp");
	snprintf(t.region, sizeof(t.region), "%s", region);
	snprintf(t.agency, sizeof(t.agency), "grp");
	snprintf(t.agent_id, sizeof(t.agent_id), "%s", id);
	raksha_topic_format(&t, sm.topic, sizeof(sm.topic));
	if (report_id != NULL)
		memcpy(sm.report_id, report_id, 16);
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	if (sample_encode(&sm, T0, &o, &buf, &len) < 0)
		return -100;
	int r = store_envelope(s, sm.topic, env, buf, len, received);
	free(buf);
	return r;
}

static int put(struct store *s, enum raksha_kind kind, const char *region, int64_t received,
	       const uint8_t *report_id)
{
	return put_as(s, kind, region, received, report_id, "agent-1", true);
}

/* The seqs selected by @f, as "1,2,5". */
static int collect(void *ctx, const struct history_row *row)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s%lld", n ? "," : "", (long long)row->seq);
	return 0;
}

static const char *seqs(sqlite3 *db, struct history_filter f)
{
	static char out[256];
	out[0] = '\0';
	if (history_each(db, &f, collect, out) < 0)
		return "error";
	return out;
}

/* Who is offline since when (history/presence_list.c): a repeated state
 * keeps its since, a change moves it, --until gives an earlier view, an
 * update reads only what is new, offline sorts first, the longest first. */
static void test_presence(struct store *s, sqlite3 *db)
{
	ok(put_as(s, RAKSHA_KIND_AGENT, "itarsi", T0 + 6000, NULL, "agent-2", true) == 1 &&
	   put_as(s, RAKSHA_KIND_AGENT, "itarsi", T0 + 7000, NULL, "agent-2", true) == 1 &&
	   put_as(s, RAKSHA_KIND_AGENT, "itarsi", T0 + 8000, NULL, "agent-2", false) == 1 &&
	   put_as(s, RAKSHA_KIND_AGENT, "harda", T0 + 8500, NULL, "agent-3", false) == 1,
	   "presence of two more agents stored");
	struct presence_list l = {0};
	struct history_filter f = {0};
	is_int(presence_list_update(db, &f, &l), 0, "presence read");
	is_int((int)l.n, 3, "three agents");
	const struct presence_agent *a2 = presence_list_find(&l, "mp/itarsi/grp", "agent-2");
	ok(a2 && !a2->online && a2->since_ms == T0 + 8000 && a2->last_ms == T0 + 8000,
	   "agent-2 offline since its offline arrived");
	ok(a2 && a2->changes == 2, "  two changes: the repeated online is none");
	ok(presence_list_find(&l, "mp/bhopal/grp", "agent-2") == NULL, "found by unit and id together");
	presence_list_sort(&l);
	ok(!strcmp(l.agents[0].id, "agent-2") && !strcmp(l.agents[1].id, "agent-3") &&
	   !strcmp(l.agents[2].id, "agent-1"), "offline first, the longest offline first");
	ok(put_as(s, RAKSHA_KIND_AGENT, "itarsi", T0 + 9000, NULL, "agent-2", true) == 1, "agent-2 back");
	is_int(presence_list_update(db, &f, &l), 0, "read again");
	a2 = presence_list_find(&l, "mp/itarsi/grp", "agent-2");
	ok(a2 && a2->online && a2->since_ms == T0 + 9000 && a2->changes == 3 && l.n == 3,
	   "  only what is new: online since it came back");
	presence_list_free(&l);
	f.until_ms = T0 + 7500;
	is_int(presence_list_update(db, &f, &l), 0, "as of a time");
	a2 = presence_list_find(&l, "mp/itarsi/grp", "agent-2");
	ok(a2 && a2->online && a2->since_ms == T0 + 6000 && l.n == 2,
	   "  agent-2 online since its first online, agent-3 not heard of yet");
	presence_list_free(&l);
}

static void test_selection(sqlite3 *db)
{
	struct history_filter f = {0};
	is_str(seqs(db, f), "1,2,3,4,5,6", "everything, in arrival order");
	f.since_ms = T0 + 3000;
	is_str(seqs(db, f), "3,4,5,6", "since is inclusive (two rows at that very millisecond)");
	f = (struct history_filter){.until_ms = T0 + 3000};
	is_str(seqs(db, f), "1,2", "until is exclusive");
	f = (struct history_filter){.since_ms = T0 + 2000, .until_ms = T0 + 4000};
	is_str(seqs(db, f), "2,3,4", "a window");
	f = (struct history_filter){.since_ms = T0 + 9000};
	is_str(seqs(db, f), "", "a window after everything: nothing");
	f = (struct history_filter){.until_ms = T0 + 500};
	is_str(seqs(db, f), "", "a window before everything: nothing");
	f = (struct history_filter){.kinds = history_kind_bit("report") | history_kind_bit("update")};
	is_str(seqs(db, f), "1,3,5", "kinds report and update");
	f = (struct history_filter){.has_report = true};
	memcpy(f.report_id, case_a, 16);
	is_str(seqs(db, f), "1,2,5", "a case: its report, ack and update");
	memcpy(f.report_id, CASE_B, 16);
	is_str(seqs(db, f), "3,4", "the other case: its report and sighting");
	f.since_ms = T0 + 3000 + 1;
	is_str(seqs(db, f), "", "  within a window that misses it: nothing");
	f = (struct history_filter){.after_seq = 4};
	is_str(seqs(db, f), "5,6", "after a seq (--follow)");
	f = (struct history_filter){.limit = 2};
	is_str(seqs(db, f), "1,2", "limit");
}

static void test_topics(sqlite3 *db)
{
	static const struct {
		const char *filters[2];
		const char *want, *what;
	} cases[] = {
		{{"raksha/v1/mp/itarsi/#"}, "3,4", "'#' under a region"},
		{{"raksha/v1/mp/+/grp/report"}, "1,3", "'+' for the region"},
		{{"raksha/v1/mp/bhopal"}, "", "a prefix without '#' matches nothing"},
		{{"raksha/v1/mp/bhopal/grp/ack"}, "2", "an exact topic"},
		{{"raksha/v1/mp/bhopal/grp/ack", "raksha/v1/mp/+/grp/sighting"}, "2,4", "two filters: either"},
		{{"raksha/v1/mp/bhopal/grp/agent/+"}, "6", "presence"},
		{{"#"}, "1,2,3,4,5,6", "'#' alone"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct history_filter f = {0};
		for (int k = 0; k < 2 && cases[i].filters[k]; k++)
			f.topics[f.n_topics++] = (char *)cases[i].filters[k];
		is_str(seqs(db, f), cases[i].want, "topics: %s", cases[i].what);
	}
}

static int rejected_row(void *ctx, const struct history_row *row)
{
	char *out = ctx;
	snprintf(out, 256, "%s|%s|%lld|%zu", row->topic, row->cause, (long long)row->size, row->len);
	return 0;
}

static void test_rejected(struct store *s, sqlite3 *db)
{
	struct raksha_problem why = {.cause = RAKSHA_CAUSE_UNDECODABLE, .text = "not protobuf"};
	char big[5000] = {0}, out[256] = "";
	store_rejected(s, "raksha/v1/mp/bhopal/grp/report", big, sizeof(big), &why, T0 + 7000);
	struct history_filter f = {.rejected = true, .since_ms = T0 + 6000};
	ok(history_each(db, &f, rejected_row, out) == 1, "rejected input selected");
	is_str(out, "raksha/v1/mp/bhopal/grp/report|undecodable|5000|4096",
	       "  with its topic, cause, whole size and first 4 KiB");
}

/* The plan of @f's query on @db, its details joined by "; ". */
static const char *plan(sqlite3 *db, const struct history_filter *f)
{
	static char out[512];
	char sql[HISTORY_SQL_MAX + 32] = "EXPLAIN QUERY PLAN ";
	history_sql(db, f, sql + strlen(sql), HISTORY_SQL_MAX);
	sqlite3_stmt *q;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return sqlite3_errmsg(db);
	while (sqlite3_step(q) == SQLITE_ROW) {
		size_t n = strlen(out);
		snprintf(out + n, sizeof(out) - n, "%s%s", n ? "; " : "", (const char *)sqlite3_column_text(q, 3));
	}
	sqlite3_finalize(q);
	return out;
}

/* Presence (history/presence_list.c) reads the agents' rows alone, from
 * their partial index, in seq order without a sort: not every message. */
static void test_kind_index(sqlite3 *db)
{
	struct history_filter f = {.kinds = history_kind_bit("agent")};
	const char *p = plan(db, &f);
	ok(strstr(p, "USING INDEX messages_agent") != NULL, "presence's query reads the index of the agents' rows: %s", p);
	ok(strstr(p, "TEMP B-TREE") == NULL, "  in seq order, without a sort");
	f.after_seq = 5;
	p = plan(db, &f);
	ok(strstr(p, "USING INDEX messages_agent") != NULL, "  an update (after a seq) too: %s", p);
	f = (struct history_filter){.kinds = history_kind_bit("agent") | history_kind_bit("ack")};
	ok(strstr(plan(db, &f), "TEMP B-TREE") == NULL, "two kinds: still streamed in seq order, no sort");
	is_str(seqs(db, f), "2,6", "  the ack and the presence, as before");
}

/* The tables history reads, as schema 3 made them (git show 206e274:
 * subscriber/agent/store_schema.h): rejected has no report_id yet. */
static const char SCHEMA_3[] =
	"CREATE TABLE messages (seq INTEGER PRIMARY KEY, message_id BLOB NOT NULL UNIQUE,"
	" received_at_ms INTEGER NOT NULL, sent_at_ms INTEGER NOT NULL, topic TEXT NOT NULL,"
	" kind TEXT NOT NULL, report_id BLOB, state TEXT NOT NULL, region TEXT NOT NULL,"
	" agency TEXT NOT NULL, envelope BLOB NOT NULL);"
	"CREATE INDEX messages_received ON messages(received_at_ms);"
	"CREATE INDEX messages_report ON messages(report_id);"
	"CREATE TABLE rejected (seq INTEGER PRIMARY KEY, received_at_ms INTEGER NOT NULL,"
	" topic TEXT NOT NULL, cause TEXT NOT NULL, reason TEXT NOT NULL, size INTEGER NOT NULL,"
	" bytes BLOB NOT NULL, sender TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE cases (report_id BLOB PRIMARY KEY, revision INTEGER NOT NULL DEFAULT 0,"
	" report_seq INTEGER, status TEXT NOT NULL DEFAULT 'open', status_at_ms INTEGER NOT NULL DEFAULT 0,"
	" priority INTEGER NOT NULL DEFAULT 3, exercise INTEGER NOT NULL DEFAULT 0, child_name TEXT,"
	" state TEXT, region TEXT, agency TEXT, unit TEXT, station TEXT, train TEXT, coach TEXT,"
	" last_seen_ms INTEGER, first_seen_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
	" sightings INTEGER NOT NULL DEFAULT 0, escalation_level INTEGER NOT NULL DEFAULT 0);"
	"PRAGMA user_version = 3;"
	/* Case bb's report and ack, another case's report, a refused change. */
	"INSERT INTO messages VALUES (1, x'01', 1000, 1000, 'raksha/v1/mp/bhopal/grp/report', 'report',"
	" x'01936e290000700080000000000000bb', 'mp', 'bhopal', 'grp', x'');"
	"INSERT INTO messages VALUES (2, x'02', 2000, 2000, 'raksha/v1/mp/bhopal/grp/ack', 'ack',"
	" x'01936e290000700080000000000000bb', 'mp', 'bhopal', 'grp', x'');"
	"INSERT INTO messages VALUES (3, x'03', 3000, 3000, 'raksha/v1/mp/bhopal/grp/report', 'report',"
	" x'01936e290000700080000000000000cc', 'mp', 'bhopal', 'grp', x'');"
	"INSERT INTO cases (report_id, first_seen_ms, updated_ms)"
	" VALUES (x'01936e290000700080000000000000bb', 1000, 2000);"
	"INSERT INTO rejected VALUES (1, 4000, 'raksha/v1/mp/itarsi/rpf/update', 'not-owner', 'not its unit',"
	" 1, x'00', 'mp/itarsi/rpf');";

/* raksha-replay --report on a district PC's database not yet upgraded. */
static void test_schema_3(const char *dir, sqlite3 *db4)
{
	char path[300], err[256] = "";
	snprintf(path, sizeof(path), "%s/schema-3.db", dir);
	sqlite3 *w, *db;
	bool made = sqlite3_open(path, &w) == SQLITE_OK && sqlite3_exec(w, SCHEMA_3, NULL, NULL, NULL) == SQLITE_OK;
	ok(made, "a schema 3 database, made by hand (%s)", sqlite3_errmsg(w));
	sqlite3_close(w);
	is_int(history_open(path, &db, err, sizeof(err)), 0, "  opened read-only (%s)", err);
	ok(!history_refused_by_case(db), "  its rejected store does not say a refused change's case");
	ok(history_refused_by_case(db4), "  schema 4's does");
	struct history_filter f = {.has_report = true, .with_refused = true};
	memcpy(f.report_id, CASE_B, 16);
	is_str(seqs(db, f), "1,2", "  a case with its refused changes asked for: its messages, without them");
	f.with_refused = false;
	is_str(seqs(db, f), "1,2", "  the same as without them");
	sqlite3_close(db);
}

static void test_request(void)
{
	struct history_filter f = {.since_ms = 5, .until_ms = 9, .limit = 3, .has_report = true,
				   .kinds = history_kind_bit("ack") | history_kind_bit("agent")};
	memcpy(f.report_id, CASE_B, 16);
	f.topics[f.n_topics++] = "raksha/v1/mp/#";
	char *json = NULL, err[256] = "";
	is_int(replay_request_encode(&f, &json), 0, "a request encodes");
	struct history_filter g;
	is_int(replay_request_decode(json, strlen(json), &g, err, sizeof(err)), 0, "and decodes (%s)", err);
	ok(g.n_topics == 1 && strcmp(g.topics[0], "raksha/v1/mp/#") == 0 && g.since_ms == 5 &&
	   g.until_ms == 9 && g.limit == 3 && g.kinds == f.kinds && g.has_report &&
	   memcmp(g.report_id, CASE_B, 16) == 0, "  to the same filter: %s", json);
	history_filter_free(&g);
	free(json);
	static const struct {
		const char *json, *err;
	} bad[] = {
		{"{\"topics\": [", "not JSON: "},
		{"[1]", "not a JSON object"},
		{"{\"colour\": 1}", "unknown key 'colour'"},
		{"{\"topics\": [\"a/#/b\"]}", "topics: 'a/#/b' is not an MQTT topic filter"},
		{"{\"topics\": \"raksha/v1/#\"}", "topics: not an array of strings"},
		{"{\"kinds\": [\"photo\"]}", "kinds: 'photo' is not a kind"},
		{"{\"report\": \"01a2\"}", "report: not a UUID"},
		{"{\"since_ms\": -1}", "since_ms: not a whole number of 0 or more"},
		{"{\"rejected\": true, \"kinds\": [\"ack\"]}", "rejected: takes no kinds or report"},
		{"{\"limit\": 1, \"limit\": 2}", "not JSON: duplicate object key"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ok(replay_request_decode(bad[i].json, strlen(bad[i].json), &g, err, sizeof(err)) == -EINVAL &&
		   strncmp(err, bad[i].err, strlen(bad[i].err)) == 0, "request %s refused: %s", bad[i].json, err);
	}
}

int main(void)
{
	char dir[] = "/tmp/raksha-history-XXXXXX", path[300], err[256] = "";
	ok(mkdtemp(dir) != NULL, "temporary folder");
	snprintf(path, sizeof(path), "%s/agent.db", dir);
	struct store *s;
	is_int(store_open(path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "a database (%s)", err);
	struct sample first;
	sample_make(&first, RAKSHA_KIND_REPORT);
	memcpy(case_a, first.report_id, 16);
	ok(put(s, RAKSHA_KIND_REPORT, "bhopal", T0 + 1000, NULL) == 1 &&
	   put(s, RAKSHA_KIND_ACK, "bhopal", T0 + 2000, NULL) == 1 &&
	   put(s, RAKSHA_KIND_REPORT, "itarsi", T0 + 3000, CASE_B) == 1 &&
	   put(s, RAKSHA_KIND_SIGHTING, "itarsi", T0 + 3000, CASE_B) == 1 &&
	   put(s, RAKSHA_KIND_UPDATE, "bhopal", T0 + 4000, NULL) == 1 &&
	   put(s, RAKSHA_KIND_AGENT, "bhopal", T0 + 5000, NULL) == 1, "six messages stored");
	sqlite3 *db;
	is_int(history_open(path, &db, err, sizeof(err)), 0, "opened read-only (%s)", err);
	test_selection(db);
	test_kind_index(db);
	test_topics(db);
	test_rejected(s, db);
	test_request();
	test_presence(s, db);
	test_schema_3(dir, db);
	ok(history_open("/nonexistent/agent.db", &(sqlite3 *){NULL}, err, sizeof(err)) == -ENOENT,
	   "a missing database: -ENOENT (%s)", err);
	sqlite3_close(db);
	store_close(s);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
