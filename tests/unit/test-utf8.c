/* The strict UTF-8 check behind every string of every envelope. */
#include <stdbool.h>
#include <stdint.h>

#include "lib/utf8.h"
#include "tests/lib/tap.h"

static const struct {
	const char *s;
	enum utf8_verdict want;
	size_t at;
	const char *why;
} cases[] = {
	{"Seema", UTF8_OK, 0, "ASCII"},
	{"सीमा कुमारी", UTF8_OK, 0, "Devanagari"},
	{"tab\there\nnewline\r", UTF8_OK, 0, "tab, LF and CR allowed"},
	{"\xf0\x9f\x98\x80", UTF8_OK, 0, "4-byte emoji"},
	{"\xf4\x8f\xbf\xbf", UTF8_OK, 0, "U+10FFFF"},
	{"ab\xc3", UTF8_MALFORMED, 2, "truncated 2-byte sequence"},
	{"\xc0\xaf", UTF8_MALFORMED, 0, "overlong '/'"},
	{"\xe0\x80\xaf", UTF8_MALFORMED, 0, "overlong 3-byte"},
	{"\xed\xa0\x80", UTF8_MALFORMED, 0, "surrogate U+D800"},
	{"\xf4\x90\x80\x80", UTF8_MALFORMED, 0, "beyond U+10FFFF"},
	{"a\x80", UTF8_MALFORMED, 1, "stray continuation byte"},
	{"\xfe", UTF8_MALFORMED, 0, "0xFE never appears"},
	{"x\xe0\xa4z", UTF8_MALFORMED, 1, "bad continuation"},
	{"red\x1b[2Jfrock", UTF8_CONTROL, 3, "ESC (terminal escape)"},
	{"a\x7f", UTF8_CONTROL, 1, "DEL"},
	{"a\xc2\x9b", UTF8_CONTROL, 1, "C1 CSI U+009B"},
	/* After a run of printable ASCII (read without decoding): the offset. */
	{"Platform 1, near the tea stall\x01", UTF8_CONTROL, 30, "a control after ASCII"},
	{"Platform 1, near the tea stall\x7f", UTF8_CONTROL, 30, "DEL after ASCII"},
	{"Platform 1 \xe0\xa4\xb8 stall \xc0\xaf", UTF8_MALFORMED, 21, "overlong after ASCII and Devanagari"},
	{"tab\tLF\nCR\r and ~ end", UTF8_OK, 0, "tab, LF and CR between ASCII"},
	{" ~", UTF8_OK, 0, "the ends of printable ASCII"},
};

/* Unicode's table 3-7, row by row: the lead bytes, the second byte's
 * range, the sequence's length (the bytes after the second: 80..BF). */
static const struct {
	unsigned char lead_lo, lead_hi, second_lo, second_hi;
	size_t n;
} table_3_7[] = {
	{0x00, 0x7f, 0, 0, 1},       {0xc2, 0xdf, 0x80, 0xbf, 2}, {0xe0, 0xe0, 0xa0, 0xbf, 3},
	{0xe1, 0xec, 0x80, 0xbf, 3}, {0xed, 0xed, 0x80, 0x9f, 3}, {0xee, 0xef, 0x80, 0xbf, 3},
	{0xf0, 0xf0, 0x90, 0xbf, 4}, {0xf1, 0xf3, 0x80, 0xbf, 4}, {0xf4, 0xf4, 0x80, 0x8f, 4},
};

/* The length of the well-formed sequence at @p (@left bytes), or 0. */
static size_t well_formed(const unsigned char *p, size_t left)
{
	for (size_t r = 0; r < sizeof(table_3_7) / sizeof(table_3_7[0]); r++) {
		if (p[0] < table_3_7[r].lead_lo || p[0] > table_3_7[r].lead_hi)
			continue;
		size_t n = table_3_7[r].n;
		if (n > left)
			return 0;
		if (n > 1 && (p[1] < table_3_7[r].second_lo || p[1] > table_3_7[r].second_hi))
			return 0;
		for (size_t k = 2; k < n; k++)
			if (p[k] < 0x80 || p[k] > 0xbf)
				return 0;
		return n;
	}
	return 0;
}

/* The rules again, written apart from lib/utf8.c and a byte at a time,
 * as the oracle for its word-at-a-time run of ASCII: a verdict, offset
 * and code point each. */
