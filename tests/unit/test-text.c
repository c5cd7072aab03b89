/* Text on its way out (common/text.c), the one sanitising step of every log
 * line, replay text line, display line, hook variable and board cell: line
 * breaks and every other control, the Unicode line separators and the
 * bidirectional formatting characters are escaped, and bytes that are not
 * UTF-8; Devanagari, Latin, emoji and every other script pass untouched. */
#include <string.h>

#include "common/text.h"
#include "tests/lib/tap.h"

static const char *escaped(const char *in)
{
	static char out[512];
	text_escape(in, out, sizeof(out));
	return out;
}

static void classes(void)
{
	static const uint32_t unsafe[] = {0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f, 0x061c,
					  0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d,
					  0x202e, 0x2066, 0x2067, 0x2068, 0x2069};
	static const uint32_t safe[] = {0x20, 'a', '~', 0xa0, 0x0915, 0x094d, 0x0937, 0x200b, 0x200c, 0x200d,
					0x202f, 0x2065, 0x206a, 0x1f600, 0x10ffff};
	bool all = true;
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		all = all && text_unsafe(unsafe[i]);
	ok(all, "controls, separators and bidi formatting characters are unsafe");
	all = true;
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		all = all && !text_unsafe(safe[i]);
	ok(all, "letters, Devanagari (with virama and the joiners ZWJ, ZWNJ) and emoji are safe");
}

static void escaping(void)
{
	is_str(escaped("सीमा कुमारी, 9"), "सीमा कुमारी, 9", "Devanagari passes as it is");
	is_str(escaped("क्षत्रिय"), "क्षत्रिय", "  conjuncts (virama) too");
	is_str(escaped("Ravi\n<3>journal: cannot store"), "Ravi\\x0a<3>journal: cannot store",
	       "a line break cannot forge a log line");
	is_str(escaped("a\r\tb\x1b[2J"), "a\\x0d\\x09b\\x1b[2J", "CR, TAB and ESC escaped");
	is_str(escaped("\xe2\x80\xae" "drow"), "\\xe2\\x80\\xaedrow", "RIGHT-TO-LEFT OVERRIDE escaped");
	is_str(escaped("x\xe2\x81\xa7y\xe2\x80\xa8z"), "x\\xe2\\x81\\xa7y\\xe2\\x80\\xa8z", "isolates and the line separator");
	is_str(escaped("\xc2\x9b" "31m"), "\\xc2\\x9b31m", "a C1 control (CSI)");
	is_str(escaped("bad \xff byte \xe0\xa4"), "bad \\xff byte \\xe0\\xa4", "bytes that are not UTF-8, each");
	is_str(escaped("\xc0\xaf"), "\\xc0\\xaf", "an overlong form");
	char out[8];
	size_t n = text_escape("ab\ncd", out, 6);
	is_str(out, "ab", "it stops before an escape that does not fit (6 bytes)");
	is_int((long long)n, 2, "  and says how much it wrote");
	n = text_escape("ab\ncd", out, sizeof(out));
	is_str(out, "ab\\x0ac", "  and takes the escape where it fits (8 bytes)");
	is_int((long long)n, 7, "  7 bytes and the NUL");
	n = text_escape("आ", out, 3);
	is_str(out, "", "a character is never cut in two");
}

int main(void)
{
	classes();
	escaping();
	return tap_done();
}
