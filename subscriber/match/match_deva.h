/* Devanagari to Latin by ICU's own rules without ICU's registry of
 * transliterators: what "Any-Latin" does to a Devanagari name (NFD, then
 * ICU's Devanagari-InterIndic and InterIndic-Latin), at a quarter of its
 * memory. Opening the first transliterator by id builds the registry of
 * every one ICU has (530 KiB of heap, 1.2 MiB more of ICU's code and data
 * resident) and Any-Latin opens its Devanagari-Latin besides; these two
 * rule sets, read from ICU's data and compiled alone, take 300 KiB and
 * 3 ms instead of 17 (docs/benchmarks.md, issue 19 part 6, session 5). */
#ifndef RAKSHA_MATCH_DEVA_H
#define RAKSHA_MATCH_DEVA_H

#include <stdbool.h>

#include "match/match_icu.h"

struct match_deva {
	const struct match_icu *icu;
	const UNormalizer2 *nfd;
	UTransliterator *to_interindic, *to_latin;
};

/* Whether match_deva_latin() gives @units (@len) what the default
 * transliterator would, up to match_fold(): each code unit ASCII or in
 * the Devanagari block, U+0900..U+097F, but its abbreviation sign
 * U+0970 (tests/unit/test-match.c compares the two on every one of them,
 * alone, in pairs and beside ASCII; in threes too, 13 s, with
 * MATCH_TRIPLES=1). */
bool match_deva_takes(const UChar *units, int32_t len);

/* Opens @d's transliterators; -ENOENT (@err says why) if this ICU's data
 * does not hold them the way ICU 72 does, -ENOMEM. */
int match_deva_open(struct match_deva *d, const struct match_icu *icu, char *err, size_t errsize);
void match_deva_close(struct match_deva *d);

/* @in (@len units) in Latin into @out (@capacity), the length in *@out_len:
 * Latin letters with their accents as combining marks, which match_fold()
 * drops (Latin-ASCII would have, then Lower: match_fold reads upper case
 * as lower). Returns 0 or -EIO with ICU's error in @err. */
int match_deva_latin(const struct match_deva *d, const UChar *in, int32_t len, UChar *out, int32_t capacity,
		     int32_t *out_len, char *err, size_t errsize);

#endif
