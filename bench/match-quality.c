/* bench/match-quality: how well the matching engine (subscriber/match/)
 * finds the report of a found child, and what a comparison costs.
 *
 * Generates, from a seed, PAIRS reports each with the found child that is
 * its child, and DISTRACTORS reports of other children drawn the same way
 * (so many share a name, a train, an age): names in Devanagari or Latin
 * with the common spellings of each (Seema/Sima/सीमा), a surname or not,
 * other names sometimes; the found child's age a year or two off, or as a
 * range; its gender sometimes not said; found at a later station along
 * the train the child was last seen on, the train known or not, hours to
 * days after. Every report goes through match_person_from_child() as the
 * agent's decoded ones will.
 *
 * Prints, for the top 3 of each found child above MATCH_THRESHOLD: recall
 * (the true report among them), precision (true ones among all suggested)
 * and the mean wrong suggestions per found child; then the time of one
 * comparison (match_score) against a baseline of the same run, the same
 * two persons compared exactly (names as written, ages, gender, codes),
 * and of keying one name (ICU) against a comparison.
 *
 * Usage: match-quality [PAIRS [DISTRACTORS [SEED]]] (200 400 15) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/match.h"

struct name {
	const char *deva;
	const char *latin[3];   /* spellings people write; NULL-ended */
	int gender;             /* 1 female, 2 male (the schema's) */
};

