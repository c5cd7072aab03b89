/* Matching wired into the escalator's look at each new message (docs/agent.md,
 * "Matching"): a new found child against the open reports (match_top), a
 * new report or revision against the open found children nobody linked
 * yet, each pair not dismissed. What it finds, and the facts of the case
 * it looked at, are written with the batch's timers (escalator_scan.c):
 * candidates become "suggested" rows of matches; nothing is linked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/escalator_impl.h"
#include "common/log.h"

/* Reports compared at once: a few hundred KiB of people, however many
 * reports are open. */
#define CHUNK 256
/* Candidates kept per found child. */
#define TOP_MAX 3

/* The open reports, each with its facts, but those dismissed for @found. */
static const char REPORTS_SQL[] =
	"SELECT c.report_id, c.report_seq, c.match_facts FROM cases c WHERE c.kind = 'report'"
	" AND c.status = 'open' AND c.child_name IS NOT NULL AND c.report_seq IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.found_id = ?1 AND m.report_id = c.report_id"
	"  AND m.state = 'dismissed')";
/* The open found children nobody has linked, with their best suggestion
 * so far, but those dismissed for @report. */
static const char FOUND_SQL[] =
	"SELECT c.report_id, c.report_seq, c.match_facts, (SELECT max(score) FROM matches m"
	"  WHERE m.found_id = c.report_id AND m.state = 'suggested' AND m.report_id <> ?1)"
	" FROM cases c WHERE c.kind = 'found' AND c.status = 'open' AND c.report_seq IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.found_id = c.report_id)"
	" AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.found_id = c.report_id AND m.report_id = ?1"
	"  AND m.state = 'dismissed')";

static int current(struct escalator *e, const uint8_t *id, int64_t seq);

static int grow(void **v, size_t n, size_t *cap, size_t each)
{
	if (n < *cap)
		return 0;
	size_t more_cap = *cap ? 2 * *cap : 16;
	void *more = realloc(*v, more_cap * each);
	if (more == NULL)
		return -ENOMEM;
	*v = more;
	*cap = more_cap;
	return 0;
}

/* The facts of @p for case @id at @seq, to write. */
static int keep_facts(struct escalator_matches *m, const uint8_t *id, int64_t seq, const struct match_person *p)
{
	char text[MATCH_NAMES * (MATCH_NAME_BYTES + MATCH_KEY_BYTES) + 200];
	if (escalator_facts_format(p, text, sizeof(text)) < 0)
		return 0;  /* cannot be: the buffer holds every field at its largest */
	int r = grow((void **)&m->facts, m->n_facts, &m->cap_facts, sizeof(*m->facts));
	if (r < 0)
		return r;
	struct escalator_facts *f = &m->facts[m->n_facts];
	memcpy(f->id, id, RAKSHA_UUID_LEN);
	f->seq = seq;
	f->text = strdup(text);
	if (f->text == NULL)
		return -ENOMEM;
	m->n_facts++;
	return 0;
}

static int keep_match(struct escalator_matches *m, const uint8_t *found, const uint8_t *report,
		      const struct match_result *res)
{
	int r = grow((void **)&m->rows, m->n, &m->cap, sizeof(*m->rows));
	if (r < 0)
		return r;
	struct escalator_match *x = &m->rows[m->n++];
	memcpy(x->found_id, found, RAKSHA_UUID_LEN);
	memcpy(x->report_id, report, RAKSHA_UUID_LEN);
	x->result = *res;
	return 0;
}

/* The facts of the row's case: as written, or (a case from before schema
 * 5, or written by another version) from its envelope, then kept. */
static int row_person(struct escalator *e, struct escalator_matches *m, sqlite3_stmt *st, struct match_person *p)
{
	const char *facts = (const char *)sqlite3_column_text(st, 2);
	if (escalator_facts_parse(facts, p) == 0)
		return 0;
	int64_t seq = sqlite3_column_int64(st, 1);
	int r = escalator_facts_of_seq(e, seq, p);
	if (r < 0)
		return r;
	return keep_facts(m, sqlite3_column_blob(st, 0), seq, p);
}

