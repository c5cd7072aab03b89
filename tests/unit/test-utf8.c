/* The strict UTF-8 check behind every string of every envelope. */
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
	return tap_done();
}