static const struct name names[] = {
	{"सीमा", {"Seema", "Sima"}, 1},        {"पूजा", {"Pooja", "Puja"}, 1},
	{"प्रिया", {"Priya", "Pria"}, 1},       {"सुनीता", {"Sunita", "Suneeta"}, 1},
	{"अनीता", {"Anita", "Aneeta"}, 1},     {"ज्योति", {"Jyoti", "Jyothi"}, 1},
	{"लक्ष्मी", {"Lakshmi", "Laxmi"}, 1},  {"आँचल", {"Aanchal", "Anchal"}, 1},
	{"ख़ुशी", {"Khushi", "Khusi"}, 1},      {"रीना", {"Reena", "Rina"}, 1},
	{"नेहा", {"Neha", "Nehaa"}, 1},        {"कविता", {"Kavita", "Kavitha"}, 1},
	{"गीता", {"Geeta", "Gita"}, 1},        {"राधा", {"Radha", "Raadha"}, 1},
	{"काजल", {"Kajal", "Kaajal"}, 1},      {"मीना", {"Meena", "Mina"}, 1},
	{"फ़ातिमा", {"Fatima", "Phatima"}, 1},  {"शबनम", {"Shabnam", "Sabnam"}, 1},
	{"दीपिका", {"Deepika", "Dipika"}, 1},   {"रूपा", {"Roopa", "Rupa"}, 1},
	{"ममता", {"Mamta", "Mamata"}, 1},      {"सपना", {"Sapna", "Sapana"}, 1},
	{"अंजलि", {"Anjali", "Anjalee"}, 1},    {"सोनी", {"Soni", "Sonee"}, 1},
	{"राहुल", {"Rahul", "Raahul"}, 2},      {"अंकित", {"Ankit", "Ankeet"}, 2},
	{"विकास", {"Vikas", "Vikash"}, 2},     {"संजय", {"Sanjay", "Sanjai"}, 2},
	{"श्याम", {"Shyam", "Syam"}, 2},        {"मोहम्मद", {"Mohammad", "Mohammed"}, 2},
	{"अर्जुन", {"Arjun", "Arjoon"}, 2},     {"कमलेश", {"Kamlesh", "Kamalesh"}, 2},
	{"सूरज", {"Suraj", "Sooraj"}, 2},       {"दीपक", {"Deepak", "Dipak"}, 2},
	{"रोहित", {"Rohit", "Rohith"}, 2},      {"अमित", {"Amit", "Ameet"}, 2},
	{"गोविंद", {"Govind", "Gobind"}, 2},     {"राजू", {"Raju", "Raaju"}, 2},
	{"मनोज", {"Manoj", "Manoje"}, 2},      {"सुनील", {"Sunil", "Suneel"}, 2},
	{"विशाल", {"Vishal", "Vishaal"}, 2},    {"आकाश", {"Akash", "Aakash"}, 2},
	{"प्रदीप", {"Pradeep", "Pradip"}, 2},    {"इमरान", {"Imran", "Imraan"}, 2},
	{"रवि", {"Ravi", "Ravee"}, 2},         {"गणेश", {"Ganesh", "Ganesh"}, 2},
	{"कृष्णा", {"Krishna", "Krushna"}, 2},  {"बबलू", {"Bablu", "Babloo"}, 2},
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static const struct name surnames[] = {
	{"कुमार", {"Kumar"}, 2},   {"कुमारी", {"Kumari"}, 1}, {"सिंह", {"Singh"}, 0},
	{"यादव", {"Yadav"}, 0},   {"खान", {"Khan"}, 0},      {"वर्मा", {"Verma", "Varma"}, 0},
	{"शर्मा", {"Sharma"}, 0},  {"देवी", {"Devi"}, 1},
};
#define N_SURNAMES (sizeof(surnames) / sizeof(surnames[0]))

struct train {
	const char *number;
	const char *route[8];
};

/* Routes share their junctions (BPL, ET, NGP, JHS), as India's do. */
static const struct train trains[] = {
	{"12627", {"SBC", "GTL", "RC", "SC", "BPQ", "NGP", "ET", "BPL"}},
	{"12615", {"MAS", "VJA", "BPQ", "NGP", "ET", "BPL", "JHS", "NDLS"}},
	{"12137", {"CSMT", "KYN", "NK", "BSL", "KNW", "ET", "BPL", "JHS"}},
	{"11057", {"CSMT", "NK", "BSL", "ET", "BPL", "BINA", "JHS", "GWL"}},
	{"12533", {"LKO", "CNB", "JHS", "BINA", "BPL", "ET", "NGP", "BSP"}},
	{"12393", {"PNBE", "DDU", "PRYJ", "STA", "KTE", "JBP", "ET", "NGP"}},
	{"12721", {"HYB", "KZJ", "BPQ", "NGP", "ET", "BPL", "JHS", "AGC"}},
	{"19045", {"ST", "BH", "RTM", "UJN", "BPL", "BINA", "JHS", "ON"}},
	{"12919", {"INDB", "UJN", "RTM", "KOTA", "SWM", "JP", "AII", "JAT"}},
	{"18237", {"BSP", "R", "DURG", "NGP", "ET", "BPL", "JHS", "ASR"}},
};
#define N_TRAINS (sizeof(trains) / sizeof(trains[0]))

#define HOUR_MS (3600 * 1000LL)
#define START_MS 1796000000000LL  /* 2026-11-30 */

static uint64_t rng_state;

/* xorshift64*: the same set on every machine for a seed. */
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static const char *spelling(const struct name *n, int deva)
{
	if (deva)
		return n->deva;
	size_t k = 0;
	while (k < 3 && n->latin[k])
		k++;
	return n->latin[rnd((uint32_t)k)];
}

/* A surname fitting @gender (0 for none drawn), or NULL. */
static const struct name *surname(int gender)
{
	for (int tries = 0; tries < 8; tries++) {
		const struct name *s = &surnames[rnd(N_SURNAMES)];
		if (s->gender == 0 || s->gender == gender)
			return s;
	}
	return NULL;
}

/* The truth a report and its found child are drawn from. */
struct truth {
	const struct name *first;
	const struct name *last;     /* or NULL */
	int age;
	const struct train *train;
	size_t at;                   /* index of the station last seen */
	int64_t seen_ms;
};

static void draw_truth(struct truth *t)
{
	t->first = &names[rnd(N_NAMES)];
	t->last = rnd(100) < 50 ? surname(t->first->gender) : NULL;
	t->age = 3 + (int)rnd(14);
	t->train = &trains[rnd(N_TRAINS)];
	t->at = rnd(6);
	t->seen_ms = START_MS + (int64_t)rnd(60 * 24) * HOUR_MS;
}

static void full_name(const struct truth *t, int deva, int with_last, char *out, size_t size)
{
	const char *first = spelling(t->first, deva);
	if (with_last && t->last)
		snprintf(out, size, "%s %s", first, spelling(t->last, deva));
	else
		snprintf(out, size, "%s", first);
}

struct drawn {
	char name[128];
	char other[128];
	char *others[1];
	Raksha__V1__AgeRange range;
	Raksha__V1__Child child;
	Raksha__V1__Place place;
};

static void set_age(struct drawn *d, int age, int as_range)
{
	if (as_range && age > 1) {
		d->range.min_years = (uint32_t)age - 1;
		d->range.max_years = (uint32_t)age + 1;
		d->child.age_case = RAKSHA__V1__CHILD__AGE_AGE_RANGE;
		d->child.age_range = &d->range;
		return;
	}
	d->child.age_case = RAKSHA__V1__CHILD__AGE_AGE_YEARS;
	d->child.age_years = (uint32_t)age;
}

static void init_drawn(struct drawn *d)
{
	memset(d, 0, sizeof(*d));
	raksha__v1__child__init(&d->child);
	raksha__v1__age_range__init(&d->range);
	raksha__v1__place__init(&d->place);
}

/* The report: as the family or the reporting unit wrote the name, maybe
 * with an other name in the other script; the age exact or a range. */
static void draw_report(const struct truth *t, struct drawn *d)
{
	init_drawn(d);
	int deva = rnd(2);
	full_name(t, deva, 1, d->name, sizeof(d->name));
	d->child.name = d->name;
	if (rnd(100) < 30) {
		full_name(t, !deva, 1, d->other, sizeof(d->other));
		d->others[0] = d->other;
		d->child.n_other_names = 1;
		d->child.other_names = d->others;
	}
	set_age(d, t->age, rnd(100) < 30);
	d->child.gender = (Raksha__V1__Gender)t->first->gender;
	d->place.station_code = (char *)t->train->route[t->at];
	d->place.train_number = (char *)t->train->number;
	d->place.time_ms = t->seen_ms;
}

/* The found child: the name as the child said it and the finder wrote it
 * (either script, any spelling, often without the surname); the age
 * guessed, a year or two off; found along the same train. */
static void draw_found(const struct truth *t, struct drawn *d)
{
	static const int age_off[] = {0, 0, 0, 0, 1, -1, 1, -1, 2, -2};
	init_drawn(d);
	full_name(t, rnd(2), rnd(100) < 40, d->name, sizeof(d->name));
	d->child.name = d->name;
	int age = t->age + age_off[rnd(10)];
	set_age(d, age < 1 ? 1 : age, rnd(2));
	if (rnd(100) >= 10)
		d->child.gender = (Raksha__V1__Gender)t->first->gender;
	d->place.station_code = (char *)t->train->route[t->at + rnd(3)];
	if (rnd(100) < 60)
		d->place.train_number = (char *)t->train->number;
	int64_t hours = rnd(100) < 85 ? 1 + rnd(72) : 72 + rnd(24 * 10);
	d->place.time_ms = t->seen_ms + hours * HOUR_MS;
}

static int person(struct match_keyer *k, const struct drawn *d, struct match_person *out)
{
	char err[256];
	int r = match_person_from_child(k, &d->child, &d->place, out, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "match-quality: %s: %s\n", d->name, err);
	return r;
}

struct set {
	struct match_person *reports;  /* pairs first, then distractors */
	struct match_person *found;
	size_t pairs, n;
};

static int generate(struct match_keyer *k, struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct truth t;
		struct drawn d;
		draw_truth(&t);
		draw_report(&t, &d);
		if (person(k, &d, &s->reports[i]) < 0)
			return -1;
		if (i >= s->pairs)
			continue;
		draw_found(&t, &d);
		if (person(k, &d, &s->found[i]) < 0)
			return -1;
	}
	return 0;
}