struct top {
	uint8_t ids[TOP_MAX][RAKSHA_UUID_LEN];
	struct match_candidate c[TOP_MAX];
	size_t n;
};

/* Puts a chunk's candidates into @t, best first, at most TOP_MAX. */
static void merge(struct top *t, const struct match_candidate *c, size_t n, uint8_t (*ids)[RAKSHA_UUID_LEN])
{
	for (size_t i = 0; i < n; i++) {
		size_t at = t->n;
		while (at > 0 && t->c[at - 1].result.score < c[i].result.score)
			at--;
		if (at == TOP_MAX)
			continue;
		size_t last = t->n < TOP_MAX ? t->n : TOP_MAX - 1;
		memmove(&t->c[at + 1], &t->c[at], (last - at) * sizeof(t->c[0]));
		memmove(t->ids[at + 1], t->ids[at], (last - at) * sizeof(t->ids[0]));
		t->c[at] = c[i];
		memcpy(t->ids[at], ids[c[i].index], RAKSHA_UUID_LEN);
		if (t->n < TOP_MAX)
			t->n++;
	}
}

/* One chunk of reports scored against @found, into @t. */
static void score_chunk(const struct match_person *found, const struct match_person *people, size_t n,
			uint8_t (*ids)[RAKSHA_UUID_LEN], struct top *t)
{
	struct match_candidate c[TOP_MAX];
	size_t k = match_top(found, people, n, MATCH_THRESHOLD, c, TOP_MAX);
	merge(t, c, k, ids);
}

struct chunk {
	struct match_person people[CHUNK];
	uint8_t ids[CHUNK][RAKSHA_UUID_LEN];
};

/* The found child @found_id (@found) against every open report. */
static int against_reports(struct escalator *e, struct escalator_matches *m, const uint8_t *found_id,
			   const struct match_person *found)
{
	sqlite3_stmt *st = store_cached(e->store, REPORTS_SQL);
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, found_id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	struct chunk *ch = malloc(sizeof(*ch));
	struct top t = {.n = 0};
	size_t n = 0;
	int rc = SQLITE_DONE, r = ch ? 0 : -ENOMEM;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != RAKSHA_UUID_LEN || row_person(e, m, st, &ch->people[n]) < 0)
			continue;  /* a report that no longer decodes is left out */
		memcpy(ch->ids[n], sqlite3_column_blob(st, 0), RAKSHA_UUID_LEN);
		if (++n == CHUNK) {
			score_chunk(found, ch->people, n, ch->ids, &t);
			n = 0;
		}
	}
	if (r == 0 && n > 0)
		score_chunk(found, ch->people, n, ch->ids, &t);
	store_cached_done(e->store, st);
	free(ch);
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	/* As match_top: those MATCH_GAP or more behind the best are left out. */
	for (size_t i = 0; r == 0 && i < t.n && t.c[i].result.score > t.c[0].result.score - MATCH_GAP; i++)
		r = keep_match(m, found_id, t.ids[i], &t.c[i].result);
	return r;
}

/* The report @report_id (@report) against every open found child not
 * linked yet: a pair is kept as match_top would among the child's
 * suggestions so far (at or above the threshold, less than MATCH_GAP
 * behind the best of them). */
static int against_found(struct escalator *e, struct escalator_matches *m, const uint8_t *report_id,
			 const struct match_person *report)
{
	sqlite3_stmt *st = store_cached(e->store, FOUND_SQL);
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, report_id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct match_person found;
		struct match_result res;
		if (sqlite3_column_bytes(st, 0) != RAKSHA_UUID_LEN || row_person(e, m, st, &found) < 0)
			continue;
		match_score(&found, report, &res);
		int best = sqlite3_column_int(st, 3);
		if (res.score >= MATCH_THRESHOLD && res.score > best - MATCH_GAP)
			r = keep_match(m, sqlite3_column_blob(st, 0), report_id, &res);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	store_cached_done(e->store, st);
	return r;
}