static enum utf8_verdict oracle(const unsigned char *p, size_t len, size_t *at, uint32_t *cp)
{
	for (size_t i = 0; i < len;) {
		size_t n = well_formed(p + i, len - i);
		*at = i;
		if (n == 0) {
			*cp = p[i];
			return UTF8_MALFORMED;
		}
		uint32_t c = n == 1 ? p[i] : p[i] & (0xffu >> (n + 1));
		for (size_t k = 1; k < n; k++)
			c = c << 6 | (p[i + k] & 0x3f);
		*cp = c;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f))
			return UTF8_CONTROL;
		i += n;
	}
	return UTF8_OK;
}

/* 1 if utf8_check() and the oracle disagree on @len bytes at @p. */
static int differs(const unsigned char *p, size_t len)
{
	size_t at = 0, oat = 0;
	uint32_t cp = 0, ocp = 0;
	enum utf8_verdict v = utf8_check((const char *)p, len, &at, &cp);
	enum utf8_verdict w = oracle(p, len, &oat, &ocp);
	if (v != w)
		return 1;
	return v != UTF8_OK && (at != oat || cp != ocp);
}

/* Every byte value at every place of printable ASCII of 1 to 40 bytes,
 * starting at each of 8 alignments: inside a word, at a word's first and
 * last byte, and in the tail after the last whole word. */
static int one_byte_anywhere(void)
{
	unsigned char buf[64];
	int bad = 0;
	for (size_t align = 0; align < 8; align++)
		for (size_t len = 1; len <= 40; len++)
			for (size_t pos = 0; pos < len; pos++)
				for (unsigned b = 0; b < 256; b++) {
					unsigned char *p = buf + align;
					for (size_t k = 0; k < len; k++)
						p[k] = (unsigned char)('a' + k % 26);
					p[pos] = (unsigned char)b;
					bad += differs(p, len);
				}
	return bad;
}

/* A two-, three- or four-byte sequence, whole or cut by the string's end,
 * straddling every place of 24 bytes of ASCII, with a bad byte after it. */
static int sequences_across_words(void)
{
	static const char *const seqs[] = {"\xc3\xa9", "\xe0\xa4\xb8", "\xf0\x9f\x98\x80",
					    "\xc2\x9b", "\xed\xa0\x80", "\xe0\x80\xaf"};
	static const unsigned char after[] = {'z', 0x01, 0x7f, 0x80, 0xff};
	unsigned char buf[48];
	int bad = 0;
	for (size_t s = 0; s < sizeof(seqs) / sizeof(seqs[0]); s++)
		for (size_t pos = 0; pos < 24; pos++)
			for (size_t a = 0; a < sizeof(after); a++)
				for (size_t cut = 0; cut <= 8; cut++) {
					memset(buf, 'q', sizeof(buf));
					size_t n = strlen(seqs[s]);
					memcpy(buf + pos, seqs[s], n);
					buf[pos + n] = after[a];
					bad += differs(buf, pos + n + 1 > cut ? pos + n + 1 - cut : 0);
					bad += differs(buf, 32);
				}
	return bad;
}

/* 200,000 strings of up to 48 bytes drawn mostly from printable ASCII,
 * the rest from the bytes where rules change (a fixed seed). */
static int random_strings(void)
{
	static const unsigned char edge[] = {0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x20, 0x7e, 0x7f,
					     0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed,
					     0xef, 0xf0, 0xf4, 0xf5, 0xff};
	uint64_t x = 0x9e3779b97f4a7c15u;
	unsigned char buf[56];
	int bad = 0;
	for (int n = 0; n < 200000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t len = x % 49, align = (x >> 8) % 8;
		for (size_t k = 0; k < len; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[align + k] = (x & 0xf) == 0 ? edge[(x >> 4) % sizeof(edge)] : (unsigned char)(0x20 + (x >> 4) % 0x5f);
		}
		bad += differs(buf + align, len);
	}
	return bad;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t at = 0;
		uint32_t cp;
		enum utf8_verdict v = utf8_check(cases[i].s, strlen(cases[i].s), &at, &cp);
		is_int(v, cases[i].want, "%s", cases[i].why);
		if (cases[i].want != UTF8_OK)
			is_int(at, cases[i].at, "  %s: offset", cases[i].why);
	}
	is_int(one_byte_anywhere(), 0, "every byte at every place and alignment: as the byte-wise rules");
	is_int(sequences_across_words(), 0, "sequences across word boundaries and cut at the tail: the same");
	is_int(random_strings(), 0, "200,000 random strings: the same verdict, offset and code point");
	return tap_done();
}
