/* The matching engine (subscriber/match/): name keys through the real ICU
 * transliterator, so that सीमा, Seema and Sima meet and unrelated names do
 * not; the score's rules (a gender conflict rules out, ages overlap or are
 * a year or two apart, train, station, time); the why text escaped; the
 * best candidates in order; ICU's refusals and bad names as errors; the
 * default keyer's two ways round ICU's whole transliterator (ASCII as is,
 * Devanagari by ICU's own rules alone) giving its keys. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "match/match_impl.h"
#include "tests/lib/tap.h"

static struct match_keyer *keyer;

static const char *key(const char *name)
{
	static char out[MATCH_KEY_BYTES];
	char err[256] = "";
	int r = match_key(keyer, name, out, sizeof(out), err, sizeof(err));
	if (r < 0)
		printf("# match_key(%s): %s\n", name, err);
	return out;
}

/* Whether @a and @b have the same key (each keyed into its own buffer). */
static void same_key(const char *a, const char *b, const char *what)
{
	char ka[MATCH_KEY_BYTES];
	snprintf(ka, sizeof(ka), "%s", key(a));
	is_str(ka, key(b), "%s", what);
}

static double alike(const char *a, const char *b)
{
	char ka[MATCH_KEY_BYTES];
	snprintf(ka, sizeof(ka), "%s", key(a));
	return match_name_similarity(ka, key(b));
}

static void keys(void)
{
	is_str(key("सीमा"), "sim", "सीमा's key");
	is_str(key("Seema"), "sim", "Seema's key is सीमा's (ee/i, the trailing a)");
	is_str(key("Sima"), "sim", "Sima's too");
	is_str(key("SEEMA  kumari"), "sim kumri", "case and spaces folded, words kept, Hindi's unsaid a");
	same_key("राहुल", "Rahul", "राहुल and Rahul: ICU's inherent a dropped");
	same_key("पूजा", "Pooja", "पूजा and Pooja: oo/u");
	same_key("लक्ष्मी", "Lakshmi", "लक्ष्मी and Lakshmi: sh/s");
	same_key("आँचल", "Aanchal", "आँचल and Aanchal: aa/a, chandrabindu before c as n");
	same_key("मोहम्मद", "Mohammad", "मोहम्मद and Mohammad: ICU's apostrophe, mm/m");
	same_key("Jyothi", "ज्योति", "Jyothi and ज्योति: th/t");
	same_key("कमलेश", "Kamlesh", "कमलेश (kamalesa) and Kamlesh: Hindi's unsaid a");
	same_key("ममता", "Mamta", "ममता (mamata) and Mamta");
	same_key("इमरान", "Imran", "इमरान (imarana) and Imran");
	same_key("काजल", "Kajal", "काजल (kajala) and Kajal: the unsaid a before the end too");
	is_str(key("Phoolwati"), "fulvati", "ph/f, oo/u, w/v");
	is_str(key("12 -- !"), "", "a name without letters has an empty key");
}

static void names(void)
{
	ok(alike("सीमा", "Seema") > 0.95, "सीमा and Seema meet (%.2f)", alike("सीमा", "Seema"));
	ok(alike("Sima", "सीमा कुमारी") > 0.95, "Sima meets सीमा कुमारी (a surname more)");
	ok(alike("Kamlesh", "कमलेश") > 0.9, "Kamlesh meets कमलेश (%.2f)", alike("Kamlesh", "कमलेश"));
	ok(alike("Seema", "Pooja") < 0.8, "Seema and Pooja do not (%.2f)", alike("Seema", "Pooja"));
	ok(alike("राहुल", "Rohit") < 0.8, "राहुल and Rohit do not (%.2f)", alike("राहुल", "Rohit"));
	ok(alike("Pooja Kumari", "Seema Kumari") < 0.8,
	   "a shared surname alone does not make two names alike (%.2f)",
	   alike("Pooja Kumari", "Seema Kumari"));
	is_int((long long)(match_name_similarity("", "sim") * 100), 0, "an empty key meets nothing");
}