int escalator_match_look(struct escalator *e, struct escalator_matches *m, const raksha_envelope *env,
			 int64_t seq)
{
	bool found = store_is_found(env);
	if (!found && raksha_envelope_kind(env) != RAKSHA_KIND_REPORT)
		return 0;  /* a sighting of a report is that case's already */
	if (escalator_keyer(e) == NULL)
		return 0;
	const uint8_t *id = store_case_id(env)->data;
	int r = current(e, id, seq);
	if (r <= 0)
		return r;
	struct match_person p;
	if (escalator_facts_of_envelope(e, env, &p) < 0)
		return 0;  /* logged: this case is not compared */
	r = keep_facts(m, id, seq, &p);
	if (r < 0)
		return r;
	return found ? against_reports(e, m, id, &p) : against_found(e, m, id, &p);
}

/* Whether the message at @seq is its open case's latest word (an older
 * revision, or a found child's repeat that did not change the case, is
 * not compared) and the case is not a found child linked already. */
static int current(struct escalator *e, const uint8_t *id, int64_t seq)
{
	sqlite3_stmt *st = store_cached(e->store, "SELECT count(*) FROM cases c WHERE c.report_id = ?1"
					" AND c.report_seq = ?2 AND c.status = 'open' AND NOT EXISTS (SELECT 1 FROM"
					" links l WHERE l.found_id = c.report_id)");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) > 0 : store_errno(rc);
	store_cached_done(e->store, st);
	return r;
}

/* Runs @st (store_cached()'s), once, and gives it back. */
static int run_once(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	store_cached_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

static int write_facts(struct store *s, const struct escalator_facts *f)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE cases SET match_facts = ?3 WHERE report_id = ?1"
					" AND report_seq = ?2");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, f->id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->seq);
	sqlite3_bind_text(st, 3, f->text, -1, SQLITE_STATIC);
	return run_once(s, st);
}

/* A suggestion, new or scored again; one a person dismissed or confirmed
 * stays as they said. */
static int write_match(struct store *s, const struct escalator_match *x, int64_t now)
{
	sqlite3_stmt *st = store_cached(s, "INSERT INTO matches (found_id, report_id, score, why, at_ms)"
					" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (found_id, report_id) DO UPDATE SET"
					" score = excluded.score, why = excluded.why, at_ms = excluded.at_ms"
					" WHERE matches.state = 'suggested'");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, x->found_id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, x->report_id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, x->result.score);
	sqlite3_bind_text(st, 4, x->result.why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	return run_once(s, st);
}

int escalator_match_apply(struct store *s, const struct escalator_matches *m, int64_t now)
{
	for (size_t i = 0; i < m->n_facts; i++) {
		int r = write_facts(s, &m->facts[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < m->n; i++) {
		int r = write_match(s, &m->rows[i], now);
		if (r < 0)
			return r;
	}
	return 0;
}

void escalator_match_log(const struct escalator_matches *m)
{
	char found[RAKSHA_UUID_TEXT_LEN + 1], report[RAKSHA_UUID_TEXT_LEN + 1];
	for (size_t i = 0; i < m->n; i++) {
		raksha_uuid_format(m->rows[i].found_id, found);
		raksha_uuid_format(m->rows[i].report_id, report);
		log_line(LOG_NOTICE, "MATCH %d possible: found child %s may be report %s: %s",
			 m->rows[i].result.score, found, report, m->rows[i].result.why);
	}
}

void escalator_match_reset(struct escalator_matches *m)
{
	for (size_t i = 0; i < m->n_facts; i++)
		free(m->facts[i].text);
	m->n_facts = 0;
	m->n = 0;
}

void escalator_match_free(struct escalator_matches *m)
{
	escalator_match_reset(m);
	free(m->facts);
	free(m->rows);
	*m = (struct escalator_matches){0};
}
