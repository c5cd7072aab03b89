/* A name's key (match.h): ICU's transliterator to lower-case ASCII Latin,
 * then the folding of match_fold.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "match/match_deva.h"
#include "match/match_icu.h"
#include "match/match_impl.h"

/* Room for a transliteration: Devanagari becomes at most a few Latin
 * letters a code unit (क्ष, ksa), so four times the longest name. */
#define UNITS_MAX (4 * (MATCH_NAME_MAX + 1))

/* The default keyer (MATCH_TRANSLITERATOR) opens ICU at the first name
 * that is not ASCII, its Devanagari rules alone (match_deva.h) at the
 * first Devanagari name, and the whole transliterator at the first name
 * in another script: an agent whose names are ASCII and Devanagari never
 * builds ICU's registry (docs/benchmarks.md, issue 19 part 6, session 5).
 * Another id is opened at once, its errors said by match_keyer_new(). */
struct match_keyer {
	const struct match_icu *icu;  /* NULL: not loaded yet */
	UTransliterator *trans;       /* the id's; NULL: not opened yet */
	struct match_deva deva;       /* deva.to_latin NULL: not opened yet */
	bool is_default;              /* MATCH_TRANSLITERATOR: ASCII needs no ICU (match_key()) */
	bool deva_failed;             /* this ICU's data without the rules: the whole transliterator */
	char id[256];
	UChar in[UNITS_MAX];
	UChar units[UNITS_MAX];
	char ascii[4 * UNITS_MAX];
};

/* Loads ICU and opens k->id's transliterator. */
static int open_whole(struct match_keyer *k, char *err, size_t errsize)
{
	if (!k->icu)
		k->icu = match_icu(err, errsize);
	if (!k->icu)
		return -ENOENT;
	UChar uid[sizeof(k->id)];
	k->icu->uastrcpy(uid, k->id);
	UParseError where = {0};
	UErrorCode status = U_ZERO_ERROR;
	k->trans = k->icu->open(uid, -1, UTRANS_FORWARD, NULL, -1, &where, &status);
	if (U_FAILURE(status)) {
		k->trans = NULL;
		snprintf(err, errsize, "transliterator id: ICU cannot open it (%s, at offset %d)",
			 k->icu->error_name(status), (int)where.offset);
		return status == U_MEMORY_ALLOCATION_ERROR ? -ENOMEM : -EINVAL;
	}
	return 0;
}

int match_keyer_new(struct match_keyer **out, const char *id, char *err, size_t errsize)
{
	if (!id)
		id = MATCH_TRANSLITERATOR;
	struct match_keyer *k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	if (strlen(id) >= sizeof(k->id)) {
		snprintf(err, errsize, "transliterator id: longer than %zu bytes", sizeof(k->id) - 1);
		free(k);
		return -EINVAL;
	}
	snprintf(k->id, sizeof(k->id), "%s", id);
	/* By its name, not by whose string it is: a configuration that names
	 * the default gets the same keys, the same way. */
	k->is_default = strcmp(id, MATCH_TRANSLITERATOR) == 0;
	if (!k->is_default) {
		int r = open_whole(k, err, errsize);
		if (r < 0) {
			free(k);
			return r;
		}
	}
	*out = k;
	return 0;
}

void match_keyer_free(struct match_keyer *k)
{
	if (!k)
		return;
	if (k->trans)
		k->icu->close(k->trans);
	if (k->deva.to_latin)
		match_deva_close(&k->deva);
	free(k);
}

/* The length of the UTF-8 sequence at @s (@n bytes, n >= 1), 0 if it is
 * none: ICU's U8_NEXT rules (no overlong form, no surrogate, nothing over
 * U+10FFFF), without ICU's function behind the macro. */
