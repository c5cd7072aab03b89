/* The readable line of an event (subscriber/history/display.c), as the
 * agent logs it and raksha-replay prints it: a drill marked first, by its
 * own flag (a report, a sighting, an escalation) or its case's (an ack, an
 * update), a real case never; a sighting's fields apart, with custody and
 * the place. And the case's drill flag as the agent and raksha-replay read
 * it from a real database written by the agent's store (history.c):
 * history_case_drill() and each history row's exercise. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/store.h"
#include "history/display.h"
#include "history/history.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define ID "01936e29-0000-7aaa-9bbb-ccddeeff0011"

static const char *line(const raksha_envelope *env, bool case_drill)
{
	static char out[1024];
	display_line(env, case_drill, out, sizeof(out));
	return out;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void drills(void)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	ok(starts(line(env, false), "DRILL REPORT mp/bhopal/grp  सीमा कुमारी, 9, F"),
	   "a drill report: DRILL first (%s)", line(env, false));
	s.report.exercise = 0;
	ok(starts(line(env, true), "REPORT mp/bhopal/grp  "), "a real report: REPORT, whatever its case says");
	env = sample_make(&s, RAKSHA_KIND_ACK);
	is_str(line(env, true), "DRILL ACK mp/bhopal/grp  acting (GRP Post Bhopal Jn)  id " ID,
	       "an ack of a drill case");
	is_str(line(env, false), "ACK mp/bhopal/grp  acting (GRP Post Bhopal Jn)  id " ID,
	       "an ack of a real case");
	env = sample_make(&s, RAKSHA_KIND_UPDATE);
	ok(starts(line(env, true), "DRILL UPDATE mp/bhopal/grp  found"), "an update of a drill case");
	ok(starts(line(env, false), "UPDATE mp/bhopal/grp  found"), "an update of a real case");
	env = sample_make(&s, RAKSHA_KIND_ESCALATION);
	s.escalation.exercise = 1;
	ok(starts(line(env, false), "DRILL ESCALATION mp/bhopal/grp  level 1"),
	   "an escalation that says it is a drill, of a case this agent does not know");
	s.escalation.exercise = 0;
	ok(starts(line(env, true), "DRILL ESCALATION "), "  one that does not, of a drill case");
	ok(starts(line(env, false), "ESCALATION mp/bhopal/grp  level 1: no ack"), "  one of a real case");
	env = sample_make(&s, RAKSHA_KIND_SIGHTING);
	s.sighting.exercise = 1;
	ok(starts(line(env, false), "DRILL SIGHTING "), "a drill sighting, by its own flag");
	s.sighting.exercise = 0;
	ok(starts(line(env, true), "DRILL SIGHTING "), "  by its case's");
	ok(starts(line(env, false), "SIGHTING "), "  a real one");
	env = sample_make(&s, RAKSHA_KIND_AGENT);
	ok(starts(line(env, true), "AGENT mp/bhopal/grp  mp-bhopal-grp-1 online"), "presence is never a drill");
}

static void sightings(void)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_SIGHTING);
	is_str(line(env, false), "SIGHTING mp/bhopal/grp  seen; in custody; at BPL 12627 coach S4 03:35"
	       " \"platform 1, near the tea stall\"  id " ID,
	       "a sighting of a case: in custody, the station, train, coach, time and place");
	s.sighting.report_id = (ProtobufCBinaryData){0, NULL};
	s.sighting.child = &s.child;
	s.sighting.in_custody = 0;
	s.child.name = "";
	s.child.age_case = RAKSHA__V1__CHILD__AGE_AGE_RANGE;
	s.age_range.min_years = 6;
	s.age_range.max_years = 8;
	s.child.age_range = &s.age_range;
	s.child.gender = RAKSHA__V1__GENDER__GENDER_MALE;
	s.place.train_number = "";
	s.place.coach = "";
	s.place.time_ms = 0;
	is_str(line(env, false), "SIGHTING mp/bhopal/grp  found child, no report: (name unknown), 6-8, M;"
	       " not in custody; at BPL \"platform 1, near the tea stall\"",
	       "a found child: its fields apart, not in custody, the place");
	s.sighting.place = NULL;
	is_str(line(env, false), "SIGHTING mp/bhopal/grp  found child, no report: (name unknown), 6-8, M;"
	       " not in custody", "  no place: none said");
}

/* Stores @s's envelope (case @last byte @n) as the agent does. */
static int put(struct store *st, struct sample *s, int n, int64_t at)
{
	uint8_t *buf;
	size_t len;
	s->report_id[15] = (uint8_t)n;
	raksha_envelope_stamp(&s->env, s->message_id);
	s->env.sent_at_ms = SAMPLE_NOW_MS;
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	struct raksha_problem p = {0};
	if (raksha_envelope_encode(&s->env, s->topic, &o, &buf, &len, &p) < 0) {
		printf("# %s\n", p.text);
		return -1;
	}
	int r = store_envelope(st, s->topic, &s->env, buf, len, at);
	free(buf);
	return r;
}

