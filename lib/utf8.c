#include "lib/ascii_run.h"
#include "lib/utf8.h"

/* Decodes one sequence at @p (at most @left bytes). Returns its length, or 0
 * if it is malformed by RFC 3629 (overlongs and surrogates included). */
static size_t decode_one(const unsigned char *p, size_t left, uint32_t *cp)
{
	unsigned char b = p[0];
	size_t len;
	uint32_t min;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		min = 0x80;
		*cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		min = 0x800;
		*cp = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		min = 0x10000;
		*cp = b & 0x07;
	} else {
		return 0;
	}
	if (left < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

static int is_control(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 0;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

enum utf8_verdict utf8_check(const char *s, size_t len, size_t *at, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* Printable ASCII, most of every envelope's text, eight bytes at a
		 * time, then a byte at a time, without decode_one()
		 * (docs/benchmarks.md, issue 19 part 5). */
		i += ascii_run_printable(p + i, len - i);
		while (i < len && p[i] >= 0x20 && p[i] < 0x7f)
			i++;
		if (i == len)
			break;
		size_t n = decode_one(p + i, len - i, cp);
		*at = i;
		if (n == 0) {
			*cp = p[i];
			return UTF8_MALFORMED;
		}
		if (is_control(*cp))
			return UTF8_CONTROL;
		i += n;
	}
	return UTF8_OK;
}