static int32_t sequence(const unsigned char *s, int32_t n)
{
	static const uint32_t MIN[5] = {0, 0, 0x80, 0x800, 0x10000};
	int32_t len = 4;
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xC0 || s[0] > 0xF4)
		return 0;
	if (s[0] < 0xE0)
		len = 2;
	else if (s[0] < 0xF0)
		len = 3;
	if (len > n)
		return 0;
	uint32_t c = s[0] & (0x7Fu >> len);
	for (int32_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3Fu);
	}
	if (c < MIN[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

/* The offset of @name's first byte that is not UTF-8, or -1. */
static int32_t bad_byte(const char *name, int32_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	for (int32_t i = 0; i < n;) {
		int32_t len = sequence(s + i, n - i);
		if (len == 0)
			return i;
		i += len;
	}
	return -1;
}

/* @name as UTF-16 in k->in; returns its length or a negative errno. */
static int32_t to_units(struct match_keyer *k, const char *name, char *err, size_t errsize)
{
	size_t n = strlen(name);
	if (n > MATCH_NAME_MAX) {
		snprintf(err, errsize, "name: %zu bytes, more than %d", n, MATCH_NAME_MAX);
		return -E2BIG;
	}
	int32_t bad = bad_byte(name, (int32_t)n);
	if (bad >= 0) {
		snprintf(err, errsize, "name: not UTF-8 at byte %d (0x%02x)", (int)bad,
			 (unsigned)(unsigned char)name[bad]);
		return -EILSEQ;
	}
	if (!k->icu)
		k->icu = match_icu(err, errsize);
	if (!k->icu)
		return -ENOENT;
	int32_t len = 0;
	UErrorCode status = U_ZERO_ERROR;
	k->icu->from_utf8(k->in, UNITS_MAX, &len, name, (int32_t)n, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot read it (%s)", k->icu->error_name(status));
		return -EIO;
	}
	/* ICU writes the chandrabindu (आँचल) as m whatever follows, and the
	 * anusvara (आंचल) as the nasal that is said; people write both as
	 * the latter (Aanchal), so the one is read as the other. */
	for (int32_t i = 0; i < len; i++) {
		if (k->in[i] == 0x0901)
			k->in[i] = 0x0902;
	}
	return len;
}

/* The default's Devanagari rules, opened at its first Devanagari name;
 * false if this ICU's data does not hold them as ICU 72's does: the whole
 * transliterator then, which gives the same keys at its own cost. */
static bool deva_ready(struct match_keyer *k)
{
	if (k->deva.to_latin || k->deva_failed)
		return !k->deva_failed;
	char why[160];
	k->deva_failed = match_deva_open(&k->deva, k->icu, why, sizeof(why)) < 0;
	return !k->deva_failed;
}

/* k->in (@len units) through the id's transliterator into k->units. */
static int whole(struct match_keyer *k, int32_t len, int32_t *n, char *err, size_t errsize)
{
	if (!k->trans) {
		int r = open_whole(k, err, errsize);
		if (r < 0)
			return r;
	}
	memcpy(k->units, k->in, (size_t)len * sizeof(k->units[0]));
	UErrorCode status = U_ZERO_ERROR;
	int32_t limit = len;
	*n = len;
	k->icu->trans_uchars(k->trans, k->units, n, UNITS_MAX - 1, 0, &limit, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot transliterate it (%s)", k->icu->error_name(status));
		return -EIO;
	}
	return 0;
}

/* k->in (@len units) in Latin, as UTF-8 in k->ascii. */
static int transliterate(struct match_keyer *k, int32_t len, char *err, size_t errsize)
{
	int32_t n = 0;
	int r;
	if (k->is_default && match_deva_takes(k->in, len) && deva_ready(k))
		r = match_deva_latin(&k->deva, k->in, len, k->units, UNITS_MAX, &n, err, errsize);
	else
		r = whole(k, len, &n, err, errsize);
	if (r < 0)
		return r;
	int32_t out = 0;
	UErrorCode status = U_ZERO_ERROR;
	k->icu->to_utf8(k->ascii, (int32_t)sizeof(k->ascii), &out, k->units, n, &status);
	if (U_FAILURE(status) || out >= (int32_t)sizeof(k->ascii)) {
		snprintf(err, errsize, "name: ICU cannot write it (%s)", k->icu->error_name(status));
		return -EIO;
	}
	k->ascii[out] = '\0';
	return 0;
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

int match_key(struct match_keyer *k, const char *name, char *key, size_t size, char *err,
	      size_t errsize)
{
	if (size == 0)
		return -ENOBUFS;
	key[0] = '\0';
	/* Any-Latin and Latin-ASCII leave ASCII as it is, and match_fold()
	 * reads upper case as lower: the same key without ICU, which took
	 * half of the escalator's work for a report whose child has a Latin
	 * name among its names (docs/benchmarks.md, issue 19 part 1, session
	 * 4; tests/unit/test-match.c compares the two on every ASCII byte). */
	if (k->is_default && strlen(name) <= MATCH_NAME_MAX && is_ascii(name))
		return (int)match_fold(name, key, size);
	int32_t len = to_units(k, name, err, errsize);
	if (len < 0)
		return len;
	int r = transliterate(k, len, err, errsize);
	if (r < 0)
		return r;
	/* What Latin-ASCII left that is not ASCII (a script ICU has no
	 * Latin for) is not a letter to match_fold, which drops it. */
	return (int)match_fold(k->ascii, key, size);
}
