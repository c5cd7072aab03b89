/* Matching wired into the escalator, on a real database, with the real ICU:
 * a found child (Latin name) against the open reports, a report
 * (Devanagari) against the open found children; each case's facts written
 * once and read back the same; a report of another child, or of a closed
 * case, not suggested; a dismissed pair not suggested again; a linked
 * found child not compared; a report from before schema 5 (no facts)
 * compared from its envelope; a report with no found child open to compare
 * it with is not keyed, and an earlier revision's facts are not kept as
 * its own. Nothing is linked. The found children are
 * read by an index of their own; a pair the board dismissed beside the
 * database is taken. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/config.h"
#include "agent/dismissed.h"
#include "agent/escalator_impl.h"
#include "agent/store.h"
#include "common/clock.h"
#include "common/log.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/sample_store.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static char dir[64], db_path[128], conf_path[128], outbox_path[128];
static struct store *ingest;

static const char config[] =
	"[agent]\nid = bpl-grp-1\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = %s\noutbox = %s\n"
	"[broker]\nurl = mqtt://127.0.0.1:1\n[subscribe]\nfilter = raksha/#\n";

static const char *q(const char *sql)
{
	return db_text(store_db(ingest), sql);
}

static int put(struct sample *s)
{
	return sample_store(ingest, s, SAMPLE_NOW_MS);
}

/* A report of case @n: @name, @age, female, last seen at ET. */
static int report(int n, const char *name, unsigned age)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_REPORT);
	s.report_id[15] = (uint8_t)n;
	s.child.name = (char *)name;
	s.child.n_other_names = 0;
	s.child.age_case = RAKSHA__V1__CHILD__AGE_AGE_YEARS;
	s.child.age_years = age;
	s.place.station_code = "ET";
	s.place.train_number = "";
	s.place.time_ms = SAMPLE_NOW_MS - 3600000;
	sample_from(&s, "mp", "sagar", "police");
	return put(&s);
}

/* Found child @n: Sima, 9, female, at ET. */
static int found(int n)
{
	struct sample s;
	sample_make(&s, RAKSHA_KIND_SIGHTING);
	s.sighting.report_id = (ProtobufCBinaryData){0, NULL};
	s.sighting.child = &s.child;
	s.sighting_id[15] = (uint8_t)n;
	s.child.name = "Sima";
	s.child.n_other_names = 0;
	s.child.age_case = RAKSHA__V1__CHILD__AGE_AGE_YEARS;
	s.child.age_years = 9;
	s.place.station_code = "ET";
	s.place.train_number = "";
	s.place.time_ms = SAMPLE_NOW_MS - 60000;
	sample_from(&s, "mp", "itarsi", "rpf");
	return put(&s);
}

static const char *match_of(int found_n, int report_n)
{
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT state || ' ' || (score >= %d) || ' ' || why FROM matches"
		 " WHERE hex(found_id) LIKE '%%%02X' AND hex(report_id) LIKE '%%%02X'", MATCH_THRESHOLD,
		 found_n, report_n);
	return q(sql);
}

