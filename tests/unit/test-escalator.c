/* The escalator's decisions (subscriber/agent/escalator*.c), driven step by
 * step on a real database without its thread, on the fixtures' clock: which
 * reports arm which rules (topic, priority, region), when a timer fires and
 * what it commits (the case's level, the Escalation envelope, its way to the
 * outbox, the next due time or the end), what ends a timer without firing
 * (an ack from a listed agency, a closed case, a rule gone from the
 * configuration), a reopened case starting its rules again, the hooks of
 * new reports and of escalations, and a level that cannot be committed
 * (the write lock held elsewhere): nothing changes, nothing is rolled back
 * that was not begun, and it fires at the next try. And clocks: reports
 * refused for their time taken once the clock allows them, stored ones
 * judged as of their arrival, timers moved by a step of the clock. And
 * drills: a drill's Escalation says exercise and its reason starts
 * "DRILL: ", a real case's not; exec, on_ack and on_escalation get
 * RAKSHA_EXERCISE (1 or 0) with the ack's state and unit, the escalation's
 * level, rule, target and reason. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent/config.h"
#include "agent/escalator_impl.h"
#include "agent/store.h"
#include "common/clock.h"
#include "common/log.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define T0 SAMPLE_NOW_MS
#define MIN (60 * 1000)

static char dir[64], db_path[128], conf_path[128], outbox_path[128], hooked_path[128], events_path[128];
static struct store *ingest;  /* stores messages, as the journal's committer does */

static long long number(const char *sql)
{
	sqlite3_stmt *q;
	long long n = -1;
	if (sqlite3_prepare_v2(store_db(ingest), sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* The case @n's timer of @rule: "due level ended" ("-" for NULL). */
static const char *timer(int n, const char *rule)
{
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT coalesce((due_ms - %lld) / 60000, '-') || ' ' || level || ' ' ||"
		 " coalesce(ended, '-') FROM timers WHERE hex(report_id) LIKE '%%%02X' AND rule = '%s'",
		 (long long)T0, n, rule);
	return db_text(store_db(ingest), sql);
}

/* Encodes @s's envelope for case @n as sent from @region/@agency at @at,
 * its topic in s->topic. Returns 0, *@buf to free, or -1. */
static int encode(struct sample *s, int n, const char *region, const char *agency, int64_t at,
		  uint8_t **buf, size_t *len)
{
	s->report_id[15] = (uint8_t)n;
	sample_from(s, "mp", region, agency);
	struct raksha_check_options o = {.now_ms = at};
	return sample_encode(s, at, &o, buf, len) < 0 ? -1 : 0;
}

/* Stores @s's envelope as sent from @region/@agency at @at (the arrival). */
static int put(struct sample *s, int n, const char *region, const char *agency, int64_t at)
{
	uint8_t *buf;
	size_t len;
	if (encode(s, n, region, agency, at, &buf, &len) < 0)
		return -1;
	int r = store_envelope(ingest, s->topic, &s->env, buf, len, at);
	free(buf);
	return r;
}

/* A real report (the sample is a drill) of case @n, or a drill with @drill. */
static int report_of(int n, const char *region, int priority, bool drill, int64_t at)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.report.priority = (Raksha__V1__Priority)priority;
	s.report.exercise = drill;
	return put(&s, n, region, "grp", at);
}

static int report(int n, const char *region, int priority, int64_t at)
{
	return report_of(n, region, priority, false, at);
}

static int ack(int n, const char *agency, int64_t at)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_ACK);
	return put(&s, n, "bhopal", agency, at);
}

/* From the case's own unit (of @region): only it may close or reopen. */
static int update(int n, const char *region, Raksha__V1__UpdateStatus status, int64_t at)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_UPDATE);
	s.update.status = status;
	return put(&s, n, region, "grp", at);
}

