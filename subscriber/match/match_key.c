/* A name's key (match.h): ICU's transliterator to lower-case ASCII Latin,
 * then the folding of match_fold.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "match/match.h"
#include "match/match_impl.h"

/* Room for a transliteration: Devanagari becomes at most a few Latin
 * letters a code unit (क्ष, ksa), so four times the longest name. */
#define UNITS_MAX (4 * (MATCH_NAME_MAX + 1))

struct match_keyer {
	UTransliterator *trans;
	UChar units[UNITS_MAX];
	char ascii[4 * UNITS_MAX];
};

int match_keyer_new(struct match_keyer **out, const char *id, char *err, size_t errsize)
{
	if (!id)
		id = MATCH_TRANSLITERATOR;
	UChar uid[256];
	if (strlen(id) >= sizeof(uid) / sizeof(uid[0])) {
		snprintf(err, errsize, "transliterator id: longer than %zu bytes",
			 sizeof(uid) / sizeof(uid[0]) - 1);
		return -EINVAL;
	}
	u_uastrcpy(uid, id);
	struct match_keyer *k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	UParseError where = {0};
	UErrorCode status = U_ZERO_ERROR;
	k->trans = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, -1, &where, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "transliterator id: ICU cannot open it (%s, at offset %d)",
			 u_errorName(status), (int)where.offset);
		free(k);
		return status == U_MEMORY_ALLOCATION_ERROR ? -ENOMEM : -EINVAL;
	}
	*out = k;
	return 0;
}

void match_keyer_free(struct match_keyer *k)
{
	if (!k)
		return;
	utrans_close(k->trans);
	free(k);
}

/* The offset of @name's first byte that is not UTF-8, or -1. */
static int32_t bad_byte(const char *name, int32_t n)
{
	int32_t i = 0;
	while (i < n) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT(name, i, n, c);
		if (c < 0)
			return at;
	}
	return -1;
}

/* @name as UTF-16 in k->units; returns its length or a negative errno. */
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
	int32_t len = 0;
	UErrorCode status = U_ZERO_ERROR;
	u_strFromUTF8(k->units, UNITS_MAX, &len, name, (int32_t)n, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot read it (%s)", u_errorName(status));
		return -EIO;
	}
	/* ICU writes the chandrabindu (आँचल) as m whatever follows, and the
	 * anusvara (आंचल) as the nasal that is said; people write both as
	 * the latter (Aanchal), so the one is read as the other. */
	for (int32_t i = 0; i < len; i++) {
		if (k->units[i] == 0x0901)
			k->units[i] = 0x0902;
	}
	return len;
}

/* Transliterates k->units in place and writes them as UTF-8 to k->ascii. */
static int transliterate(struct match_keyer *k, int32_t len, char *err, size_t errsize)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t limit = len;
	utrans_transUChars(k->trans, k->units, &len, UNITS_MAX - 1, 0, &limit, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot transliterate it (%s)", u_errorName(status));
		return -EIO;
	}
	int32_t out = 0;
	u_strToUTF8(k->ascii, (int32_t)sizeof(k->ascii), &out, k->units, len, &status);
	if (U_FAILURE(status) || out >= (int32_t)sizeof(k->ascii)) {
		snprintf(err, errsize, "name: ICU cannot write it (%s)", u_errorName(status));
		return -EIO;
	}
	k->ascii[out] = '\0';
	return 0;
}

int match_key(struct match_keyer *k, const char *name, char *key, size_t size, char *err,
	      size_t errsize)
{
	if (size == 0)
		return -ENOBUFS;
	key[0] = '\0';
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