static void quality(const struct set *s)
{
	size_t hits = 0;
	size_t suggested = 0;
	size_t shown = 0;
	for (size_t i = 0; i < s->pairs; i++) {
		struct match_candidate top[3];
		size_t n = match_top(&s->found[i], s->reports, s->n, MATCH_THRESHOLD, top, 3);
		suggested += n;
		int hit = 0;
		for (size_t j = 0; j < n; j++)
			hit = hit || top[j].index == i;
		hits += (size_t)hit;
		if (!hit && shown++ < 5) {
			struct match_result r;
			match_score(&s->found[i], &s->reports[i], &r);
			printf("  missed: %s -> %s: %d (%s)\n", s->found[i].names[0], s->reports[i].names[0],
			       r.score, r.why);
		}
	}
	printf("top 3 over %zu found children, %zu reports (threshold %d):\n", s->pairs, s->n,
	       MATCH_THRESHOLD);
	printf("  recall    %.3f (%zu of %zu true reports in the top 3)\n", (double)hits / (double)s->pairs,
	       hits, s->pairs);
	printf("  precision %.3f (%zu of %zu suggestions true)\n",
	       suggested ? (double)hits / (double)suggested : 0.0, hits, suggested);
	printf("  wrong suggestions per found child %.3f\n",
	       (double)(suggested - hits) / (double)s->pairs);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The baseline: the same two persons compared exactly, as a program
 * without the engine would (every pair of names as written, the ages,
 * the gender, the codes). */
static int exact(const struct match_person *f, const struct match_person *r)
{
	int same = 0;
	for (size_t i = 0; i < f->n_names; i++) {
		for (size_t j = 0; j < r->n_names; j++)
			same += strcmp(f->names[i], r->names[j]) == 0;
	}
	same += f->age_min == r->age_min && f->age_max == r->age_max;
	same += f->gender == r->gender;
	same += strcmp(f->station, r->station) == 0;
	return same + (strcmp(f->train, r->train) == 0);
}

enum way { EXACT, SCORE, TOP };

/* One found child against every report, one way. */
static long compare(const struct set *s, size_t i, enum way way)
{
	long sum = 0;
	if (way == TOP) {
		struct match_candidate top[3];
		return (long)match_top(&s->found[i], s->reports, s->n, MATCH_THRESHOLD, top, 3);
	}
	for (size_t j = 0; j < s->n; j++) {
		struct match_result res;
		if (way == EXACT) {
			sum += exact(&s->found[i], &s->reports[j]);
			continue;
		}
		match_score(&s->found[i], &s->reports[j], &res);
		sum += res.score;
	}
	return sum;
}

/* Every found child against every report, @rounds times: ns a comparison. */
static double time_way(const struct set *s, int rounds, enum way way, long *sink)
{
	double t0 = now_s();
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < s->pairs; i++)
			*sink += compare(s, i, way);
	}
	return (now_s() - t0) * 1e9 / ((double)rounds * (double)s->pairs * (double)s->n);
}