static const char config[] =
	"[agent]\nid = bpl-grp-1\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = %s\noutbox = %s\n"
	"[broker]\nurl = mqtt://127.0.0.1:1\n[subscribe]\nfilter = raksha/#\n"
	"[hooks]\non_report = echo \"report $RAKSHA_REPORT_ID\" >> %s\n"
	"on_ack = echo \"ack $RAKSHA_REPORT_ID $RAKSHA_ACK_STATE $RAKSHA_AGENCY/$RAKSHA_UNIT"
	" exercise=$RAKSHA_EXERCISE\" >> %s\n"
	"on_escalation = echo \"escalation $RAKSHA_REPORT_ID $RAKSHA_LEVEL $RAKSHA_RULE $RAKSHA_TARGET"
	" exercise=$RAKSHA_EXERCISE $RAKSHA_REASON\" >> %s\n"
	"[escalate.sp]\nmatch = raksha/v1/mp/+/+/report\npriority = urgent\nafter = 10m\n"
	"unless_ack_from = rpf\npublish = raksha/v1/mp/bhopal/grp/escalation\ntarget = sp-bhopal\n"
	"repeat = 30m\n%s";

static const char itarsi_rule[] =
	"[escalate.itarsi]\nmatch = raksha/v1/mp/+/+/report\nregion = itarsi\nafter = 5m\n"
	"exec = echo \"level $RAKSHA_LEVEL $RAKSHA_RULE $RAKSHA_REASON exercise=$RAKSHA_EXERCISE\" >> %s\n";

/* Loads the test's configuration, with the itarsi rule or without. */
static int load(struct agent_config *c, bool itarsi)
{
	char rule[512] = "", text_[2048];
	if (itarsi)
		snprintf(rule, sizeof(rule), itarsi_rule, hooked_path);
	snprintf(text_, sizeof(text_), config, db_path, outbox_path, hooked_path, events_path, events_path, rule);
	FILE *f = fopen(conf_path, "w");
	fputs(text_, f);
	fclose(f);
	return agent_config_load(conf_path, c);
}

/* What the hooks wrote, once @lines lines are there (at most 10 s). */
static const char *hooked(int lines)
{
	static char out[2048];
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(hooked_path, "r");
		size_t n = f ? fread(out, 1, sizeof(out) - 1, f) : 0;
		if (f)
			fclose(f);
		out[n] = '\0';
		int got = 0;
		for (char *p = out; (p = strchr(p, '\n')) != NULL; p++)
			got++;
		if (got >= lines)
			break;
		usleep(50000);
	}
	return out;
}

static void arming(struct escalator *e)
{
	ok(report(1, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, T0) == 1, "report 1: urgent, bhopal");
	ok(report(2, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_HIGH, T0) == 1, "report 2: high, bhopal");
	ok(report(3, "itarsi", RAKSHA__V1__PRIORITY__PRIORITY_CRITICAL, T0) == 1, "report 3: critical, itarsi");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks at them");
	is_str(timer(1, "sp"), "10 0 -", "report 1 arms sp, due 10 min after it arrived");
	is_str(timer(1, "itarsi"), "", "  not itarsi (another region)");
	is_str(timer(2, "sp"), "", "report 2 arms nothing (high is below urgent)");
	is_str(timer(3, "sp"), "10 0 -", "report 3 arms sp");
	is_str(timer(3, "itarsi"), "5 0 -", "  and itarsi, due at 5 min");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "a second look");
	is_int(number("SELECT count(*) FROM timers"), 3, "  arms nothing twice");
	const char *h = hooked(3);
	ok(strstr(h, "ccddeeff0001\n") && strstr(h, "ccddeeff0002\n") && strstr(h, "ccddeeff0003\n"),
	   "the on_report hook ran for each new report, with its RAKSHA_REPORT_ID");
	if (!strstr(h, "ccddeeff0003\n"))
		printf("#   hooks wrote: %s\n", h);
}

