/* What the matching engine's files share and nobody else needs. */
#ifndef RAKSHA_MATCH_IMPL_H
#define RAKSHA_MATCH_IMPL_H

#include <stddef.h>

/* Folds @ascii (lower-case ASCII Latin, a keyer's transliteration) into
 * @out (@size bytes, always terminated, cut at a word that does not fit):
 * letters only, words separated by one space, each word spelt the one way
 * that the common Latin spellings of an Indian name share: ee/i, oo/u,
 * w/v, z/j, q/k, ph/f, an aspirate's h dropped (sh/s, th/t, dh/d, kh/k),
 * double letters single, y at the end as i, an a between consonants that
 * Hindi does not say (kamalesa, Kamlesh), and a trailing a dropped
 * (Devanagari's inherent vowel, which ICU writes and people do not).
 * Returns the length written. */
size_t match_fold(const char *ascii, char *out, size_t size);

struct match_person;

/* match_score's score, with its reasons written into @why
 * (MATCH_WHY_BYTES) unless @why is NULL. */
int match_points(const struct match_person *found, const struct match_person *report, char *why);

/* Jaro-Winkler similarity of two byte strings, 0..1 (1: equal). */
double match_jaro_winkler(const char *a, size_t na, const char *b, size_t nb);

#endif
