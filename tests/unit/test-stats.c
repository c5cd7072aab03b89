/* The audit statistics (subscriber/history/stats.c, what raksha-replay
 * stats and the desk's /stats both show) on a real SQLite file written by
 * the agent's store, over a window of three IST days: the reports opened
 * each day, the cases closed each day whenever they were opened (closed,
 * cancelled, reunited; not found, not a case reopened since), drills
 * apart, the time to the first ack per unit and each unit's own, the
 * escalations by level; and the window's cases as stats_cases_each() gives
 * them, in the order their report arrived. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store.h"
#include "history/history.h"
#include "history/stats.h"
#include "tests/lib/sample.h"
#include "tests/lib/tap.h"
#include "tests/lib/test_store.h"

#define HOUR 3600000
/* 2026-11-29 00:00 IST, the IST day of the fixtures' now. */
#define D0 ((SAMPLE_NOW_MS + STATS_IST_MS) / STATS_DAY_MS * STATS_DAY_MS - STATS_IST_MS)

enum { R1, R2, R3, R4, R5, CASES };
static uint8_t ids[CASES][16];

/* Stores @kind about case @c from @region/@agency, arrived at @at; @v is a
 * report's exercise, an update's status, an escalation's level. */
static int put(struct store *s, enum raksha_kind kind, int c, const char *region, const char *agency, int64_t at,
	       int v)
{
	struct sample sm;
	raksha_envelope *env = sample_make(&sm, kind);
	sample_from(&sm, "mp", region, agency);
	memcpy(sm.report_id, ids[c], 16);
	sm.place.time_ms = 0;  /* sent when it arrived, days before the fixtures' now */
	if (kind == RAKSHA_KIND_REPORT)
		env->report->exercise = v;
	if (kind == RAKSHA_KIND_UPDATE)
		env->update->status = v;
	if (kind == RAKSHA_KIND_ESCALATION)
		env->escalation->level = (uint32_t)v;
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = at};
	if (sample_encode(&sm, at, &o, &buf, &len) < 0)
		return -100;
	int r = store_envelope(s, sm.topic, env, buf, len, at);
	free(buf);
	return r;
}

#define CLOSED RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CLOSED
#define CANCELLED RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_CANCELLED
#define REOPENED RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_REOPENED
#define FOUND RAKSHA__V1__UPDATE_STATUS__UPDATE_STATUS_FOUND

/* R1 before the window, closed in it; R2 acknowledged by two units; R3 a
 * drill, cancelled; R4 closed and reopened; R5 found, escalated twice. */
static bool history(struct store *s)
{
	int64_t d1 = D0 + STATS_DAY_MS, d2 = D0 + 2 * STATS_DAY_MS;
	int n = 0;
	n += put(s, RAKSHA_KIND_REPORT, R1, "bhopal", "grp", D0 - STATS_DAY_MS + HOUR, 0);
	n += put(s, RAKSHA_KIND_REPORT, R2, "bhopal", "grp", D0 + HOUR, 0);
	n += put(s, RAKSHA_KIND_ACK, R2, "itarsi", "rpf", D0 + HOUR + 30000, 0);
	n += put(s, RAKSHA_KIND_ACK, R2, "bhopal", "grp", D0 + HOUR + 90000, 0);
	n += put(s, RAKSHA_KIND_REPORT, R3, "bhopal", "grp", d1 + HOUR, 1);
	n += put(s, RAKSHA_KIND_UPDATE, R3, "bhopal", "grp", d1 + 2 * HOUR, CANCELLED);
	n += put(s, RAKSHA_KIND_REPORT, R4, "bhopal", "grp", d1 + 3 * HOUR, 0);
	n += put(s, RAKSHA_KIND_UPDATE, R4, "bhopal", "grp", d1 + 4 * HOUR, CLOSED);
	n += put(s, RAKSHA_KIND_UPDATE, R4, "bhopal", "grp", d1 + 5 * HOUR, REOPENED);
	n += put(s, RAKSHA_KIND_UPDATE, R1, "bhopal", "grp", d1 + 6 * HOUR, CLOSED);
	n += put(s, RAKSHA_KIND_REPORT, R5, "vidisha", "childline", d2 + HOUR, 0);
	n += put(s, RAKSHA_KIND_ESCALATION, R5, "vidisha", "childline", d2 + 2 * HOUR, 2);
	n += put(s, RAKSHA_KIND_UPDATE, R5, "vidisha", "childline", d2 + 3 * HOUR, FOUND);
	return n == 13;
}