static void firing(struct escalator *e)
{
	const char *h;
	ok(ack(1, "grp", T0 + 1 * MIN) == 1, "grp acknowledges 1 (sp waits for rpf's ack)");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "seen");
	is_int(escalator_fire(e, T0 + 4 * MIN), 0, "at 4 min");
	is_int(number("SELECT count(*) FROM timers WHERE level > 0"), 0, "  nothing is due");
	is_int(escalator_fire(e, T0 + 6 * MIN), 0, "at 6 min");
	is_str(timer(3, "itarsi"), "- 1 fired; the rule does not repeat", "  itarsi fires once for 3 and ends");
	h = hooked(4);
	ok(strstr(h, "level 1 itarsi no ack within 6m exercise=0\n") != NULL,
	   "  its exec runs with the level and the reason, RAKSHA_EXERCISE=0 for a real case");
	if (strstr(h, "level 1 itarsi") == NULL)
		printf("#   hooks wrote: %s\n", h);
	is_int(escalator_fire(e, T0 + 10 * MIN), 0, "at 10 min");
	is_str(timer(1, "sp"), "40 1 -", "  sp fires level 1 for 1, next at 40 min (repeat = 30m)");
	is_str(timer(3, "sp"), "40 1 -", "  and for 3");
	is_int(number("SELECT escalation_level FROM cases WHERE hex(report_id) LIKE '%01'"), 1,
	       "  case 1 is at level 1");
	is_int(number("SELECT count(*) FROM messages WHERE kind = 'escalation'"), 2,
	       "  two Escalation envelopes are stored as the agent's own");
	is_str(db_text(store_db(ingest), "SELECT topic FROM messages WHERE kind = 'escalation'"), "raksha/v1/mp/bhopal/grp/escalation",
	       "  on the rule's topic");
	is_int(number("SELECT count(*) FROM own_pending"), 0, "  none waits between database and outbox");
	struct raksha_outbox *ob;
	raksha_outbox_open(outbox_path, &ob);
	is_int(raksha_outbox_count(ob), 2, "  both are in the outbox, to be sent");
	raksha_outbox_close(ob);
}

static void ending(struct escalator *e)
{
	ok(ack(1, "rpf", T0 + 20 * MIN) == 1, "rpf acknowledges 1 at 20 min");
	ok(report(4, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, T0 + 20 * MIN) == 1 &&
	   update(4, "bhopal", RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED, T0 + 21 * MIN) == 1,
	   "report 4 at 20 min, closed at 21");
	ok(update(3, "itarsi", RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_REOPENED, T0 + 25 * MIN) == 1,
	   "case 3 reopened at 25 min");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "seen");
	is_str(timer(3, "sp"), "35 0 -", "a reopened case's rules start again from the reopening");
	is_str(timer(3, "itarsi"), "30 0 -", "  every rule it matches");
	is_int(escalator_fire(e, T0 + 40 * MIN), 0, "at 40 min");
	is_str(timer(1, "sp"), "- 1 acknowledged by bhopal/rpf", "  1 ends: acknowledged by a listed agency");
	is_str(timer(4, "sp"), "- 0 case closed", "  4 ends without firing: the case is closed");
	is_str(timer(3, "sp"), "70 1 -", "  3 fires level 1 again (its timer started anew), next at 70 min");
	is_str(timer(3, "itarsi"), "- 1 fired; the rule does not repeat", "  and itarsi once more");
	ok(report(5, "itarsi", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, T0 + 50 * MIN) == 1, "report 5 at 50 min");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "seen");
	is_str(timer(5, "itarsi"), "55 0 -", "  itarsi is due at 55 min");
}

static void rule_gone(void)
{
	struct agent_config c;
	struct escalator *e;
	is_int(load(&c, false), 0, "a configuration without the itarsi rule");
	is_int(escalator_open(&c, NULL, &e), 0, "an escalator of it");
	is_int(escalator_fire(e, T0 + 60 * MIN), 0, "at 60 min");
	is_str(timer(5, "itarsi"), "- 0 the rule left the configuration", "  5's itarsi timer ends");
	is_str(timer(5, "sp"), "90 1 -", "  sp, still there, fires for 5");
	escalator_close(e);
	agent_config_free(&c);
}

static char traced[8192];

static int trace(unsigned type, void *ctx, void *stmt, void *sql)
{
	(void)type;
	(void)ctx;
	(void)stmt;
	if (strlen(traced) + strlen(sql) + 2 < sizeof(traced)) {
		strcat(traced, sql);
		strcat(traced, ";");
	}
	return 0;
}

/* The level's transaction cannot begin: its BEGIN fails, so nothing is
 * rolled back (the defect was a ROLLBACK after a failed BEGIN), the timer
 * stays due, and the next try fires it. */
