/* Who may change a case, on a real database file and a real roster: the
 * owner's revisions in small steps, another unit's revision, cancel, close
 * and reopen refused (kept in rejected as not-owner, with the case's id),
 * a supervisor's taken, a finder's found taken and who said so kept,
 * arrival order over the sender's clock, and changes that overtook their
 * report held until it comes. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <raksha/sign.h>

#include "agent/prune.h"
#include "agent/store.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define HOUR (3600 * 1000LL)

static char dir[64], db_path[300];
static struct raksha_trust_store *roster;

static bool supervisor(void *ctx, const Raksha__V1__Origin *o)
{
	(void)ctx;
	return raksha_trust_store_supervisor(roster, o->sender_id, o->state, o->region, o->agency);
}

/* @sm as sent by @sender_id of @state/@region/@agency at @sent (arriving
 * then), case @n, a fresh message id. */
static int put(struct store *s, struct sample *sm, int n, const char *state, const char *region,
	       const char *sender_id, int64_t sent)
{
	sm->report_id[15] = (uint8_t)n;
	sm->origin.sender_id = (char *)sender_id;
	sample_from(sm, state, region, "grp");
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	if (sample_encode(sm, sent, &o, &buf, &len) < 0)
		return -100;
	int r = store_envelope(s, sm->topic, &sm->env, buf, len, SAMPLE_NOW_MS);
	free(buf);
	return r;
}

static int report(struct store *s, int n, const char *state, const char *region, unsigned revision,
		  const char *name)
{
	struct sample sm;
	sample_make(&sm, RAKSHA_KIND_REPORT);
	sm.report.revision = revision;
	sm.child.name = (char *)name;
	const char *sender_id = strcmp(region, "sp-bhopal") == 0 ? "sp-1" : "u-1";
	return put(s, &sm, n, state, region, sender_id, SAMPLE_NOW_MS);
}

static int update(struct store *s, int n, const char *state, const char *region, const char *sender_id,
		  Raksha__V1__UpdateStatus status, int64_t sent)
{
	struct sample sm;
	sample_make(&sm, RAKSHA_KIND_UPDATE);
	sm.update.status = status;
	return put(s, &sm, n, state, region, sender_id, sent);
}

static const char *case_text(int n, const char *what)
{
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT %s FROM cases WHERE hex(report_id) LIKE '%%%02X'", what, n);
	return db_file_text(db_path, sql);
}

static const char *rejected_text(int n, const char *what)
{
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT group_concat(%s, ' | ') FROM rejected WHERE hex(report_id) LIKE '%%%02X'",
		 what, n);
	return db_file_text(db_path, sql);
}

static void test_revisions(struct store *s)
{
	is_int(report(s, 1, "mp", "bhopal", 1, "Seema"), 1, "mp/bhopal/grp reports case 1");
	is_int(report(s, 1, "up", "lucknow", 4294967295u, "Someone Else"), 0,
	       "up/lucknow/grp's revision 4294967295 of it is not taken");
	is_str(case_text(1, "child_name || ' ' || state || '/' || region || ' ' || revision || ' ' || status"),
	       "Seema mp/bhopal 1 open", "  the name, origin, revision and status are the owner's");
	is_str(rejected_text(1, "cause"), "not-owner", "  kept in rejected, cause not-owner, for the case");
	ok(strstr(rejected_text(1, "reason"), "revision 4294967295 from up/lucknow/grp") != NULL &&
	   strstr(rejected_text(1, "reason"), "the case is mp/bhopal/grp's") != NULL,
	   "  the reason names both units: %s", rejected_text(1, "reason"));
	is_str(db_file_text(db_path, "SELECT count(*) FROM messages WHERE kind = 'report'"), "1",
	       "  and the log has only the owner's report");
	is_int(report(s, 1, "mp", "bhopal", 2, "Seema Kumari"), 1, "the owner's revision 2");
	is_str(case_text(1, "child_name || ' ' || revision"), "Seema Kumari 2", "  is taken");
	is_int(report(s, 1, "mp", "bhopal", 2 + STORE_REVISION_STEP_MAX + 1, "Jump"), 0,
	       "the owner's revision %d (a jump of more than %d)", 3 + STORE_REVISION_STEP_MAX,
	       STORE_REVISION_STEP_MAX);
	is_str(case_text(1, "revision"), "2", "  is not taken");
	is_str(rejected_text(1, "cause"), "not-owner | invalid", "  refused as invalid");
	is_int(report(s, 1, "mp", "bhopal", 2 + STORE_REVISION_STEP_MAX, "Seema K."), 1,
	       "a step of %d is taken", STORE_REVISION_STEP_MAX);
	is_int(report(s, 1, "mp", "sp-bhopal", 2 + STORE_REVISION_STEP_MAX + 1, "By the SP"), 1,
	       "a supervisor's revision");
	is_str(case_text(1, "child_name || ' ' || state || '/' || region"), "By the SP mp/bhopal",
	       "  is taken, and the case stays the owner's");
}

