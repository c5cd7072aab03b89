/* Matching a found child or a sighting to the open reports (issue 15): a
 * name key that meets across scripts (सीमा, Seema and Sima), a score of one
 * description against another with the reasons in words, and the best few
 * candidates of a found child among many reports. Nothing here links a case:
 * a person confirms or dismisses what this suggests.
 *
 * The engine is a component of its own, not yet wired into the agent's store
 * or board (docs/agent.md, "Matching"). Threads: a keyer (ICU's
 * transliterator) is used by one thread at a time; everything else keeps no
 * state and is safe from any thread. */
#ifndef RAKSHA_MATCH_H
#define RAKSHA_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/v1/raksha.pb-c.h>

/* The names kept of a person: the name and the first other names. */
#define MATCH_NAMES 8
/* A name as written, cut at a code point to fit (for the reasons' text). */
#define MATCH_NAME_BYTES 96
/* A name's key: folded Latin letters, words separated by one space. */
#define MATCH_KEY_BYTES 64
/* The longest name a keyer takes, in bytes. */
#define MATCH_NAME_MAX 255
/* A station code or a train number, as written, cut to fit. */
#define MATCH_CODE_BYTES 16
#define MATCH_WHY_BYTES 256
/* The score from which a report is worth a person's look. */
#define MATCH_THRESHOLD 50
/* A candidate this far behind the best of the same found child is left
 * out: on the benchmark's set (docs/benchmarks.md) it halves the wrong
 * suggestions and loses no true one. */
#define MATCH_GAP 20
/* The transliterator of a keyer made without an id: any script to Latin,
 * Latin without its accents, lower case. */
#define MATCH_TRANSLITERATOR "Any-Latin; Latin-ASCII; Lower"

struct match_keyer;

/* A keyer: ICU's transliterator @id (NULL: MATCH_TRANSLITERATOR), opened
 * once, because opening costs far more than keying a name.
 * Returns 0 and *@out, or
 *   -EINVAL  @id unknown to ICU, a rule that does not parse, or ICU without
 *            the data of a transliterator it names (@err says which, with
 *            ICU's error name and the offset in @id);
 *   -ENOMEM  out of memory. */
int match_keyer_new(struct match_keyer **out, const char *id, char *err, size_t errsize);
void match_keyer_free(struct match_keyer *k);

/* The key of @name (UTF-8, any script) into @key (@size bytes, terminated):
 * transliterated to lower-case ASCII Latin, then folded the way Indian
 * names are spelt in Latin (match_fold). An empty key is a name without
 * letters. Returns the key's length, or
 *   -EILSEQ  @name is not UTF-8 (@err names the byte);
 *   -E2BIG   @name is longer than MATCH_NAME_MAX bytes;
 *   -ENOBUFS @size is 0;
 *   -EIO     ICU failed (@err has its error name). */
int match_key(struct match_keyer *k, const char *name, char *key, size_t size, char *err,
	      size_t errsize);

/* How alike two keys are, 0..1: each word of the key with fewer words
 * against its best counterpart in the other (Jaro-Winkler), averaged, so
 * that "sim" meets "sim kumari" and a shared surname alone does not make
 * two children alike. 0 when either key is empty. */
double match_name_similarity(const char *a, const char *b);

/* A found child, a sighting or a report, as the engine compares them. */
struct match_person {
	char names[MATCH_NAMES][MATCH_NAME_BYTES];
	char keys[MATCH_NAMES][MATCH_KEY_BYTES];
	size_t n_names;
	int age_min, age_max;       /* years; -1 when not given */
	int gender;                 /* Raksha__V1__Gender; outside the enum: unspecified */
	char station[MATCH_CODE_BYTES];
	char train[MATCH_CODE_BYTES];
	int64_t time_ms;            /* found, seen or last seen; 0 when not given */
};

/* Fills @out from a decoded child and place (either may be NULL): the name
 * and other names keyed (empty ones skipped, at most MATCH_NAMES), the age
 * in years or its range, the gender, the station code, the train number and
 * the time. Returns 0, or match_key's errno for the first name it cannot
 * key (@err names the field: "other_names[2]: ..."). */
int match_person_from_child(struct match_keyer *k, const Raksha__V1__Child *child,
			    const Raksha__V1__Place *place, struct match_person *out, char *err,
			    size_t errsize);

struct match_result {
	int score;                  /* 0..100; 0 also when something rules it out */
	char why[MATCH_WHY_BYTES];  /* "name Seema~सीमा 0.93, age 8 in 7-9, same train 12627" */
};

/* Scores the found child or sighting @found against the report @report:
 * the best pair of their names, the ages (ranges overlap; a year or two
 * apart still plausible), the gender (unspecified matches anything, a
 * conflict rules out), the train, the station, and the time (found after
 * last seen, not long after; more than a day before rules out). The why
 * text is escaped (common/text.h): no control or bidi character of a name
 * or a code reaches a reader. */
void match_score(const struct match_person *found, const struct match_person *report,
		 struct match_result *out);

struct match_candidate {
	size_t index;               /* into the reports given */
	struct match_result result;
};

/* The best @max candidates of @found among the @n @reports, best first,
 * ties in the order given, into @top: those scoring at least @threshold
 * (and more than 0), less any MATCH_GAP or more behind the best. Once a
 * person dismisses a candidate, the caller leaves that report out and
 * asks again, and those behind it may come back. Returns how many were
 * written. */
size_t match_top(const struct match_person *found, const struct match_person *reports, size_t n,
		 int threshold, struct match_candidate *top, size_t max);

#endif
