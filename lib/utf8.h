/* Internal: strict UTF-8 checking of untrusted strings. */
#ifndef RAKSHA_LIB_UTF8_H
#define RAKSHA_LIB_UTF8_H

#include <stddef.h>
#include <stdint.h>

enum utf8_verdict {
	UTF8_OK = 0,
	UTF8_MALFORMED,   /* overlong, surrogate, > U+10FFFF, truncated, stray byte */
	UTF8_CONTROL,     /* a C0/C1 control or DEL other than tab, LF and CR */
};

/* Checks @len bytes at @s. On failure *@at is the offset of the offending
 * sequence and *@cp its code point (for UTF8_CONTROL) or first byte. Control
 * characters are refused because every string may reach an officer's
 * terminal, where ESC sequences could rewrite the screen. */
enum utf8_verdict utf8_check(const char *s, size_t len, size_t *at, uint32_t *cp);

#endif