static double time_keys(struct match_keyer *k, const struct set *s, long *sink)
{
	char key[MATCH_KEY_BYTES];
	char err[64];
	double t0 = now_s();
	for (size_t j = 0; j < s->n; j++)
		*sink += match_key(k, s->reports[j].names[0], key, sizeof(key), err, sizeof(err));
	return (now_s() - t0) * 1e9 / (double)s->n;
}

static void timing(struct match_keyer *k, const struct set *s)
{
	long sink = 0;
	double base = time_way(s, 5, EXACT, &sink);
	double score = time_way(s, 5, SCORE, &sink);
	double top = time_way(s, 5, TOP, &sink);
	double key = time_keys(k, s, &sink);
	printf("a comparison, against the same two compared exactly (%.1f ns; sink %ld):\n", base,
	       sink % 10);
	printf("  match_top, a report sifted  %7.0f ns  ratio %5.1f\n", top, top / base);
	printf("  match_score, with its words %7.0f ns  ratio %5.1f\n", score, score / base);
	printf("  keying a name (ICU + fold)  %7.0f ns  ratio %5.1f\n", key, key / base);
}

int main(int argc, char **argv)
{
	struct set s = {0};
	s.pairs = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
	size_t distractors = argc > 2 ? strtoul(argv[2], NULL, 10) : 400;
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 15;
	if (s.pairs == 0 || rng_state == 0) {
		fprintf(stderr, "usage: match-quality [PAIRS [DISTRACTORS [SEED]]], PAIRS and SEED > 0\n");
		return 64;
	}
	s.n = s.pairs + distractors;
	s.reports = calloc(s.n, sizeof(*s.reports));
	s.found = calloc(s.pairs, sizeof(*s.found));
	struct match_keyer *k = NULL;
	char err[256];
	int status = 1;
	if (!s.reports || !s.found || match_keyer_new(&k, NULL, err, sizeof(err)) < 0)
		goto out;
	if (generate(k, &s) < 0)
		goto out;
	quality(&s);
	timing(k, &s);
	status = 0;
out:
	match_keyer_free(k);
	free(s.found);
	free(s.reports);
	return status;
}