static void test_facts(struct escalator *e)
{
	struct match_person p, back;
	const char *facts = q("SELECT match_facts FROM cases WHERE kind = 'found' AND hex(report_id) LIKE '%01'");
	ok(escalator_facts_parse(facts, &p) == 0, "a found child's facts are written, and read back");
	ok(p.n_names == 1 && strcmp(p.names[0], "Sima") == 0 && strcmp(p.keys[0], "sim") == 0 &&
	   p.age_min == 9 && p.age_max == 9 && p.gender == RAKSHA__V1__GENDER__GENDER_FEMALE &&
	   strcmp(p.station, "ET") == 0, "  name, key, age, gender, station (key '%s')", p.keys[0]);
	char text[4096];
	ok(escalator_facts_format(&p, text, sizeof(text)) == 0 && escalator_facts_parse(text, &back) == 0 &&
	   memcmp(&p, &back, sizeof(p)) == 0, "  formatted again, the same facts");
	ok(escalator_facts_parse("f0\x1f" "1", &back) == -EINVAL, "another version's facts are not read");
	(void)e;
	/* Each new report reads the open found children: few among many
	 * reports, by the partial index (bench/match-scan: quadratic without). */
	sqlite3_stmt *st;
	char plan[400] = "";
	if (sqlite3_prepare_v2(store_db(ingest), "EXPLAIN QUERY PLAN SELECT report_id FROM cases c WHERE"
			       " c.kind = 'found' AND c.status = 'open'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(plan, sizeof(plan), "%s", sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	ok(strstr(plan, "cases_found") != NULL, "the open found children are read by their index (%s)", plan);
}

static void test_matching(struct escalator *e)
{
	is_int(report(1, "सीमा कुमारी", 9), 1, "a report in Devanagari, 9, at ET");
	is_int(report(2, "Anita", 9), 1, "a report of another child");
	is_int(report(3, "Seema", 9), 1, "a report of Seema, later closed");
	struct sample u;
	sample_make(&u, RAKSHA_KIND_UPDATE);
	u.report_id[15] = 3;
	u.update.status = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED;
	sample_from(&u, "mp", "sagar", "police");
	is_int(put(&u), 1, "  closed");
	/* A report from before schema 5: the escalator has passed it, and it has no facts. */
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	sqlite3_exec(store_db(ingest), "UPDATE cases SET match_facts = NULL WHERE hex(report_id) LIKE '%01'",
		     NULL, NULL, NULL);
	is_int(found(1), 1, "then a found child, Sima, 9, at ET");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	const char *m = match_of(1, 1);
	ok(strncmp(m, "suggested 1 name Sima~सीमा", 26) == 0, "a possible match with the Devanagari report: %s", m);
	is_str(q("SELECT match_facts IS NOT NULL FROM cases WHERE hex(report_id) LIKE '%01' AND kind = 'report'"),
	       "1", "  whose facts, missing, were made from its envelope");
	is_str(match_of(1, 2), "", "  none with another child's report");
	is_str(match_of(1, 3), "", "  none with a closed case");
	is_str(q("SELECT count(*) FROM links"), "0", "  nothing linked");
	sqlite3_exec(store_db(ingest), "UPDATE matches SET state = 'dismissed'", NULL, NULL, NULL);
	is_int(report(1, "सीमा कुमारी", 9), 1, "a person dismissed it; the report is revised");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	ok(strncmp(match_of(1, 1), "dismissed", 9) == 0, "  the dismissed pair stays dismissed");
	is_int(report(4, "सीमा", 9), 1, "a new report, सीमा, 9, at ET");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	ok(strncmp(match_of(1, 4), "suggested 1 ", 12) == 0, "  suggested for the open found child: %s",
	   match_of(1, 4));
	struct sample l;
	sample_make(&l, RAKSHA_KIND_LINK);
	l.sighting_id[15] = 1;
	l.report_id[15] = 4;
	sample_from(&l, "mp", "sagar", "police");
	is_int(put(&l), 1, "a person links them");
	ok(strncmp(match_of(1, 4), "confirmed", 9) == 0, "  the suggestion is confirmed");
	is_int(report(5, "सीमा", 9), 1, "another report like hers");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	is_str(match_of(1, 5), "", "  a linked found child is not compared again");
	is_str(q("SELECT count(*) FROM cases WHERE kind = 'report' AND hex(report_id) LIKE '%05'"
		 " AND match_facts IS NULL"), "1", "  nor keyed, with no found child open to compare it with");
	is_str(q("SELECT match_facts IS NOT NULL FROM cases WHERE hex(report_id) LIKE '%04' AND kind = 'report'"),
	       "1", "report 4 holds the facts it was compared with");
	is_int(report(4, "Meena", 9), 1, "  revised, with no found child open");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	is_str(q("SELECT match_facts IS NULL FROM cases WHERE hex(report_id) LIKE '%04' AND kind = 'report'"),
	       "1", "  the earlier revision's facts are gone, not taken for this one's");
}

/* What the board's d says beside the database (agent/dismissed.c). */
static void test_dismissed(struct escalator *e)
{
	is_int(found(7), 1, "another found child like her");
	is_int(escalator_scan(e, clock_wall_ms()), 0, "the escalator looks");
	ok(strncmp(match_of(7, 5), "suggested", 9) == 0, "  suggested for report 5");
	uint8_t f[RAKSHA_UUID_LEN], r[RAKSHA_UUID_LEN];
	sqlite3_stmt *st;
	sqlite3_prepare_v2(store_db(ingest), "SELECT found_id, report_id FROM matches WHERE hex(found_id) LIKE '%07'"
			   " AND hex(report_id) LIKE '%05'", -1, &st, NULL);
	ok(sqlite3_step(st) == SQLITE_ROW, "  its ids");
	memcpy(f, sqlite3_column_blob(st, 0), RAKSHA_UUID_LEN);
	memcpy(r, sqlite3_column_blob(st, 1), RAKSHA_UUID_LEN);
	sqlite3_finalize(st);
	is_int(dismissed_put(db_path, f, r), 0, "the board dismisses it: a file beside the database");
	char junk[200], folder[160];
	dismissed_dir(db_path, folder, sizeof(folder));
	snprintf(junk, sizeof(junk), "%s/not-a-pair", folder);
	fclose(fopen(junk, "w"));
	bool more = true;
	is_int(dismissed_take(ingest, db_path, &more), 1, "the agent takes one pair");
	ok(!more, "  and says the folder held no more than it took");
	ok(strncmp(match_of(7, 5), "dismissed", 9) == 0, "  marked dismissed");
	ok(access(junk, F_OK) != 0, "  and the folder emptied, what is not a pair too");
	is_int(dismissed_take(ingest, db_path, &more), 0, "  nothing the next time");
}

int main(void)
{
	if (tmpdir_make(dir, "escalator-match") < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/agent.conf", dir);
	snprintf(outbox_path, sizeof(outbox_path), "%s/outbox", dir);
	log_init(LOG_STYLE_PLAIN);
	FILE *f = fopen(conf_path, "w");
	fprintf(f, config, db_path, outbox_path);
	fclose(f);
	char err[256];
	struct agent_config c;
	struct escalator *e;
	if (!ok(agent_config_load(conf_path, &c) == 0, "the configuration") ||
	    !ok(store_open(db_path, DURABILITY_CRASH, &ingest, err, sizeof(err)) == 0, "the database") ||
	    !ok(escalator_open(&c, NULL, &e) == 0, "the escalator, without its thread") ||
	    !ok(e->keyer == NULL, "  its keyer not opened yet (at the first name: escalator_keyer())") ||
	    !ok(escalator_keyer(e) != NULL && escalator_keyer(e) == e->keyer, "  then opened once"))
		return tap_done();
	test_matching(e);
	test_facts(e);
	test_dismissed(e);
	escalator_close(e);
	agent_config_free(&c);
	store_close(ingest);
	tmpdir_remove(dir);
	return tap_done();
}
