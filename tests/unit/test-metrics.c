/* The metrics (subscriber/metrics/, what the desk's /metrics and the
 * agent's textfile both write) on a real SQLite file the agent's store
 * wrote, with known counts: the exposition text compared whole (every
 * # HELP and # TYPE line, every number), label values escaped as the
 * format says (quote, backslash, line feed; a control byte as the log's
 * \xNN), the link followed from one read to the next. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/store.h"
#include "history/history.h"
#include "metrics/metrics.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"
#include "tests/lib/test_store.h"

#define T0 SAMPLE_NOW_MS
#define AGENT_ID "mp-bhopal-grp-1"

enum { R1, R2, R3, R4, CASES };
enum { OFFLINE, ONLINE, START };  /* an agent's status; START: online, a new run */
static int64_t run_ms;
static uint8_t ids[CASES][16];

/* @sm encoded as sent and arrived at @at, and stored. */
static int store_sample(struct store *s, struct sample *sm, int64_t at)
{
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = at};
	if (sample_encode(sm, at, &o, &buf, &len) < 0)
		return -100;
	int r = store_envelope(s, sm->topic, &sm->env, buf, len, at);
	free(buf);
	return r;
}

static int put(struct store *s, enum raksha_kind kind, int c, int64_t at, int v)
{
	struct sample sm;
	raksha_envelope *env = sample_make(&sm, kind);
	sample_from(&sm, "mp", "bhopal", "grp");
	memcpy(sm.report_id, ids[c], 16);
	if (kind == RAKSHA_KIND_UPDATE)
		env->update->status = v;
	if (kind == RAKSHA_KIND_ESCALATION)
		env->escalation->level = (uint32_t)v;
	if (kind == RAKSHA_KIND_AGENT)
		env->agent->online = v > 0;
	if (kind == RAKSHA_KIND_AGENT && v == START)
		run_ms = at;  /* a run of its own, which its later statuses name */
	if (kind == RAKSHA_KIND_AGENT)
		env->agent->started_at_ms = run_ms;
	return store_sample(s, &sm, at);
}

/* Another agent's presence, which is not this agent's link. */
static int put_other_agent(struct store *s, int64_t at)
{
	struct sample sm;
	raksha_envelope *env = sample_make(&sm, RAKSHA_KIND_AGENT);
	env->origin->sender_id = "mp-itarsi-rpf-1";
	env->agent->agent_id = "mp-itarsi-rpf-1";
	sample_from(&sm, "mp", "itarsi", "rpf");
	return store_sample(s, &sm, at);
}

#define CLOSED RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED

/* R1 open, nobody acked; R2 acked; R3 escalated; R4 closed. The agent
 * started, offline, online again: 2 connections, 1 of them a
 * reconnection; 12 messages. */
static bool history_of_cases(struct store *s)
{
	int n = 0;
	n += put(s, RAKSHA_KIND_AGENT, R1, T0, START);
	n += put(s, RAKSHA_KIND_REPORT, R1, T0 + 1000, 0);
	n += put(s, RAKSHA_KIND_REPORT, R2, T0 + 2000, 0);
	n += put(s, RAKSHA_KIND_ACK, R2, T0 + 3000, 0);
	n += put(s, RAKSHA_KIND_REPORT, R3, T0 + 4000, 0);
	n += put(s, RAKSHA_KIND_ESCALATION, R3, T0 + 5000, 1);
	n += put(s, RAKSHA_KIND_AGENT, R1, T0 + 6000, OFFLINE);
	n += put_other_agent(s, T0 + 6500);  /* its own online: not a connection of this agent's */
	n += put(s, RAKSHA_KIND_REPORT, R4, T0 + 7000, 0);
	n += put(s, RAKSHA_KIND_UPDATE, R4, T0 + 8000, CLOSED);
	n += put(s, RAKSHA_KIND_AGENT, R1, T0 + 9000, ONLINE);  /* the same run's link back */
	n += put(s, RAKSHA_KIND_REPORT, R1, T0 + 10000, 0);  /* R1's again, a new message */
	return n == 12;  /* store_envelope(): 1 for each new one */
}

/* Three rejections the store keeps, one with a hostile cause written by
 * hand (the agent never makes one, a hand-edited file might), five counted
 * but not kept, and the hooks' counts as the escalator keeps them. */
