/* The poster's names in both scripts (desk_poster_name.h): ICU's rule-based
 * transliterator, opened for each poster (a poster is printed now and then;
 * one per call needs no lock between the desk's threads). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "desk/desk_poster_name.h"

#define UNITS_MAX (DESK_POSTER_MADE_BYTES / 2)

/* A context of a negated set matches at the text's end too: "} [^a-z]"
 * is "before a letter that is not a-z, or at the end".
 *
 * To Latin: Hindi leaves a word's last consonant without its vowel
 * (राहुल is Rahul, not ISO's rāhula), so a virama is put there first;
 * the chandrabindu is read as the anusvara (आँचल: Aanchal, not Aamcal);
 * then Latin without accents (a poster's readers type names so), words
 * capitalised. */
#define C "[\\u0915-\\u0939\\u0958-\\u095F]"
static const char TO_LATIN[] =
	":: NFC; \\u0901 > \\u0902; (" C " \\u093C?) } [^\\u0900-\\u097F] > $1 \\u094D;"
	":: Null; :: Any-Latin; :: Latin-ASCII; \\' > ; :: Any-Title;";
/* To Devanagari: ICU reads Latin as ISO 15919 (e short, a final a short),
 * people spell it the English way: ee, aa, sh, a name's final a long
 * (Seema: सीमा); no virama at a word's end, as Hindi writes it. */
static const char TO_DEVANAGARI[] =
	":: Any-Lower; :: Latin-ASCII; aa > ā; ee > ī; ii > ī; oo > ū; uu > ū; sh > ś; ch > c; w > v;"
	"e > ē; o > ō; a } [^a-z] > ā; i } [^a-z] > ī; :: Null; :: Latin-Devanagari;"
	"\\u094D } [^\\u0900-\\u097F] > ;";
#undef C

enum desk_script desk_poster_script(const char *s)
{
	int32_t n = (int32_t)strnlen(s, DESK_POSTER_NAME_MAX + 1), i = 0;
	bool latin = false, other = false;
	while (i < n) {
		UChar32 c;
		U8_NEXT(s, i, n, c);
		if (c >= 0x0900 && c <= 0x097F)
			return DESK_SCRIPT_DEVANAGARI;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F))
			latin = true;
		else if (c > 0x24F && u_isalpha(c))
			other = true;
	}
	if (other)
		return DESK_SCRIPT_OTHER;
	return latin ? DESK_SCRIPT_LATIN : DESK_SCRIPT_NONE;
}

static UTransliterator *open_rules(const char *rules, char *err, size_t errsize)
{
	static const UChar id[] = {'p', 'o', 's', 't', 'e', 'r', 0};
	UChar units[512];
	UErrorCode status = U_ZERO_ERROR;
	UParseError where = {0};
	u_strFromUTF8(units, (int32_t)(sizeof(units) / sizeof(units[0])), NULL, rules, -1, &status);
	UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, units, -1, &where, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "transliterator: ICU cannot open it (%s, at offset %d)", u_errorName(status),
			 (int)where.offset);
		return NULL;
	}
	return t;
}

/* @units (@len of them, room for UNITS_MAX) through @t, written as UTF-8. */
static int run(UTransliterator *t, UChar *units, int32_t len, char *out, size_t size, char *err, size_t errsize)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t limit = len, written = 0;
	utrans_transUChars(t, units, &len, UNITS_MAX - 1, 0, &limit, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot transliterate it (%s)", u_errorName(status));
		return -EIO;
	}
	u_strToUTF8(out, (int32_t)size, &written, units, len, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) {
		snprintf(err, errsize, "name: its transliteration is longer than %zu bytes", size - 1);
		return -ENOBUFS;
	}
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: ICU cannot write it (%s)", u_errorName(status));
		return -EIO;
	}
	return (int)written;
}

int desk_poster_transliterate(const char *in, bool to_latin, char *out, size_t size, char *err, size_t errsize)
{
	UChar units[UNITS_MAX];
	int32_t len = 0;
	UErrorCode status = U_ZERO_ERROR;
	size_t n = strlen(in);
	if (size == 0)
		return -ENOBUFS;
	out[0] = '\0';
	if (n > DESK_POSTER_NAME_MAX) {
		snprintf(err, errsize, "name: %zu bytes, more than %d", n, DESK_POSTER_NAME_MAX);
		return -E2BIG;
	}
	u_strFromUTF8(units, UNITS_MAX, &len, in, (int32_t)n, &status);
	if (U_FAILURE(status)) {
		snprintf(err, errsize, "name: not UTF-8 (%s)", u_errorName(status));
		return -EILSEQ;
	}
	UTransliterator *t = open_rules(to_latin ? TO_LATIN : TO_DEVANAGARI, err, errsize);
	if (t == NULL)
		return -EIO;
	int r = run(t, units, len, out, size, err, errsize);
	utrans_close(t);
	return r;
}

/* The first of @c's other names written in @script, or NULL. */
static const char *other_name(const Raksha__V1__Child *c, enum desk_script script)
{
	for (size_t i = 0; i < c->n_other_names; i++) {
		if (desk_poster_script(c->other_names[i]) == script)
			return c->other_names[i];
	}
	return NULL;
}

int desk_poster_names(const Raksha__V1__Child *c, struct desk_poster_names *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	if (c == NULL || c->name == NULL || c->name[0] == '\0')
		return 0;
	out->name = c->name;
	enum desk_script script = desk_poster_script(c->name);
	if (script == DESK_SCRIPT_NONE)
		return 0;
	bool to_latin = script != DESK_SCRIPT_LATIN;
	out->other = other_name(c, to_latin ? DESK_SCRIPT_LATIN : DESK_SCRIPT_DEVANAGARI);
	if (out->other != NULL)
		return 0;
	int r = desk_poster_transliterate(c->name, to_latin, out->buf, sizeof(out->buf), err, errsize);
	if (r <= 0)
		return r;
	out->other = out->buf;
	out->made = true;
	return 0;
}