static int collect(void *ctx, const struct history_row *row)
{
	char *out = ctx;
	size_t n = strlen(out);
	const char *kind = row->kind != NULL ? row->kind : "refused";
	snprintf(out + n, 256 - n, "%s%s %d", n ? ", " : "", kind, row->exercise);
	return 0;
}

static void database(const char *dir)
{
	char path[128], err[256] = "", rows[256] = "";
	struct store *st;
	struct sample s;
	snprintf(path, sizeof(path), "%s/agent.db", dir);
	is_int(store_open(path, DURABILITY_CRASH, &st, err, sizeof(err)), 0, "a database (%s)", err);
	sample_make(&s, RAKSHA_KIND_REPORT);
	ok(put(st, &s, 1, SAMPLE_NOW_MS) == 1, "case 1: a drill report");
	s.report.exercise = 0;
	ok(put(st, &s, 2, SAMPLE_NOW_MS) == 1, "case 2: a real report");
	sample_make(&s, RAKSHA_KIND_ACK);
	ok(put(st, &s, 1, SAMPLE_NOW_MS) == 1 && put(st, &s, 2, SAMPLE_NOW_MS) == 1, "an ack of each");
	sample_make(&s, RAKSHA_KIND_UPDATE);
	s.update.status = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CANCELLED;
	sample_from(&s, "mp", "itarsi", "rpf");
	ok(put(st, &s, 1, SAMPLE_NOW_MS + 1) == 0, "a cancel of case 1 from another unit, later: refused (not-owner)");
	raksha_envelope *ack = sample_make(&s, RAKSHA_KIND_ACK);
	sqlite3 *db = store_db(st);
	struct history_drill d = {.db = db};
	s.report_id[15] = 1;
	ok(history_case_drill(&d, ack), "history_case_drill: the ack of case 1 is of a drill");
	s.report_id[15] = 2;
	ok(!history_case_drill(&d, ack), "  that of case 2 is not");
	s.report_id[15] = 3;
	ok(!history_case_drill(&d, ack), "  nor that of a case with no row");
	struct history_filter f = {0};
	bool none = history_case_drill(&d, ack);
	s.report_id[15] = 1;
	ok(!none && history_case_drill(&d, ack), "  its statement kept: the same answers again");
	history_drill_close(&d);
	history_each(db, &f, collect, rows);
	is_str(rows, "report 1, report 0, ack 1, ack 0", "history rows: the case's flag on each");
	/* A whole case, as raksha-replay --report asks for it: with the
	 * changes the agent refused (a query of its own), and without. */
	f = (struct history_filter){.has_report = true, .with_refused = true};
	memcpy(f.report_id, s.report_id, sizeof(f.report_id));
	rows[0] = '\0';
	history_each(db, &f, collect, rows);
	is_str(rows, "report 1, ack 1, refused 1", "  a drill case with its refused change: the flag on each");
	f.with_refused = false;
	rows[0] = '\0';
	history_each(db, &f, collect, rows);
	is_str(rows, "report 1, ack 1", "  and without them");
	store_close(st);
}

int main(void)
{
	char dir[64];
	setenv("TZ", "UTC", 1);
	tzset();
	if (tmpdir_make(dir, "display") < 0)
		return 1;
	drills();
	sightings();
	database(dir);
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