static bool rejections_and_hooks(struct store *s)
{
	struct raksha_problem undecodable = {.cause = RAKSHA_CAUSE_UNDECODABLE, .text = "not protobuf"};
	struct raksha_problem utf8 = {.cause = RAKSHA_CAUSE_UTF8, .text = "byte 3"};
	int n = 0;
	n += store_rejected(s, "raksha/v1/mp/bhopal/grp/report", "xx", 2, &undecodable, T0 + 100);
	n += store_rejected(s, "raksha/v1/mp/bhopal/grp/report", "yy", 2, &undecodable, T0 + 200);
	n += store_rejected(s, "raksha/v1/mp/bhopal/grp/ack", "zz", 2, &utf8, T0 + 300);
	const char *sql =
		"INSERT INTO rejected (received_at_ms, topic, cause, reason, size, bytes, sender)"
		" VALUES (1, 't', 'a\"b\\c' || char(10) || 'd' || char(13), 'r', 1, x'00', 'mp/bhopal/grp');"
		"UPDATE rejected_senders SET dropped = 5 WHERE sender = 'mp/bhopal/grp';"
		"INSERT INTO meta VALUES ('hooks_run', 7), ('hooks_failed', 2);";
	return n == 0 && sqlite3_exec(store_db(s), sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* Two entries waiting; a temporary file and refused/ do not wait. */
static bool outbox(const char *dir)
{
	char path[400];
	const char *names[] = {"01a2256c-00d2-7673-9bb3-bfb6112f855c.msg", "01a2256c-00d2-7673-9bb3-bfb6112f855d.msg",
			       ".tmp-1-01a2256c-00d2-7673-9bb3-bfb6112f855e.msg"};
	if (mkdir(dir, 0700) < 0)
		return false;
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			return false;
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/refused", dir);
	return mkdir(path, 0700) == 0;
}

static const char EXPECTED[] =
	"# HELP raksha_messages_stored_total Messages the agent stored since its database was made (the highest messages.seq).\n"
	"# TYPE raksha_messages_stored_total counter\n"
	"raksha_messages_stored_total 12\n"
	"# HELP raksha_rejected_total Rejected messages kept since the database was made (the highest rejected.seq).\n"
	"# TYPE raksha_rejected_total counter\n"
	"raksha_rejected_total 4\n"
	"# HELP raksha_rejected Rejected messages in the database now, by cause (pruned after prune_rejected_after).\n"
	"# TYPE raksha_rejected gauge\n"
	"raksha_rejected{cause=\"a\\\"b\\\\c\\nd\\\\x0d\"} 1\n"
	"raksha_rejected{cause=\"undecodable\"} 2\n"
	"raksha_rejected{cause=\"utf8\"} 1\n"
	"# HELP raksha_rejected_not_kept Rejected messages not kept, over their sender's or the total bound (rejected_senders).\n"
	"# TYPE raksha_rejected_not_kept gauge\n"
	"raksha_rejected_not_kept 5\n"
	"# HELP raksha_cases_open Open cases.\n"
	"# TYPE raksha_cases_open gauge\n"
	"raksha_cases_open 3\n"
	"# HELP raksha_cases_unacknowledged Open cases no unit has acknowledged.\n"
	"# TYPE raksha_cases_unacknowledged gauge\n"
	"raksha_cases_unacknowledged 2\n"
	"# HELP raksha_cases_escalated Open cases escalated at least once.\n"
	"# TYPE raksha_cases_escalated gauge\n"
	"raksha_cases_escalated 1\n"
	"# HELP raksha_newest_message_age_seconds Seconds since the newest stored message arrived.\n"
	"# TYPE raksha_newest_message_age_seconds gauge\n"
	"raksha_newest_message_age_seconds 1.500\n"
	"# HELP raksha_outbox_depth Envelopes waiting in the agent's outbox to be sent.\n"
	"# TYPE raksha_outbox_depth gauge\n"
	"raksha_outbox_depth 2\n"
	"# HELP raksha_link_connected 1 if the agent's link to the broker is up, as its own presence says; 0 if not.\n"
	"# TYPE raksha_link_connected gauge\n"
	"raksha_link_connected 1\n"
	"# HELP raksha_link_connections_total Times the agent's link came up: each start and each reconnection.\n"
	"# TYPE raksha_link_connections_total counter\n"
	"raksha_link_connections_total 2\n"
	"# HELP raksha_link_reconnections_total Times the agent's link came back while it ran: a connection after its run's first.\n"
	"# TYPE raksha_link_reconnections_total counter\n"
	"raksha_link_reconnections_total 1\n"
	"# HELP raksha_hooks_run_total Hook runs that ended.\n"
	"# TYPE raksha_hooks_run_total counter\n"
	"raksha_hooks_run_total 7\n"
	"# HELP raksha_hooks_failed_total Hook runs that failed: a non-zero exit, a signal, killed after the timeout, or not started.\n"
	"# TYPE raksha_hooks_failed_total counter\n"
	"raksha_hooks_failed_total 2\n";

static char *text_of(const struct metrics *m, int64_t now_ms)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	is_int(metrics_write(f, m, now_ms), 0, "written");
	fclose(f);
	return buf;
}

static char *label_of(const char *value)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	metrics_label_value(f, value);
	fclose(f);
	return buf;
}