static void locked(struct escalator *e)
{
	sqlite3 *holder;
	sqlite3_open(db_path, &holder);
	ok(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK,
	   "another connection holds the write lock");
	sqlite3_busy_timeout(store_db(e->store), 50);
	sqlite3_trace_v2(store_db(e->store), SQLITE_TRACE_STMT, trace, NULL);
	int r = escalator_fire(e, T0 + 70 * MIN);
	ok(r < 0, "a due level cannot be committed: %d", r);
	ok(strstr(traced, "BEGIN") != NULL && strstr(traced, "ROLLBACK") == NULL,
	   "  its BEGIN failed and nothing was rolled back");
	sqlite3_trace_v2(store_db(e->store), 0, NULL, NULL);
	is_str(timer(3, "sp"), "70 1 -", "  the timer is as it was");
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
	sqlite3_busy_timeout(store_db(e->store), 5000);
	is_int(escalator_fire(e, T0 + 71 * MIN), 0, "the lock is gone: the next try");
	is_str(timer(3, "sp"), "101 2 -", "  fires level 2");
}

#define DAY (24 * 60 * MIN)

/* Case @n's urgent report, sent at T0, rejected for its time at @at by a PC
 * two days slow, on @topic (NULL: its own); @stored: also taken as it came
 * again. Returns what store_rejected() returns. */
static int late(int n, const char *topic, int64_t at, bool stored)
{
	struct sample s;
	uint8_t *buf;
	size_t len;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.report.priority = RAKSHA__V1__PRIORITY__PRIORITY_URGENT;
	if (encode(&s, n, "bhopal", "grp", T0, &buf, &len) < 0)
		return -1;
	struct raksha_problem why = {.cause = RAKSHA_CAUSE_CLOCK};
	snprintf(why.text, sizeof(why.text), "sent_at_ms: more than a day after this clock's");
	int r = store_rejected(ingest, topic ? topic : s.topic, buf, len, &why, at);
	if (r == 0 && stored)
		r = store_envelope(ingest, s.topic, &s.env, buf, len, at) == 1 ? 0 : -1;
	free(buf);
	return r;
}

static long long clock_rows(void)
{
	return number("SELECT count(*) FROM rejected WHERE cause = 'clock'");
}

/* A PC two days slow refused reports for their time; kept whole, they are
 * taken once its clock is right, as having arrived then, and escalate
 * from then; what fails another rule, or was kept cut, is not taken. */
static void retaking(struct escalator *e)
{
	int64_t slow = T0 - 2 * DAY;
	ok(late(20, NULL, slow, false) == 0, "case 20's report, refused for its time by a slow clock");
	is_int(number("SELECT length(bytes) = size FROM rejected ORDER BY seq DESC LIMIT 1"), 1,
	       "  kept whole");
	ok(late(21, NULL, slow, false) == 0 &&
	   number("UPDATE rejected SET bytes = substr(bytes, 1, 40) WHERE seq = (SELECT max(seq)"
		  " FROM rejected) RETURNING 1") == 1, "case 21's, kept cut (an older agent's row)");
	ok(late(22, "raksha/v1/mp/itarsi/grp/report", slow, false) == 0,
	   "case 22's, on another region's topic");
	ok(late(23, NULL, slow, true) == 0, "case 23's, refused, then stored when it came again");
	long long messages = number("SELECT count(*) FROM messages");
	is_int(escalator_retake(e, slow + MIN), 0, "a pass while the clock is still slow");
	is_int(clock_rows(), 3, "  takes nothing: 20, 21 and 23 wait");
	is_str(db_text(store_db(ingest), "SELECT cause || ': ' || reason FROM rejected WHERE topic LIKE '%itarsi%'"),
	       "origin-mismatch: origin.region: differs from the topic's region",
	       "  22 is refused for what it is now");
	is_int(number("SELECT length(bytes) FROM rejected WHERE topic LIKE '%itarsi%'") <= REJECTED_BYTES_MAX, 1,
	       "    and kept cut, as any rejection");
	is_int(escalator_retake(e, T0 - DAY - 30000), 0, "the clock set nearly right: 30 s short of a day");
	is_int(clock_rows(), 3, "  still too far ahead");
	is_int(escalator_retake(e, T0 - DAY + 10000), 0, "10 s within the day, 40 s after the last pass");
	is_int(clock_rows(), 3, "  waits for the minute");
	int64_t taken = T0 - DAY + 40000;
	is_int(escalator_retake(e, taken), 0, "a minute after the last pass");
	is_int(clock_rows(), 1, "  takes 20 and ends 23's rejection; 21 (cut) stays");
	is_int(number("SELECT count(*) FROM messages") - messages, 1, "  one message more: 20's (23 was there)");
	is_int(number("SELECT received_at_ms FROM messages WHERE hex(report_id) LIKE '%14'") == taken, 1, "  as arrived then");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	is_int(number("SELECT due_ms FROM timers WHERE hex(report_id) LIKE '%14' AND rule = 'sp'") ==
	       taken + 10 * MIN, 1, "  case 20 arms sp, due 10 min after it was taken");
	is_int(escalator_retake(e, T0 - 3 * DAY), 0, "the clock set back: a pass at once");
	is_int(clock_rows(), 1, "  21 still there, nothing doubled");
}

