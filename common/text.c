/* Text on its way out (text.h). */
#include "common/text.h"

bool text_unsafe(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029)
		return true;
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The code point at @p and its length in bytes; 0 for a byte that does
 * not start a whole UTF-8 sequence (RFC 3629). */
static size_t decode(const unsigned char *p, uint32_t *cp)
{
	size_t len;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	*cp = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;  /* a NUL ends the string here too */
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (*cp < least[len] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

size_t text_escape(const char *text, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (size == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
		/* Printable ASCII, most of a log line: as it is, not decoded. The
		 * agent's line of each stored report (escaped twice: its fields,
		 * then the line) was a tenth of the committer's instructions. */
		if (*p >= 0x20 && *p < 0x7f) {
			if (n + 1 >= size)
				break;
			out[n++] = (char)*p++;
			continue;
		}
		uint32_t cp;
		size_t len = decode(p, &cp);
		bool escape = len == 0 || text_unsafe(cp);
		size_t bytes = len == 0 ? 1 : len;
		if (n + (escape ? 4 * bytes : bytes) >= size)
			break;
		for (size_t i = 0; i < bytes; i++) {
			if (!escape) {
				out[n++] = (char)p[i];
				continue;
			}
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[p[i] >> 4];
			out[n++] = hex[p[i] & 0xf];
		}
		p += bytes;
	}
	out[n] = '\0';
	return n;
}
