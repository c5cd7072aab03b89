/* Matching wired into the escalator's look at each new message (docs/agent.md,
 * "Matching"): a new found child against the open reports (match_top), a
 * new report or revision against the open found children nobody linked
 * yet, each pair not dismissed. What it finds, and the facts of the case
 * it looked at (made once there is a case to compare it with), are
 * written with the batch's timers (escalator_scan.c): candidates become
 * "suggested" rows of matches; nothing is linked. */
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

static int current(struct escalator *e, const uint8_t *id, int64_t seq, bool *had_facts);

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

/* The case being looked at: its envelope, keyed at the first case of the
 * other kind to compare it with (key()), not before: with none open, as
 * for a district's lone report most days, ICU is neither opened (159
 * million instructions, the first round of a fan-out to 1,000 agents) nor
 * run (94,000 a Devanagari name; docs/benchmarks.md, issue 19 part 1,
 * session 5). Its facts are then made when a case of the other kind comes
 * (row_person(), from the stored message). */
struct looked {
	const uint8_t *id;
	int64_t seq;
	const raksha_envelope *env;
	bool had_facts;           /* cases.match_facts holds some: maybe an earlier revision's */
	bool keyed;               /* its facts are kept, to write */
	struct match_person p;
};

/* Keys @l, and keeps its facts: 1, 0 if it cannot be keyed (no ICU, or a
 * name that cannot be: logged), or -errno. */
static int key(struct escalator *e, struct escalator_matches *m, struct looked *l)
{
	if (escalator_facts_of_envelope(e, l->env, &l->p) < 0)
		return 0;
	int r = keep_facts(m, l->id, l->seq, &l->p);
	if (r < 0)
		return r;
	l->keyed = true;
	return 1;
}

/* Steps @st, bound, to its first row, and keys @l if there is one: 1 (a
 * row, @l keyed), 0 (no case to compare with, or @l cannot be keyed), or
 * -errno; @st is given back unless 1. */
static int first_row(struct escalator *e, struct escalator_matches *m, struct looked *l, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int r = 0;
	if (rc == SQLITE_ROW)
		r = key(e, m, l);
	else if (rc != SQLITE_DONE)
		r = store_errno(rc);
	if (r <= 0)
		store_cached_done(e->store, st);
	return r;
}

/* The found child @l against every open report. */
static int against_reports(struct escalator *e, struct escalator_matches *m, struct looked *l)
{
	sqlite3_stmt *st = store_cached(e->store, REPORTS_SQL);
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, l->id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int r = first_row(e, m, l, st);
	if (r <= 0)
		return r;
	struct chunk *ch = malloc(sizeof(*ch));
	struct top t = {.n = 0};
	size_t n = 0;
	int rc = SQLITE_ROW;
	r = ch ? 0 : -ENOMEM;
	for (; r == 0 && rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (sqlite3_column_bytes(st, 0) != RAKSHA_UUID_LEN || row_person(e, m, st, &ch->people[n]) < 0)
			continue;  /* a report that no longer decodes is left out */
		memcpy(ch->ids[n], sqlite3_column_blob(st, 0), RAKSHA_UUID_LEN);
		if (++n == CHUNK) {
			score_chunk(&l->p, ch->people, n, ch->ids, &t);
			n = 0;
		}
	}
	if (r == 0 && n > 0)
		score_chunk(&l->p, ch->people, n, ch->ids, &t);
	store_cached_done(e->store, st);
	free(ch);
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	/* As match_top: those MATCH_GAP or more behind the best are left out. */
	for (size_t i = 0; r == 0 && i < t.n && t.c[i].result.score > t.c[0].result.score - MATCH_GAP; i++)
		r = keep_match(m, l->id, t.ids[i], &t.c[i].result);
	return r;
}

/* The report @l against every open found child not linked yet: a pair is
 * kept as match_top would among the child's suggestions so far (at or
 * above the threshold, less than MATCH_GAP behind the best of them). */
static int against_found(struct escalator *e, struct escalator_matches *m, struct looked *l)
{
	sqlite3_stmt *st = store_cached(e->store, FOUND_SQL);
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, l->id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int r = first_row(e, m, l, st);
	if (r <= 0)
		return r;
	int rc = SQLITE_ROW;
	for (r = 0; r == 0 && rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		struct match_person found;
		struct match_result res;
		if (sqlite3_column_bytes(st, 0) != RAKSHA_UUID_LEN || row_person(e, m, st, &found) < 0)
			continue;
		match_score(&found, &l->p, &res);
		int best = sqlite3_column_int(st, 3);
		if (res.score >= MATCH_THRESHOLD && res.score > best - MATCH_GAP)
			r = keep_match(m, sqlite3_column_blob(st, 0), l->id, &res);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	store_cached_done(e->store, st);
	return r;
}

/* Facts an earlier revision left (the committer keeps them): none rather
 * than another revision's, made again when a case comes to compare. */
static int forget_facts(struct escalator_matches *m, const uint8_t *id, int64_t seq)
{
	int r = grow((void **)&m->facts, m->n_facts, &m->cap_facts, sizeof(*m->facts));
	if (r < 0)
		return r;
	struct escalator_facts *f = &m->facts[m->n_facts++];
	memcpy(f->id, id, RAKSHA_UUID_LEN);
	f->seq = seq;
	f->text = NULL;
	return 0;
}

int escalator_match_look(struct escalator *e, struct escalator_matches *m, const raksha_envelope *env,
			 int64_t seq)
{
	bool found = store_is_found(env);
	if (!found && raksha_envelope_kind(env) != RAKSHA_KIND_REPORT)
		return 0;  /* a sighting of a report is that case's already */
	struct looked l = {.id = store_case_id(env)->data, .seq = seq, .env = env};
	int r = current(e, l.id, seq, &l.had_facts);
	if (r <= 0)
		return r;
	r = found ? against_reports(e, m, &l) : against_found(e, m, &l);
	if (r == 0 && l.had_facts && !l.keyed)
		r = forget_facts(m, l.id, seq);
	return r;
}

/* Whether the message at @seq is its open case's latest word (an older
 * revision, or a found child's repeat that did not change the case, is
 * not compared) and the case is not a found child linked already; and
 * whether the case holds facts (*@had_facts). */
static int current(struct escalator *e, const uint8_t *id, int64_t seq, bool *had_facts)
{
	sqlite3_stmt *st = store_cached(e->store, "SELECT count(*), coalesce(max(c.match_facts IS NOT NULL), 0)"
					" FROM cases c WHERE c.report_id = ?1 AND c.report_seq = ?2 AND c.status = 'open'"
					" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.found_id = c.report_id)");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_blob(st, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) > 0 : store_errno(rc);
	*had_facts = rc == SQLITE_ROW && sqlite3_column_int(st, 1) != 0;
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
