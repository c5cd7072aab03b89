/* Found children as cases, on a real database file: a sighting without
 * report_id makes a case keyed by its sighting_id (kind found, where it is
 * held and by whom, its other names), a later one from its finder corrects
 * it and one from another unit does not, a change that overtook it is held
 * until it comes, acks count for it; every case keeps its other names in
 * the case view; a link is kept with who said it and when; and a schema 4 file is brought to 5 with the other names
 * of the reports it holds. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/store.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/sample_store.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static char dir[64], db_path[300];

static int put(struct store *s, struct sample *sm, const char *region)
{
	sample_from(sm, "mp", region, "grp");
	return sample_store(s, sm, SAMPLE_NOW_MS);
}

/* A found child: no report_id, a Latin name, in custody at Itarsi. */
static void found_child(struct sample *sm, uint8_t n)
{
	sample_make(sm, RAKSHA_KIND_SIGHTING);
	sm->sighting.report_id = (ProtobufCBinaryData){0, NULL};
	sm->sighting.child = &sm->child;
	sm->sighting_id[15] = n;
	sm->child.name = "Sima";
	sm->other_names[0] = "Seema";
	sm->child.n_other_names = 1;
	sm->place.description = "platform 2, with the RPF";
	sm->place.station_code = "ET";
}

static const char *q(struct store *s, const char *sql)
{
	return db_text(store_db(s), sql);
}

static void test_found_case(struct store *s)
{
	struct sample f;
	found_child(&f, 1);
	is_int(put(s, &f, "itarsi"), 1, "a found child is stored");
	char id[40];
	snprintf(id, sizeof(id), "%s", q(s, "SELECT hex(report_id) FROM cases WHERE kind = 'found'"));
	ok(strncmp(id, "01936E2B11117CCCADDD12345678", 28) == 0, "  a case keyed by its sighting_id (%s)", id);
	is_str(q(s, "SELECT child_name || ' [' || other_names || '] ' || place || ' ' || in_custody || ' '"
		 " || region || '/' || agency || ' ' || station || ' ' || status FROM cases WHERE kind = 'found'"),
	       "Sima [Seema] platform 2, with the RPF 1 itarsi/grp ET open",
	       "  its child, where it is held and by whom, open");
	is_str(q(s, "SELECT count(*) FROM messages m JOIN cases c ON m.report_id = c.report_id"
		 " WHERE c.kind = 'found' AND m.kind = 'sighting'"), "1", "  its message is the case's");
	found_child(&f, 1);
	f.child.name = "Sima Kumari";
	is_int(put(s, &f, "bhopal"), 1, "the same sighting_id from another unit is logged");
	is_str(q(s, "SELECT child_name || ' ' || region FROM cases WHERE kind = 'found'"), "Sima itarsi",
	       "  but does not change the case");
	is_int(put(s, &f, "itarsi"), 1, "its finder's correction is logged");
	is_str(q(s, "SELECT child_name || ' ' || region FROM cases WHERE kind = 'found'"), "Sima Kumari itarsi",
	       "  and changes the case");
	struct sample a;
	sample_make(&a, RAKSHA_KIND_ACK);
	memcpy(a.report_id, f.sighting_id, 16);
	is_int(put(s, &a, "bhopal"), 1, "an ack of the found case");
	is_str(q(s, "SELECT count(*) FROM acks a JOIN cases c ON a.report_id = c.report_id"
		 " WHERE c.kind = 'found'"), "1", "  counts for it");
}

static void test_held_for_found(struct store *s)
{
	struct sample u, f;
	sample_make(&u, RAKSHA_KIND_UPDATE);
	u.update.status = RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED;
	found_child(&f, 2);
	memcpy(u.report_id, f.sighting_id, 16);
	is_int(put(s, &u, "itarsi"), 0, "a close before its found child is held");
	is_str(q(s, "SELECT count(*) FROM held"), "1", "  (one held)");
	is_int(put(s, &f, "itarsi"), 1, "the found child arrives");
	is_str(q(s, "SELECT status FROM cases WHERE kind = 'found' AND hex(report_id) LIKE '%02'"), "closed",
	       "  and the close, its finder's, is taken then");
	is_str(q(s, "SELECT count(*) FROM held"), "0", "  (none held)");
}