static void labels(void)
{
	char *l = label_of("say \"hi\"\\now\nnext");
	is_str(l, "say \\\"hi\\\"\\\\now\\nnext", "a label's quote, backslash and line feed escaped");
	free(l);
	l = label_of("सीमा\x1b[2J");
	is_str(l, "सीमा\\\\x1b[2J", "Devanagari as it is, an escape byte as \\\\x1b");
	free(l);
}

static void follows(struct store *st, sqlite3 *db, const char *ob, struct metrics_link *link)
{
	const char *unit[3] = {"mp", "bhopal", "grp"};
	struct metrics m;
	char err[256] = "";
	is_int(put(st, RAKSHA_KIND_AGENT, R1, T0 + 11000, 0), 1, "the agent's link lost");
	is_int(metrics_read(db, ob, unit, AGENT_ID, link, &m, err, sizeof(err)), 0, "read again (%s)", err);
	is_int(m.connected, 0, "  not connected");
	is_int(m.connections, 2, "  still 2 connections");
	is_int(put(st, RAKSHA_KIND_AGENT, R1, T0 + 12000, ONLINE), 1, "and back");
	is_int(metrics_read(db, ob, unit, AGENT_ID, link, &m, err, sizeof(err)), 0, "read again");
	ok(m.connected == 1 && m.connections == 3 && m.reconnections == 2, "  connected, 3 connections, 2 reconnections");
	is_int(put(st, RAKSHA_KIND_AGENT, R1, T0 + 13000, START), 1, "the agent started again");
	is_int(metrics_read(db, ob, unit, AGENT_ID, link, &m, err, sizeof(err)), 0, "read again");
	ok(m.connections == 4 && m.reconnections == 2, "  4 connections, still 2 reconnections");
}

int main(void)
{
	char dir[64], path[300], ob[300], err[256] = "";
	struct store *st;
	is_int(test_store_make(dir, "metrics", path, sizeof(path), &st, err, sizeof(err)), 0,
	       "a database in a temporary folder (%s)", err);
	snprintf(ob, sizeof(ob), "%s/outbox", dir);
	test_store_ids(ids, CASES);
	ok(history_of_cases(st), "12 messages stored");
	ok(rejections_and_hooks(st), "rejections and hooks' counts");
	ok(outbox(ob), "an outbox");
	sqlite3 *db;
	is_int(history_open(path, &db, err, sizeof(err)), 0, "opened read-only (%s)", err);
	struct metrics_link link = {0};
	struct metrics m;
	const char *unit[3] = {"mp", "bhopal", "grp"};
	is_int(metrics_read(db, ob, unit, AGENT_ID, &link, &m, err, sizeof(err)), 0, "read (%s)", err);
	char *text = text_of(&m, T0 + 10000 + 1500);
	is_str(text, EXPECTED, "the exposition, every line");
	free(text);
	labels();
	follows(st, db, ob, &link);
	m.outbox = -2;
	m.newest_ms = 0;
	text = text_of(&m, T0);
	ok(strstr(text, "\nraksha_outbox_depth ") == NULL && strstr(text, "# TYPE raksha_outbox_depth gauge\n"),
	   "an outbox not read: its HELP and TYPE, no sample");
	ok(strstr(text, "\nraksha_newest_message_age_seconds ") == NULL, "no message yet: no age");
	free(text);
	sqlite3_close(db);
	store_close(st);
	if (tmpdir_remove(dir) < 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