/* A person of @name, aged @lo..@hi, @gender, at @station on @train at @h hours. */
static struct match_person person(const char *name, int lo, int hi, int gender,
				  const char *station, const char *train, int h)
{
	Raksha__V1__Child c = RAKSHA__V1__CHILD__INIT;
	Raksha__V1__AgeRange range = RAKSHA__V1__AGE_RANGE__INIT;
	Raksha__V1__Place p = RAKSHA__V1__PLACE__INIT;
	c.name = (char *)name;
	if (lo == hi && lo >= 0) {
		c.age_case = RAKSHA__V1__CHILD__AGE_AGE_YEARS;
		c.age_years = (uint32_t)lo;
	} else if (lo >= 0) {
		range.min_years = (uint32_t)lo;
		range.max_years = (uint32_t)hi;
		c.age_case = RAKSHA__V1__CHILD__AGE_AGE_RANGE;
		c.age_range = &range;
	}
	c.gender = (Raksha__V1__Gender)gender;
	p.station_code = (char *)station;
	p.train_number = (char *)train;
	p.time_ms = 1796000000000LL + h * 3600000LL;
	struct match_person out;
	char err[256] = "";
	int r = match_person_from_child(keyer, &c, &p, &out, err, sizeof(err));
	if (r < 0)
		printf("# person %s: %s\n", name, err);
	return out;
}

enum { U = 0, F = 1, M = 2 };

static int score(const struct match_person *f, const struct match_person *r, char *why)
{
	struct match_result res;
	match_score(f, r, &res);
	if (why)
		snprintf(why, MATCH_WHY_BYTES, "%s", res.why);
	return res.score;
}

static void scores(void)
{
	struct match_person report = person("सीमा", 8, 8, F, "BPL", "12627", 0);
	struct match_person found = person("Seema", 7, 9, F, "ET", "12627", 5);
	char why[MATCH_WHY_BYTES];
	int s = score(&found, &report, why);
	ok(s >= 80, "Seema, 7-9, F, on 12627 five hours later: %d", s);
	is_str(why, "name Seema~सीमा 1.00, age 7-9 in 8, same gender, same train 12627, 5 h after last seen",
	       "the why text says each reason");
	ok(s >= MATCH_THRESHOLD, "  above the threshold");

	struct match_person boy = person("Seema", 7, 9, M, "ET", "12627", 5);
	is_int(score(&boy, &report, why), 0, "a gender conflict rules out");
	is_str(why, "gender differs", "  and says so");
	struct match_person unsaid = person("Seema", 7, 9, U, "ET", "12627", 5);
	ok(score(&unsaid, &report, NULL) > 70, "an unspecified gender matches anything");

	struct match_person older = person("Seema", 10, 10, F, "ET", "12627", 5);
	struct match_person far = person("Seema", 12, 14, F, "ET", "12627", 5);
	ok(score(&older, &report, why) < s, "two years apart still plausible, but less: %d", score(&older, &report, NULL));
	ok(strstr(why, "age 10 near 8") != NULL, "  said as near (%s)", why);
	ok(score(&far, &report, why) < score(&older, &report, NULL), "four years apart counts against");
	ok(strstr(why, "age 12-14 far from 8") != NULL, "  and says so (%s)", why);

	struct match_person other = person("Pooja", 8, 8, F, "ET", "12627", 5);
	ok(score(&other, &report, why) < MATCH_THRESHOLD, "an unrelated name stays under the threshold: %d (%s)",
	   score(&other, &report, NULL), why);
	ok(strstr(why, "names differ") != NULL, "  and says the names differ (%s)", why);
	struct match_person unnamed = person("", 8, 8, F, "ET", "12627", 5);
	ok(score(&unnamed, &report, why) == s - 40, "a child without a name loses the name's points only: %d (%s)",
	   score(&unnamed, &report, NULL), why);
	struct match_person train = person("Seema", 7, 9, F, "ET", "12615", 5);
	struct match_person no_train = person("Seema", 7, 9, F, "ET", "", 5);
	ok(score(&train, &report, why) < score(&no_train, &report, NULL) &&
	   strstr(why, "other train 12615") != NULL, "another train counts against: %d (%s)",
	   score(&train, &report, NULL), why);
	struct match_person before = person("Seema", 8, 8, F, "BPL", "12627", -48);
	is_int(score(&before, &report, why), 0, "found two days before last seen rules out");
	struct match_person late = person("Seema", 8, 8, F, "BPL", "12627", 24 * 40);
	struct match_person month = person("Seema", 8, 8, F, "BPL", "12627", 24 * 20);
	ok(score(&late, &report, why) == score(&month, &report, NULL) - 10 && strstr(why, "40 days after"),
	   "found 40 days later counts against, 20 days later nothing (%s)", why);
	struct match_person edge = person("Seema", 8, 8, F, "BPL", "12627", 0);
	edge.time_ms = INT64_MIN;
	report.time_ms = INT64_MAX;
	ok(score(&edge, &report, why) > 0 && strstr(why, "after") == NULL,
	   "times whose difference overflows say nothing (%s)", why);
}