/* A report taken while this clock was three days ahead, the clock then set
 * right: judged as of its arrival, it is the case it was (a decode against
 * the clock of now skipped it). */
static void set_back(struct escalator *e)
{
	int64_t ahead = clock_wall_ms() + 3 * DAY;
	ok(report(24, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, ahead) == 1,
	   "case 24's report, taken while this clock was 3 days ahead");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the clock set right, the escalator looks");
	is_int(number("SELECT count(*) FROM timers WHERE hex(report_id) LIKE '%18' AND rule = 'sp'"), 1,
	       "  case 24 arms sp");
}

/* The clock set back an hour, then forward two: a pending timer keeps its
 * time in real seconds (before, a step back pushed it an hour away); drift
 * being slewed moves nothing. */
static void stepped(struct escalator *e)
{
	int64_t at = T0 + 200 * MIN;
	ok(report(25, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, at) == 1, "case 25's urgent report");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	is_str(timer(25, "sp"), "210 0 -", "  sp due 10 min after it");
	is_int(escalator_follow_clock(e, at, 1000), 0, "the clocks seen");
	is_int(escalator_follow_clock(e, at - 60 * MIN + 1000, 2000), 0, "a second on, the clock set back an hour");
	is_str(timer(25, "sp"), "150 0 -", "  sp due 10 min after the report still: an hour earlier by the clock");
	is_int(escalator_fire(e, T0 + 150 * MIN - 1000), 0, "a second before");
	is_str(timer(25, "sp"), "150 0 -", "  not fired");
	is_int(escalator_fire(e, T0 + 150 * MIN), 0, "at its time");
	is_str(timer(25, "sp"), "180 1 -", "  level 1, next in 30 min");
	is_int(escalator_follow_clock(e, at - 60 * MIN + 11 * MIN + 500, 11 * MIN + 1000), 0,
	       "half a second of drift");
	is_str(timer(25, "sp"), "180 1 -", "  moves nothing");
	for (int i = 1; i <= 3; i++)
		escalator_follow_clock(e, at - 60 * MIN + 11 * MIN + 500 + i * 1600, 11 * MIN + 1000 + i * 1000);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT due_ms - %lld FROM timers WHERE hex(report_id) LIKE '%%19'"
		 " AND rule = 'sp'", (long long)T0);
	is_str(db_text(store_db(ingest), sql), "10800000", "  nor does 1.8 s of it, 0.6 s at a time, by a millisecond");
	/* Two hours from where it had drifted to. */
	is_int(escalator_follow_clock(e, at + 60 * MIN + 12 * MIN + 2300, 12 * MIN + 1000), 0,
	       "the clock set forward two hours");
	is_str(timer(25, "sp"), "300 1 -", "  the next level moves with it: fired early before");
}

/* What a hook is given from outside is escaped as a log line is: a name
 * with a line break cannot write a line of its own into the hook's log. */
static void hook_values(void)
{
	struct hook_run *run = hooks_run_new("on_report", "true");
	ok(run != NULL && hooks_run_setenv(run, "RAKSHA_CHILD_NAME", "सीमा\n<3>fake\xe2\x80\xae") == 0,
	   "a hook variable from a name with a line break and a bidi override");
	is_str(run ? run->env[0] : NULL, "RAKSHA_CHILD_NAME=सीमा\\x0a<3>fake\\xe2\\x80\\xae",
	       "  is escaped, Devanagari intact");
	hooks_run_free(run);
}

