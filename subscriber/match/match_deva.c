/* Devanagari to Latin by ICU's own rules, without its registry (match_deva.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <unicode/udata.h>

#include "match/match_deva.h"

/* ICU's transliteration data, where its registry finds the rules. */
#define TRANSLIT U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "translit"

bool match_deva_takes(const UChar *units, int32_t len)
{
	for (int32_t i = 0; i < len; i++) {
		if (units[i] >= 0x80 && (units[i] < 0x0900 || units[i] > 0x097F))
			return false;
		/* The abbreviation sign (॰), which no rule takes: between two
		 * letters Any-Latin's script runs break the word there, these
		 * rules do not. */
		if (units[i] == 0x0970)
			return false;
	}
	return true;
}

static bool is(const UChar *s, int32_t len, const char *ascii)
{
	int32_t i = 0;
	for (; i < len && ascii[i]; i++) {
		if (s[i] != (UChar)ascii[i])
			return false;
	}
	return i == len && ascii[i] == '\0';
}

/* ICU's rule-based transliterator @id as its registry would make it: the
 * rules of RuleBasedTransliteratorIDs/@id (the one entry, "internal" or
 * "file", whose "resource" holds them, "direction" FORWARD). */
static int open_rules(const struct match_icu *icu, const UResourceBundle *ids, const char *id,
		      UTransliterator **out, char *err, size_t errsize)
{
	UErrorCode status = U_ZERO_ERROR;
	UResourceBundle *entry = icu->res_by_key(ids, id, NULL, &status);
	UResourceBundle *how = icu->res_by_index(entry, 0, NULL, &status);
	int32_t n = 0, dn = 0;
	const UChar *rules = icu->res_string(how, "resource", &n, &status);
	const UChar *dir = icu->res_string(how, "direction", &dn, &status);
	int r = -ENOENT;
	if (U_FAILURE(status) || !is(dir, dn, "FORWARD")) {
		snprintf(err, errsize, "ICU's data: no rules of %s (%s)", id, icu->error_name(status));
		goto done;
	}
	UChar uid[40];
	icu->uastrcpy(uid, id);
	UParseError where = {0};
	*out = icu->open(uid, -1, UTRANS_FORWARD, rules, n, &where, &status);
	r = 0;
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "ICU's rules of %s: %s at offset %d", id, icu->error_name(status),
			 (int)where.offset);
		r = status == U_MEMORY_ALLOCATION_ERROR ? -ENOMEM : -ENOENT;
	}
done:
	icu->res_close(how);
	icu->res_close(entry);
	return r;
}

int match_deva_open(struct match_deva *d, const struct match_icu *icu, char *err, size_t errsize)
{
	memset(d, 0, sizeof(*d));
	d->icu = icu;
	UErrorCode status = U_ZERO_ERROR;
	d->nfd = icu->nfd(&status);
	UResourceBundle *root = icu->res_open(TRANSLIT, "root", &status);
	UResourceBundle *ids = icu->res_by_key(root, "RuleBasedTransliteratorIDs", NULL, &status);
	int r = -ENOENT;
	if (U_FAILURE(status))
		snprintf(err, errsize, "ICU's data: no %s/root (%s)", TRANSLIT, icu->error_name(status));
	else
		r = open_rules(icu, ids, "Devanagari-InterIndic", &d->to_interindic, err, errsize);
	if (r == 0)
		r = open_rules(icu, ids, "InterIndic-Latin", &d->to_latin, err, errsize);
	icu->res_close(ids);
	icu->res_close(root);
	if (r < 0)
		match_deva_close(d);
	return r;
}

void match_deva_close(struct match_deva *d)
{
	if (d->to_interindic)
		d->icu->close(d->to_interindic);
	if (d->to_latin)
		d->icu->close(d->to_latin);
	d->to_interindic = NULL;
	d->to_latin = NULL;
}

/* Latin-ASCII's first rule, [[:Latin:][0-9]] { [:Mn:]+ > : the accents
 * InterIndic-Latin wrote (U+0300..U+036F, combining marks of no script)
 * after a letter or digit go; any other stays, a break to match_fold(). */
static int32_t unaccent(UChar *s, int32_t len)
{
	int32_t n = 0;
	bool after_letter = false;
	for (int32_t i = 0; i < len; i++) {
		UChar c = s[i];
		bool mark = c >= 0x0300 && c <= 0x036F;
		if (mark && after_letter)
			continue;
		after_letter = (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) || (c >= '0' && c <= '9') ||
			       c == 0x0294;
		s[n++] = c;
	}
	return n;
}

int match_deva_latin(const struct match_deva *d, const UChar *in, int32_t len, UChar *out, int32_t capacity,
		     int32_t *out_len, char *err, size_t errsize)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = d->icu->normalize(d->nfd, in, len, out, capacity, &status);
	int32_t limit = n;
	if (U_SUCCESS(status))
		d->icu->trans_uchars(d->to_interindic, out, &n, capacity - 1, 0, &limit, &status);
	limit = n;
	if (U_SUCCESS(status))
		d->icu->trans_uchars(d->to_latin, out, &n, capacity - 1, 0, &limit, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot transliterate it (%s)", d->icu->error_name(status));
		return -EIO;
	}
	*out_len = unaccent(out, n);
	return 0;
}