static void test_report_names(struct store *s)
{
	struct sample r;
	sample_make(&r, RAKSHA_KIND_REPORT);
	is_int(put(s, &r, "bhopal"), 1, "a report");
	is_str(q(s, "SELECT kind || ' ' || other_names FROM cases WHERE child_name = 'सीमा कुमारी'"),
	       "report Seema Kumari, Seemu", "  keeps its other names in the case view");
	r.report.revision = 2;
	r.child.n_other_names = 1;
	is_int(put(s, &r, "bhopal"), 1, "its revision with one other name");
	is_str(q(s, "SELECT other_names FROM cases WHERE child_name = 'सीमा कुमारी'"), "Seema Kumari",
	       "  keeps that one");
	struct sample f;
	found_child(&f, 3);
	memcpy(f.sighting_id, r.report_id, 16);
	is_int(put(s, &f, "bhopal"), 1, "a found child under the report's id is logged");
	is_str(q(s, "SELECT kind || ' ' || child_name FROM cases WHERE report_id = (SELECT report_id FROM"
		 " cases WHERE child_name = 'सीमा कुमारी')"), "report सीमा कुमारी", "  and leaves the report alone");
}

static void test_link(struct store *s)
{
	struct sample l;
	sample_make(&l, RAKSHA_KIND_LINK);
	l.sighting_id[15] = 1;  /* the first found child, Sima Kumari */
	l.origin.unit = "Childline Vidisha";
	sample_from(&l, "mp", "vidisha", "childline");
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	ok(sample_encode(&l, SAMPLE_NOW_MS - 1000, &o, &buf, &len) == 0, "a link, from another unit");
	is_int(store_envelope(s, l.topic, &l.env, buf, len, SAMPLE_NOW_MS), 1, "  is stored");
	free(buf);
	is_str(q(s, "SELECT f.child_name || ' is ' || r.child_name || ', by ' || l.by || ' (' || l.unit || ') at '"
		 " || l.at_ms || ': ' || l.notes FROM links l JOIN cases f ON f.report_id = l.found_id"
		 " JOIN cases r ON r.report_id = l.report_id"),
	       "Sima Kumari is सीमा कुमारी, by mp/vidisha/childline (Childline Vidisha) at 1795926899000:"
	       " mother identified her photo", "  found child and report, who linked them, when and why");
	is_str(q(s, "SELECT count(*) FROM messages m JOIN links l ON l.seq = m.seq AND l.report_id = m.report_id"
		 " WHERE m.kind = 'link'"), "1", "  its message is the report's, and the link's row names it");
	is_str(q(s, "SELECT status FROM cases WHERE kind = 'found' AND child_name = 'Sima Kumari'"), "open",
	       "  the found case's status is its own");
}

/* The file as schema 4 left it: no found cases, no other names. */
static int make_schema_4(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	int rc = sqlite3_exec(db, "DELETE FROM cases WHERE kind = 'found'; DROP TABLE links; DROP TABLE matches;"
			      " DROP INDEX cases_found; ALTER TABLE cases DROP COLUMN match_facts;"
			      " ALTER TABLE cases DROP COLUMN kind; ALTER TABLE cases DROP COLUMN other_names;"
			      " ALTER TABLE cases DROP COLUMN place; ALTER TABLE cases DROP COLUMN in_custody;"
			      " PRAGMA user_version = 4", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static void test_migration(void)
{
	is_int(make_schema_4(db_path), 0, "the file made schema 4");
	struct store *s;
	char err[256] = "";
	is_int(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "opened (%s)", err);
	is_str(q(s, "PRAGMA user_version"), "5", "  brought to schema 5");
	is_str(q(s, "SELECT kind || ' ' || other_names FROM cases WHERE child_name = 'सीमा कुमारी'"),
	       "report Seema Kumari", "  the report's other names, from its latest revision");
	struct sample f;
	found_child(&f, 4);
	is_int(put(s, &f, "itarsi"), 1, "a found child after the migration");
	is_str(q(s, "SELECT count(*) FROM cases WHERE kind = 'found'"), "1", "  is a case");
	store_close(s);
}

int main(void)
{
	struct store *s;
	char err[256] = "";
	ok(tmpdir_make(dir, "store-found") == 0, "temporary folder");
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	is_int(store_open(db_path, DURABILITY_CRASH, &s, err, sizeof(err)), 0, "opened (%s)", err);
	test_found_case(s);
	test_held_for_found(s);
	test_report_names(s);
	test_link(s);
	store_close(s);
	test_migration();
	tmpdir_remove(dir);
	return tap_done();
}