static void escaped(void)
{
	struct match_person report = person("Seema\nKumari", 8, 8, F, "BPL\x1b[2J", "12627\u202e", 0);
	struct match_person found = person("Seema\u202eKumari", 8, 8, F, "BPL\x1b[2J", "12627\u202e", 1);
	char why[MATCH_WHY_BYTES];
	score(&found, &report, why);
	bool clean = true;
	for (const unsigned char *p = (const unsigned char *)why; *p; p++)
		clean = clean && *p >= 0x20 && *p != 0x7f;
	ok(clean && strstr(why, "\u202e") == NULL, "the why text holds no control or bidi character: %s", why);
	ok(strstr(why, "Seema\\x0aKumari") != NULL, "  a line break in a name written as \\x0a");
	ok(strstr(why, "Seema\\xe2\\x80\\xaeKumari") != NULL, "  a bidi override as its bytes");
	ok(strstr(why, "same station BPL\\x1b[2J") != NULL, "  an escape in a station code too");
}

static void top(void)
{
	struct match_person reports[] = {
		person("Pooja", 8, 8, F, "BPL", "12627", 0),
		person("Seema", 12, 12, F, "NGP", "", 0),
		person("सीमा", 8, 8, F, "BPL", "12627", 0),
		person("Sima", 8, 9, M, "BPL", "12627", 0),
		person("Seema Devi", 7, 8, F, "ET", "", 0),
		person("Seema", 10, 10, F, "NGP", "", 0),
	};
	struct match_person found = person("Seema", 8, 8, F, "ET", "12627", 3);
	struct match_candidate c[3];
	struct match_result far;
	match_score(&found, &reports[5], &far);
	ok(far.score >= MATCH_THRESHOLD, "a Seema two years older elsewhere is above the threshold (%d)", far.score);
	size_t n = match_top(&found, reports, 6, MATCH_THRESHOLD, c, 3);
	is_int(n, 2, "two candidates: the third is MATCH_GAP or more behind the best");
	is_int(c[0].index, 2, "  the best first: सीमा on the same train (%d)", c[0].result.score);
	is_int(c[1].index, 4, "  then Seema Devi at the same station (%d)", n > 1 ? c[1].result.score : 0);
	is_int(match_top(&found, reports, 6, 0, c, 1), 1, "at most the number asked for");
	is_int(c[0].index, 2, "  still the best");
}