static void days(struct stats *s)
{
	is_int(s->n_days, 3, "three days");
	is_int(s->days[0].real.opened, 1, "day 1: R2 opened");
	is_int(s->days[0].real.closed, 0, "  none closed");
	is_int(s->days[1].real.opened, 1, "day 2: R4 opened (the drill apart)");
	is_int(s->days[1].real.closed, 1, "  R1 closed, opened before the window; R4 reopened since, not");
	is_int(s->days[1].drill.opened, 1, "  the drill R3 opened, among the drills");
	is_int(s->days[1].drill.closed, 1, "  and cancelled: closed, among the drills");
	is_int(s->days[2].real.opened, 1, "day 3: R5 opened");
	is_int(s->days[2].real.closed, 0, "  found is not closed");
}

static void units(struct stats *s)
{
	stats_sort_units(s);
	struct unit_stats *grp = stats_unit(s, "mp/bhopal/grp"), *rpf = stats_unit(s, "mp/itarsi/rpf");
	struct unit_stats *cl = stats_unit(s, "mp/vidisha/childline");
	is_int(grp->real.reports, 2, "GRP Bhopal: R2 and R4 (R1 before the window)");
	is_int(grp->real.open, 2, "  both open (R4 reopened)");
	is_int(grp->real.unacked, 1, "  R4 acknowledged by nobody");
	is_int(stats_samples_percentile(&grp->real.first_ack, 50), 30000, "  R2's first ack 30 s after, by RPF");
	is_int(grp->real.acks_given, 1, "  it acknowledged R2 itself");
	is_int(stats_samples_percentile(&grp->real.gave_ack, 50), 90000, "  after 90 s");
	is_int(grp->drill.reports, 1, "  its drill apart");
	is_int(grp->drill.open, 0, "  cancelled");
	is_int(rpf->real.acks_given, 1, "RPF Itarsi acknowledged R2");
	is_int(rpf->real.reports, 0, "  reported nothing");
	is_int(cl->real.escalated[0], 1, "ChildLine Vidisha: R5 at level 1");
	is_int(cl->real.escalated[1], 1, "  and 2");
	is_int(cl->real.escalated[2], 0, "  not 3");
}

static int listed(void *ctx, const struct stats_case *c)
{
	char *out = ctx;
	for (int i = 0; i < CASES; i++)
		if (c->report_id != NULL && memcmp(c->report_id, ids[i], 16) == 0)
			snprintf(out + strlen(out), 64 - strlen(out), "R%d%s%s ", i + 1, c->drill ? " drill" : "",
				 c->ended_ms ? " ended" : "");
	return 0;
}

int main(void)
{
	char dir[64], path[300], err[256] = "";
	struct store *st;
	is_int(test_store_make(dir, "stats", path, sizeof(path), &st, err, sizeof(err)), 0,
	       "a database in a temporary folder (%s)", err);
	test_store_ids(ids, CASES);
	ok(history(st), "13 messages stored");
	sqlite3 *db;
	is_int(history_open(path, &db, err, sizeof(err)), 0, "opened read-only (%s)", err);
	struct stats *s = calloc(1, sizeof(*s));
	struct history_filter all = {0};
	if (s == NULL)
		abort();
	s->from_ms = D0;
	s->to_ms = D0 + 3 * STATS_DAY_MS;
	is_int(stats_gather(db, &all, s), 0, "gathered");
	days(s);
	units(s);
	char order[64] = "";
	is_int(stats_cases_each(db, &all, s->from_ms, s->to_ms, listed, order), 0, "the window's cases");
	is_str(order, "R2 R3 drill ended R4 R5 ", "  in the order their reports arrived, R1 not, R3 ended");
	stats_free(s);
	sqlite3_close(db);
	store_close(st);
	if (tmpdir_remove(dir) < 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