static void test_status(struct store *s)
{
	const Raksha__V1__UpdateStatus closed = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED;
	report(s, 2, "mp", "bhopal", 1, "Raju");
	is_int(update(s, 2, "up", "lucknow", "u-1", RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CANCELLED,
		      SAMPLE_NOW_MS), 0, "another state's cancel of case 2");
	is_str(case_text(2, "status"), "open", "  is not taken");
	ok(strstr(rejected_text(2, "cause || ': ' || reason"), "not-owner: cancel from up/lucknow/grp") != NULL,
	   "  refused: %s", rejected_text(2, "reason"));
	is_int(update(s, 2, "up", "lucknow", "u-1", RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_FOUND,
		      SAMPLE_NOW_MS), 1, "its found (the finder's word)");
	is_str(case_text(2, "status || ' by ' || status_by"), "found by up/lucknow/grp", "  is taken, with who said so");
	is_int(update(s, 2, "mp", "sp-bhopal", "not-the-sp", closed, SAMPLE_NOW_MS), 0,
	       "a close from the supervisor's unit under another id");
	is_str(case_text(2, "status"), "found", "  is not taken (the roster names the supervisor by id and unit)");
	is_int(update(s, 2, "mp", "sp-bhopal", "sp-1", closed, SAMPLE_NOW_MS + 23 * HOUR), 1,
	       "the supervisor's close, dated 23 h ahead");
	is_str(case_text(2, "status || ' by ' || status_by"), "closed by mp/sp-bhopal/grp", "  is taken");
	is_int(update(s, 2, "mp", "bhopal", "u-1", RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_REOPENED,
		      SAMPLE_NOW_MS + 1000), 1, "the owner's reopen, dated now, arriving after it");
	is_str(case_text(2, "status"), "open", "  wins: arrival order, not the sender's clock");
	is_int(report(s, 2, "mp", "bhopal", 2, "Raju K."), 1, "the owner's revision 2");
	is_str(case_text(2, "child_name || ' ' || status"), "Raju K. open", "  is taken, still open");
}

static void test_held(struct store *s)
{
	const Raksha__V1__UpdateStatus closed = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED;
	is_int(update(s, 3, "up", "lucknow", "u-1", closed, SAMPLE_NOW_MS), 0,
	       "another unit's close of case 3, whose report has not arrived");
	is_int(update(s, 3, "up", "lucknow", "u-1", RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_FOUND,
		      SAMPLE_NOW_MS), 1, "a found of it");
	is_str(db_file_text(db_path, "SELECT count(*) FROM held"), "1", "  the close is held, the found taken");
	is_int(report(s, 3, "mp", "bhopal", 1, "Meena"), 1, "the report arrives");
	is_str(case_text(3, "child_name || ' ' || status || ' by ' || status_by"), "Meena found by up/lucknow/grp",
	       "  the case is found (the report does not undo a found that overtook it)");
	is_str(rejected_text(3, "cause"), "not-owner", "  the held close, judged now, is refused");
	is_str(db_file_text(db_path, "SELECT count(*) FROM held"), "0", "  and nothing is held any more");

	is_int(update(s, 4, "mp", "bhopal", "u-1", closed, SAMPLE_NOW_MS), 0, "the owner's close of case 4, early");
	is_int(report(s, 4, "mp", "bhopal", 1, "Sonu"), 1, "then its report");
	is_str(case_text(4, "status"), "closed", "  the close is taken after it");
	is_str(db_file_text(db_path, "SELECT group_concat(kind) FROM (SELECT kind FROM messages"
			    " WHERE hex(report_id) LIKE '%04' ORDER BY seq)"), "report,update",
	       "  and logged after the report");

	update(s, 5, "mp", "bhopal", "u-1", closed, SAMPLE_NOW_MS);
	is_str(db_file_text(db_path, "SELECT count(*) FROM held"), "1", "a close of case 5, whose report never comes");
	int64_t cases, messages;
	prune_closed(s, SAMPLE_NOW_MS - 1, &cases, &messages);
	is_str(db_file_text(db_path, "SELECT count(*) FROM held"), "1", "  held while younger than the closed cases kept");
	prune_closed(s, SAMPLE_NOW_MS + 1, &cases, &messages);
	is_str(db_file_text(db_path, "SELECT count(*) FROM held"), "0", "  pruned with them");
}

int main(void)
{
	if (tmpdir_make(dir, "store-owner") < 0)
		return 1;
	char roster_path[300];
	snprintf(roster_path, sizeof(roster_path), "%s/units.csv", dir);
	FILE *f = fopen(roster_path, "we");
	fputs("id,state,region,agency,role\nu-1,mp,bhopal,grp,unit\nsp-1,mp,sp-bhopal,grp,supervisor\n", f);
	fclose(f);
	struct raksha_problem p;
	is_int(raksha_trust_store_load(roster_path, &roster, &p), 0, "the roster is read (%s)", p.text);
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	struct store *s;
	char err[256];
	is_int(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "database opens");
	store_set_supervisors(s, supervisor, NULL);
	test_revisions(s);
	test_status(s);
	test_held(s);
	store_close(s);
	raksha_trust_store_free(roster);
	tmpdir_remove(dir);
	return tap_done();
}