static void errors(void)
{
	char err[256] = "";
	struct match_keyer *k = NULL;
	is_int(match_keyer_new(&k, "Devanagari-Klingon", err, sizeof(err)), -EINVAL,
	       "a transliterator ICU has no data for is refused");
	ok(strstr(err, "transliterator id") && strstr(err, "U_"), "  naming the id and ICU's error: %s", err);
	ok(k == NULL, "  and nothing made");
	err[0] = '\0';
	is_int(match_keyer_new(&k, "Any-Latin; ::[", err, sizeof(err)), -EINVAL, "a rule that does not parse too");
	ok(strstr(err, "offset") != NULL, "  with the offset: %s", err);

	char out[MATCH_KEY_BYTES];
	err[0] = '\0';
	is_int(match_key(keyer, "Se\xffma", out, sizeof(out), err, sizeof(err)), -EILSEQ, "a name that is not UTF-8");
	is_str(err, "name: not UTF-8 at byte 2 (0xff)", "  names the byte");
	err[0] = '\0';
	is_int(match_key(keyer, "\xe0\xa4", out, sizeof(out), err, sizeof(err)), -EILSEQ, "a cut sequence too");
	/* match_key.c's own check, as strict as ICU's U8_NEXT it replaced
	 * (ICU is loaded only at the first name that is not ASCII, issue 19
	 * part 6). */
	const char *bad[] = {"Si\xc0\xafma", "Si\xe0\x80\xafma", "Si\xed\xa0\x80ma", "Si\xf4\x90\x80\x80ma",
			     "Si\xe0\xa4ma", "Si\xf8\x88\x80\x80\x80ma"};
	const char *why[] = {"overlong /", "overlong 3 bytes", "a surrogate", "over U+10FFFF", "a stray lead byte",
			     "a five-byte form"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		is_int(match_key(keyer, bad[i], out, sizeof(out), err, sizeof(err)), -EILSEQ, "not UTF-8: %s", why[i]);
		ok(strstr(err, "at byte 2 ") != NULL, "  at its first byte: %s", err);
	}
	is_int(match_key(keyer, "S\xc3\xa9ma \xf0\x9f\x98\x80 \xe0\xa4\xb8", out, sizeof(out), err, sizeof(err)) >= 0, 1,
	       "two-, three- and four-byte sequences are UTF-8");
	char longname[MATCH_NAME_MAX + 2];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	is_int(match_key(keyer, longname, out, sizeof(out), err, sizeof(err)), -E2BIG, "a name over 255 bytes");
	is_int(match_key(keyer, "Seema", out, 0, err, sizeof(err)), -ENOBUFS, "no room for a key");

	Raksha__V1__Child c = RAKSHA__V1__CHILD__INIT;
	char *others[] = {"Seemu", "Si\x80ma"};
	c.name = "सीमा";
	c.n_other_names = 2;
	c.other_names = others;
	struct match_person p;
	is_int(match_person_from_child(keyer, &c, NULL, &p, err, sizeof(err)), -EILSEQ,
	       "a child with a bad other name");
	is_str(err, "other_names[1]: name: not UTF-8 at byte 2 (0x80)", "  names the field and the byte");
}

/* The default transliterator opened under another id: the whole of it,
 * through ICU, for every name (NULL, said, if ICU cannot). */
static struct match_keyer *whole_keyer(void)
{
	struct match_keyer *icu = NULL;
	char err[256] = "";
	if (!ok(match_keyer_new(&icu, "Any-Latin;Latin-ASCII;Lower", err, sizeof(err)) == 0,
		"ICU opens the default transliterator by another id")) {
		printf("# %s\n", err);
		return NULL;
	}
	return icu;
}

/* Without ICU for ASCII (the default keyer, match_key()): every key the
 * same as ICU's own transliterator gives, opened by another id so that it
 * goes through ICU: each ASCII byte between letters, and names. */
static void ascii_as_is(void)
{
	static const char *names[] = {"Seema Kumari", "SEEMU", "O'Brien", "Md. Imran-Khan", "x  Y\tz",
				      "Phoolwati", "ck QU zz", "Jyothi", "12 -- !", ""};
	char err[256] = "";
	struct match_keyer *icu = whole_keyer();
	if (!icu)
		return;
	int differ = 0;
	char name[16], a[MATCH_KEY_BYTES], b[MATCH_KEY_BYTES];
	for (int c = 1; c < 0x80; c++) {
		snprintf(name, sizeof(name), "Ra%chul%c", c, c);
		match_key(keyer, name, a, sizeof(a), err, sizeof(err));
		match_key(icu, name, b, sizeof(b), err, sizeof(err));
		if (strcmp(a, b) != 0 && ++differ <= 3)
			printf("# byte 0x%02x: %s, ICU %s\n", (unsigned)c, a, b);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		match_key(keyer, names[i], a, sizeof(a), err, sizeof(err));
		match_key(icu, names[i], b, sizeof(b), err, sizeof(err));
		if (strcmp(a, b) != 0 && ++differ <= 3)
			printf("# %s: %s, ICU %s\n", names[i], a, b);
	}
	is_int(differ, 0, "ASCII keyed without ICU: the keys ICU gives, every byte and name");
	match_keyer_free(icu);
	/* Only the default is taken as is: another transliterator keys ASCII
	 * through ICU (here into Cyrillic, which match_fold() drops). */
	if (match_keyer_new(&icu, "Latin-Cyrillic", err, sizeof(err)) == 0) {
		match_key(icu, "Rahul", a, sizeof(a), err, sizeof(err));
		is_str(a, "", "  another transliterator still keys ASCII through ICU");
		match_keyer_free(icu);
	} else {
		ok(false, "ICU opens Latin-Cyrillic: %s", err);
	}
}

