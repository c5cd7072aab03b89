/* What a revision changed, as the desk's timeline says it
 * (subscriber/desk/desk_timeline_diff.c), on a real agent database: each
 * field an officer acts on that changed (and only those), with its old and
 * new value escaped; a long value cut at DESK_DIFF_VALUE_MAX bytes on a
 * character, never inside one; the revision before found past a late copy
 * of an older one; a revision that changed nothing of these, and one whose
 * predecessor is not stored, each said so. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "agent/store.h"
#include "desk/desk_db.h"
#include "desk/desk_timeline_diff.h"
#include "tests/lib/db_text.h"
#include "tests/lib/sample.h"
#include "tests/lib/sample_store.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static char dir[64], db_path[300];
static struct store *st;
static sqlite3 *db;

static int64_t put(struct sample *sm)
{
	is_int(sample_store(st, sm, SAMPLE_NOW_MS), 1, "revision %u stored", sm->report.revision);
	return atoll(db_text(store_db(st), "SELECT max(seq) FROM messages"));
}

/* The changes desk_timeline_diff() writes for @r stored at @seq. */
static const char *diff(const Raksha__V1__Report *r, int64_t seq)
{
	static char out[4096];
	struct desk_html h = {0};
	desk_timeline_diff(&h, db, r->report_id.data, seq, r);
	snprintf(out, sizeof(out), "%s", h.failed || h.buf == NULL ? "(failed)" : h.buf);
	desk_html_free(&h);
	return out;
}

/* A note of 121 bytes and more whose 120th byte is inside a character. */
static void long_notes(char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "x");
	while (n + strlen("सीमा ") < size)
		n += (size_t)snprintf(out + n, size - n, "सीमा ");
}

static void test_changes(struct sample *two, int64_t seq)
{
	const char *got = diff(&two->report, seq);
	ok(strstr(got, "<li>clothing: red frock, blue school sweater -> blue frock &lt;b&gt;</li>") != NULL,
	   "clothing: the old and the new value, escaped (%s)", got);
	ok(strstr(got, "<li>age: 9 -> 8-10</li>") != NULL, "age: a year to a range");
	ok(strstr(got, "<li>last seen: BPL 12627 S4 platform 1, near the tea stall -> ET 12627 S4 platform 1,"
		  " near the tea stall</li>") != NULL, "last seen: the place as the timeline writes it");
	ok(strstr(got, "<li>photos: 1 -> 1, others</li>") != NULL, "photos: as many, but others");
	ok(strstr(got, "name:") == NULL && strstr(got, "priority") == NULL && strstr(got, "marks") == NULL &&
	   strstr(got, "status") == NULL, "what did not change is not named");
	const char *notes = strstr(got, "<li>notes: Child may be taken towards Itarsi. -> ");
	ok(notes != NULL, "notes changed");
	const char *value = notes ? notes + strlen("<li>notes: Child may be taken towards Itarsi. -> ") : "";
	const char *end = strstr(value, "…</li>");
	ok(end != NULL && end - value <= DESK_DIFF_VALUE_MAX && end - value > DESK_DIFF_VALUE_MAX - 4,
	   "  a long value cut at %d bytes (%d), with …", DESK_DIFF_VALUE_MAX, end ? (int)(end - value) : -1);
	ok(strstr(got, "\\x") == NULL, "  on a character, not inside one (no \\xNN)");
}

int main(void)
{
	char err[256] = "", notes[400];
	struct sample one, two, late;
	ok(tmpdir_make(dir, "desk-timeline-diff") == 0, "temporary folder");
	snprintf(db_path, sizeof(db_path), "%s/agent.db", dir);
	is_int(store_open(db_path, DURABILITY_CRASH, &st, err, sizeof(err)), 0, "the agent's store (%s)", err);
	is_int(desk_db_open(db_path, &db, err, sizeof(err)), 0, "the desk's read-only view (%s)", err);
	sample_make(&one, RAKSHA_KIND_REPORT);
	int64_t seq1 = put(&one);
	sample_make(&two, RAKSHA_KIND_REPORT);
	two.report.revision = 2;
	two.child.clothing = "blue frock <b>";
	two.child.age_case = RAKSHA__V1__CHILD__AGE_AGE_RANGE;
	two.age_range.min_years = 8;
	two.age_range.max_years = 10;
	two.child.age_range = &two.age_range;
	two.place.station_code = "ET";
	long_notes(notes, sizeof(notes));
	two.report.notes = notes;
	two.photo_data[10] ^= 1;
	crypto_hash_sha256(two.photo_sha256, two.photo_data, sizeof(two.photo_data));
	int64_t seq2 = put(&two);
	test_changes(&two, seq2);
	is_str(diff(&two.report, seq1), " <span class=\"changes\">(the revision before is not stored here)</span>",
	       "a revision whose predecessor is not stored says so");

	sample_make(&late, RAKSHA_KIND_REPORT);  /* revision 1 again, arriving late */
	put(&late);
	two.report.revision = 3;
	two.report.priority = RAKSHA__V1__PRIORITY__PRIORITY_CRITICAL;
	int64_t seq3 = put(&two);
	is_str(diff(&two.report, seq3), "<ul class=\"changes\"><li>priority: urgent -> critical</li></ul>",
	       "against revision 2, not the late copy of revision 1 stored after it");
	two.report.revision = 4;
	int64_t seq4 = put(&two);
	ok(strstr(diff(&two.report, seq4), "(no change to name, age, clothing") != NULL,
	   "a revision that changed none of them says so");

	sqlite3_close(db);
	store_close(st);
	tmpdir_remove(dir);
	return tap_done();
}
