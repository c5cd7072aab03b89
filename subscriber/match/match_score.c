/* The score of a found child or sighting against a report, and why
 * (match.h). Each part agreeing adds what it tells apart, and one
 * disagreeing takes off what a true pair rarely shows: the name 40 (names
 * that differ -25), the time 20 (found within a day; more than a month
 * after -10), the train 15 (another train -10), the station 10, the age 10
 * (three years or more apart -20), the gender 5. A gender conflict, or
 * being found more than a day before last seen, rules out. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <strings.h>

#include "common/minmax.h"
#include "common/text.h"
#include "match/match.h"
#include "match/match_impl.h"

#define HOUR_MS (3600 * 1000LL)
#define DAY_MS (24 * HOUR_MS)
/* A name's Jaro-Winkler similarity below which it counts nothing: two
 * unrelated Indian names of a few letters share that much by chance. */
#define NAME_FLOOR 0.80

/* The reasons being written, or none (buf NULL) while candidates are
 * sifted: formatting them is most of a comparison's time. */
struct why {
	char *buf;
	size_t len;
};

static void say(struct why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends one reason, after ", " if it is not the first; what does not fit
 * is left out. */
static void say(struct why *w, const char *fmt, ...)
{
	if (!w->buf)
		return;
	char part[MATCH_WHY_BYTES];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(part, sizeof(part), fmt, ap);
	va_end(ap);
	const char *sep = w->len ? ", " : "";
	int n = snprintf(w->buf + w->len, MATCH_WHY_BYTES - w->len, "%s%s", sep, part);
	if (n > 0 && w->len + (size_t)n < MATCH_WHY_BYTES)
		w->len += (size_t)n;
	else
		w->buf[w->len] = '\0';
}

/* The best pair of names: 40 for equal keys, nothing when either has no
 * name, -25 when both have names and none pair above NAME_FLOOR. */
static int name_points(const struct match_person *f, const struct match_person *r,
		       struct why *w)
{
	double best = 0;
	size_t bi = 0;
	size_t bj = 0;
	for (size_t i = 0; i < f->n_names; i++) {
		for (size_t j = 0; j < r->n_names; j++) {
			double s = match_name_similarity(f->keys[i], r->keys[j]);
			if (s <= best)
				continue;
			best = s;
			bi = i;
			bj = j;
		}
	}
	if (f->n_names == 0 || r->n_names == 0)
		return 0;
	if (best < NAME_FLOOR) {
		say(w, "names differ");
		return -25;
	}
	if (w->buf) {
		char a[64];
		char b[64];
		text_escape(f->names[bi], a, sizeof(a));
		text_escape(r->names[bj], b, sizeof(b));
		say(w, "name %s~%s %.2f", a, b, best);
	}
	return (int)(40 * (best - NAME_FLOOR) / (1 - NAME_FLOOR) + 0.5);
}

static void age_text(int lo, int hi, char out[24])
{
	if (lo == hi)
		snprintf(out, 24, "%d", lo);
	else
		snprintf(out, 24, "%d-%d", lo, hi);
}

/* Overlapping ages 10, a year apart 7, two 3: estimates of a child's age
 * are that far off; three years or more apart -20. */
static int age_points(const struct match_person *f, const struct match_person *r,
		      struct why *w)
{
	static const int by_gap[] = {10, 7, 3};
	if (f->age_min < 0 || r->age_min < 0)
		return 0;
	int gap = 0;
	if (f->age_min > r->age_max)
		gap = f->age_min - r->age_max;
	else if (r->age_min > f->age_max)
		gap = r->age_min - f->age_max;
	char a[24];
	char b[24];
	age_text(f->age_min, f->age_max, a);
	age_text(r->age_min, r->age_max, b);
	if (gap > 2) {
		say(w, "age %s far from %s", a, b);
		return -20;
	}
	if (gap == 0)
		say(w, "age %s in %s", a, b);
	else
		say(w, "age %s near %s", a, b);
	return by_gap[gap];
}

/* Both given and the same, ignoring case. */
static bool same_code(const char *a, const char *b)
{
	return a[0] && b[0] && strcasecmp(a, b) == 0;
}

static const char *escaped(const char *code, char *out, size_t size)
{
	text_escape(code, out, size);
	return out;
}

static int place_points(const struct match_person *f, const struct match_person *r,
			struct why *w)
{
	char code[4 * MATCH_CODE_BYTES];
	int points = 0;
	if (same_code(f->train, r->train)) {
		say(w, "same train %s", escaped(r->train, code, sizeof(code)));
		points += 15;
	} else if (f->train[0] && r->train[0]) {
		say(w, "other train %s", escaped(f->train, code, sizeof(code)));
		points -= 10;
	}
	if (same_code(f->station, r->station)) {
		say(w, "same station %s", escaped(r->station, code, sizeof(code)));
		points += 10;
	}
	return points;
}

/* Found within a day of last seen 20, 3 days 15, a week 5, a month
 * nothing, later -10; 1 (rules out, no step gives 1) when found more than a day before
 * the child went missing (clocks and estimates are off by hours, not
 * by days). */
static int time_points(const struct match_person *f, const struct match_person *r,
		       struct why *w)
{
	static const struct {
		long long within_ms;
		int points;
	} steps[] = {{DAY_MS, 20}, {3 * DAY_MS, 15}, {7 * DAY_MS, 5}, {30 * DAY_MS, 0}};
	long long after;
	/* A time from the wire can be any int64: a difference past its
	 * range says nothing. */
	if (f->time_ms == 0 || r->time_ms == 0 || __builtin_sub_overflow(f->time_ms, r->time_ms, &after))
		return 0;
	if (after < -DAY_MS)
		return 1;
	long long hours = after > 0 ? after / HOUR_MS : 0;
	if (hours < 72)
		say(w, "%lld h after last seen", hours);
	else
		say(w, "%lld days after last seen", hours / 24);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (after <= steps[i].within_ms)
			return steps[i].points;
	}
	return -10;
}

static int ruled_out(char *why, const char *reason)
{
	if (why)
		snprintf(why, MATCH_WHY_BYTES, "%s", reason);
	return 0;
}

int match_points(const struct match_person *found, const struct match_person *report, char *why)
{
	int fg = found->gender;
	int rg = report->gender;
	if (fg && rg && fg != rg)
		return ruled_out(why, "gender differs");
	if (why)
		why[0] = '\0';
	struct why w = {why, 0};
	int points = name_points(found, report, &w);
	points += age_points(found, report, &w);
	if (fg && fg == rg) {
		say(&w, "same gender");
		points += 5;
	}
	points += place_points(found, report, &w);
	int t = time_points(found, report, &w);
	if (t == 1)
		return ruled_out(why, "found before last seen");
	return CLAMP(points + t, 0, 100);
}

void match_score(const struct match_person *found, const struct match_person *report,
		 struct match_result *out)
{
	out->score = match_points(found, report, out->why);
}