/* @n code points of @cp as UTF-8 into @out. */
static void utf8_of(const unsigned *cp, int n, char *out)
{
	for (int i = 0; i < n; i++) {
		unsigned c = cp[i];
		if (c < 0x80) {
			*out++ = (char)c;
		} else {
			*out++ = (char)(0xE0 | c >> 12);
			*out++ = (char)(0x80 | (c >> 6 & 0x3F));
			*out++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*out = '\0';
}

/* Counts the names of @n code points, each from @set (@size), whose key by
 * the default keyer (ICU's Devanagari rules alone, match_deva.h) is not
 * the one of ICU's whole transliterator (@icu, by another id). */
static int differing(struct match_keyer *icu, const unsigned *set, int size, int n)
{
	int differ = 0;
	char err[256], name[32], a[MATCH_KEY_BYTES], b[MATCH_KEY_BYTES];
	unsigned cp[3];
	int total = 1;
	for (int i = 0; i < n; i++)
		total *= size;
	for (int x = 0; x < total; x++) {
		for (int i = 0, y = x; i < n; i++, y /= size)
			cp[i] = set[y % size];
		utf8_of(cp, n, name);
		int ra = match_key(keyer, name, a, sizeof(a), err, sizeof(err));
		int rb = match_key(icu, name, b, sizeof(b), err, sizeof(err));
		if ((ra != rb || strcmp(a, b) != 0) && ++differ <= 5)
			printf("# %s (U+%04X U+%04X U+%04X): %s, ICU %s\n", name, cp[0], n > 1 ? cp[1] : 0,
			       n > 2 ? cp[2] : 0, a, b);
	}
	return differ;
}

/* Devanagari keyed by ICU's own two rule sets (match_deva.c): the keys of
 * the whole transliterator, each code point of the block alone, in every
 * pair, and beside ASCII (the abbreviation sign U+0970 goes to the whole
 * one: in threes its keys differed, 7,396 of them). */
static void devanagari_rules(void)
{
	struct match_keyer *icu = whole_keyer();
	if (!icu)
		return;
	unsigned set[0x80 + 6];
	int size = 0;
	for (unsigned c = 0x0900; c <= 0x097F; c++)
		set[size++] = c;
	is_int(differing(icu, set, size, 1), 0, "every code point of U+0900..U+097F: ICU's key");
	is_int(differing(icu, set, size, 2), 0, "every pair of them: ICU's key");
	static const unsigned ascii[] = {'a', 'K', ' ', '\'', '1', '-'};
	memcpy(set + size, ascii, sizeof(ascii));
	size += (int)(sizeof(ascii) / sizeof(ascii[0]));
	is_int(differing(icu, set, size, 2), 0, "and beside ASCII letters, digits, spaces and marks");
	/* Every three: 2.4 million names, 13 s. */
	if (getenv("MATCH_TRIPLES"))
		is_int(differing(icu, set, size, 3), 0, "every three of them and ASCII (MATCH_TRIPLES)");
	match_keyer_free(icu);
}

int main(void)
{
	char err[256] = "";
	if (!ok(match_keyer_new(&keyer, NULL, err, sizeof(err)) == 0, "ICU opens %s", MATCH_TRANSLITERATOR)) {
		printf("# %s\n", err);
		return tap_done();
	}
	keys();
	names();
	scores();
	escaped();
	top();
	errors();
	ascii_as_is();
	devanagari_rules();
	match_keyer_free(keyer);
	return tap_done();
}