/* The lines of @path holding @needle, once there is one (at most 10 s). */
static const char *written(const char *path, const char *needle)
{
	static char out[8192], found[2048];
	found[0] = '\0';
	for (int i = 0; i < 200 && found[0] == '\0'; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(out, 1, sizeof(out) - 1, f) : 0;
		if (f)
			fclose(f);
		out[n] = '\0';
		for (char *l = strtok(out, "\n"); l != NULL; l = strtok(NULL, "\n"))
			if (strstr(l, needle) && strlen(found) + strlen(l) + 2 < sizeof(found))
				strcat(strcat(found, l), "\n");
		if (found[0] == '\0')
			usleep(50000);
	}
	return found;
}

/* The Escalation at @level of case @n, by rule @rule: "exercise reason". */
static const char *escalation_of(int n, int level, const char *rule)
{
	static char out[300];
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT envelope FROM messages WHERE kind = 'escalation'"
		 " AND hex(report_id) LIKE '%%%02X'", n);
	sqlite3_stmt *q;
	snprintf(out, sizeof(out), "none");
	if (sqlite3_prepare_v2(store_db(ingest), sql, -1, &q, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(q) == SQLITE_ROW) {
		raksha_envelope *env = NULL;
		if (raksha_envelope_decode(sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0),
					   NULL, NULL, &env, NULL) == 0 &&
		    env->escalation->level == (uint32_t)level && strcmp(env->escalation->rule, rule) == 0)
			snprintf(out, sizeof(out), "%d %s", env->escalation->exercise, env->escalation->reason);
		raksha_envelope_free(env);
	}
	sqlite3_finalize(q);
	return out;
}

/* A drill (case 30) beside a real case (31), both urgent in Itarsi and
 * acknowledged by GRP after their rules fired: their escalations
 * (envelope, exec, on_escalation) and their acks' hooks, each marked for
 * what it is. */
static void drill(struct escalator *e)
{
	/* On this clock: the escalations are stamped with it, and the scan
	 * takes them as arrived at the fixtures' time, which must not be more
	 * than a day before. */
	int64_t at = clock_wall_ms();
	ok(report_of(30, "itarsi", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, true, at) == 1 &&
	   report_of(31, "itarsi", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, false, at) == 1,
	   "case 30: a drill; case 31: a real report");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "seen");
	is_int(escalator_fire(e, at + 10 * MIN), 0, "at 10 min");
	is_str(escalation_of(30, 1, "sp"), "1 DRILL: no ack from rpf within 10m",
	       "the drill's Escalation says exercise, and its reason starts DRILL:");
	is_str(escalation_of(31, 1, "sp"), "0 no ack from rpf within 10m", "  the real case's does not");
	const char *h = written(hooked_path, "level 1 itarsi DRILL: no ack within 10m");
	is_str(h, "level 1 itarsi DRILL: no ack within 10m exercise=1\n", "  the rule's exec: RAKSHA_EXERCISE=1");
	ok(ack(30, "grp", at + 11 * MIN) == 1 && ack(31, "grp", at + 11 * MIN) == 1, "GRP acknowledges both");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks at them, and at its own escalations");
	is_str(written(events_path, "ack 01936e29-0000-7aaa-9bbb-ccddeeff001e"),
	       "ack 01936e29-0000-7aaa-9bbb-ccddeeff001e acting grp/GRP Post Bhopal Jn exercise=1\n",
	       "on_ack runs with the case, the ack state, the unit, and RAKSHA_EXERCISE=1 for the drill");
	is_str(written(events_path, "ack 01936e29-0000-7aaa-9bbb-ccddeeff001f"),
	       "ack 01936e29-0000-7aaa-9bbb-ccddeeff001f acting grp/GRP Post Bhopal Jn exercise=0\n",
	       "  and RAKSHA_EXERCISE=0 for the real case");
	is_str(written(events_path, "escalation 01936e29-0000-7aaa-9bbb-ccddeeff001e 1 sp"),
	       "escalation 01936e29-0000-7aaa-9bbb-ccddeeff001e 1 sp sp-bhopal exercise=1 DRILL: no ack from rpf"
	       " within 10m\n", "on_escalation runs with the level, rule, target, reason and RAKSHA_EXERCISE=1");
	is_str(written(events_path, "escalation 01936e29-0000-7aaa-9bbb-ccddeeff001f 1 sp"),
	       "escalation 01936e29-0000-7aaa-9bbb-ccddeeff001f 1 sp sp-bhopal exercise=0 no ack from rpf"
	       " within 10m\n", "  RAKSHA_EXERCISE=0 for the real case");
}

static int count_in(const char *text, const char *needle)
{
	int n = 0;
	for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
		n++;
	return n;
}

static const char plain_config[] =
	"[agent]\nid = bpl-grp-1\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = %s\noutbox = %s\n"
	"[broker]\nurl = mqtt://127.0.0.1:1\n[subscribe]\nfilter = raksha/#\n"
	"[escalate.sp]\nmatch = raksha/v1/mp/+/+/report\nafter = 10m\npublish = raksha/v1/mp/bhopal/grp/escalation\n";

/* With durability = power and no hook: lone reports looked at one after
 * another set no PRAGMA synchronous (each look set NORMAL and FULL again:
 * 21,000 instructions a report; docs/benchmarks.md, issue 19 part 1,
 * session 5); a timer's fire sets FULL before its first write. */
static void sync_settings(void)
{
	struct agent_config c;
	struct escalator *e;
	FILE *f = fopen(conf_path, "w");
	fprintf(f, plain_config, db_path, outbox_path);
	fclose(f);
	if (!ok(agent_config_load(conf_path, &c) == 0 && c.durability == DURABILITY_POWER &&
		c.on_report == NULL && escalator_open(&c, NULL, &e) == 0,
		"an escalator with durability = power and no hook"))
		return;
	int64_t at = clock_wall_ms();
	ok(report(40, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, at) == 1, "report 40");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "  looked at (the first look sets NORMAL)");
	traced[0] = '\0';
	sqlite3_trace_v2(store_db(e->store), SQLITE_TRACE_STMT, trace, NULL);
	ok(report(41, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, at) == 1 &&
	   escalator_scan(e, clock_wall_ms()) == 0 &&
	   report(42, "bhopal", RAKSHA__V1__PRIORITY__PRIORITY_URGENT, at) == 1 &&
	   escalator_scan(e, clock_wall_ms()) == 0, "reports 41 and 42, each looked at alone");
	is_int(count_in(traced, "PRAGMA synchronous"), 0, "  no PRAGMA synchronous for them");
	is_int(count_in(traced, "INSERT OR IGNORE INTO timers"), 2, "  (the trace saw both looks' timers)");
	traced[0] = '\0';
	is_int(escalator_fire(e, at + 10 * MIN), 0, "their timers fire at 10 min");
	const char *full = strstr(traced, "PRAGMA synchronous = FULL");
	const char *write = strstr(traced, "UPDATE cases SET escalation_level");
	ok(full != NULL && write != NULL && full < write, "  FULL set before the fire's first write");
	is_int(count_in(traced, "PRAGMA synchronous"), 1, "  once for the three");
	sqlite3_trace_v2(store_db(e->store), 0, NULL, NULL);
	escalator_close(e);
	agent_config_free(&c);
}

int main(void)
{
	if (tmpdir_make(dir, "escalator") < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/agent.conf", dir);
	snprintf(outbox_path, sizeof(outbox_path), "%s/outbox", dir);
	snprintf(hooked_path, sizeof(hooked_path), "%s/hooked", dir);
	snprintf(events_path, sizeof(events_path), "%s/events", dir);
	log_init(LOG_STYLE_PLAIN);
	char err[256];
	struct agent_config c;
	struct escalator *e;
	if (!ok(load(&c, true) == 0, "the configuration") ||
	    !ok(store_open(db_path, DURABILITY_CRASH, &ingest, err, sizeof(err)) == 0, "the database") ||
	    !ok(escalator_open(&c, NULL, &e) == 0, "the escalator, without its thread"))
		return tap_done();
	arming(e);
	firing(e);
	ending(e);
	rule_gone();
	locked(e);
	hook_values();
	retaking(e);
	set_back(e);
	stepped(e);
	drill(e);
	sync_settings();
	escalator_close(e);
	agent_config_free(&c);
	store_close(ingest);
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
