#define _XOPEN_SOURCE 700
#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#include "board/board_text.h"
#include "common/text.h"

/* glibc's wchar_t holds Unicode code points in every locale, so the code
 * points decoded below can go to wcwidth() and ncursesw as they are. */
#ifndef __STDC_ISO_10646__
#error "wchar_t must hold Unicode code points"
#endif

#define REPLACEMENT 0xfffdu

static bool utf8_terminal;

void board_text_init(void)
{
	const char *codeset = nl_langinfo(CODESET);
	utf8_terminal = codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

bool board_text_utf8(void)
{
	return utf8_terminal;
}

/* Length of the sequence a lead byte starts, 0 if it starts none. */
static int sequence_length(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

/* The bits of a lead byte that belong to the code point, by the length of
 * its sequence (0: none, the byte is replaced). */
static const unsigned char LEAD_BITS[] = {0x07, 0xff, 0x1f, 0x0f, 0x07};

uint32_t board_text_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	if (*p == 0)
		return 0;
	int n = sequence_length(*p);
	uint32_t cp = *p & LEAD_BITS[n];
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			n = 0;
			break;
		}
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and what lies past U+10FFFF: libraksha
	 * refuses them on the wire, so only a damaged database gets here. */
	bool bad = n == 0 || (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		   (n == 4 && (cp < 0x10000 || cp > 0x10ffff));
	*s += bad ? 1 : n;
	return bad ? REPLACEMENT : cp;
}

/* Columns that @cp takes on this terminal: 0 for a combining mark, 2 for a
 * wide character, 1 otherwise (unprintable characters are drawn as '?'). */
static int cp_width(uint32_t cp)
{
	if (cp < 0x80 || text_unsafe(cp))
		return 1;  /* controls are drawn as spaces or '?' */
	if (!utf8_terminal)
		return 1;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int board_text_width(const char *s)
{
	int cols = 0;
	uint32_t cp;
	while ((cp = board_text_next(&s)) != 0)
		cols += cp_width(cp);
	return cols;
}

size_t board_text_fit(const char *s, int cols)
{
	const char *p = s, *end = s;
	int used = 0;
	uint32_t cp;
	while ((cp = board_text_next(&p)) != 0) {
		int w = cp_width(cp);
		if (used + w > cols)
			break;
		used += w;
		end = p;  /* a zero-width mark is kept with the character before it */
	}
	return (size_t)(end - s);
}

size_t board_text_wrap(const char *s, int cols, const char **next)
{
	size_t fit = board_text_fit(s, cols);
	if (fit == 0 && *s != '\0') {  /* not one character fits: take one, drawing clips it */
		const char *p = s;
		board_text_next(&p);
		fit = (size_t)(p - s);
	}
	const char *newline = memchr(s, '\n', s[fit] != '\0' ? fit + 1 : fit);
	if (newline != NULL) {  /* the writer's own line break */
		*next = newline + 1;
		return (size_t)(newline - s);
	}
	size_t cut = fit;
	if (s[fit] != '\0') {
		size_t space = fit;
		while (space > 0 && s[space] != ' ')
			space--;
		if (space > 0)
			cut = space;  /* else one long word: broken between characters */
	}
	const char *rest = s + cut;
	while (*rest == ' ')
		rest++;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	*next = rest;
	return cut;
}

/* What the terminal is sent for @cp. */
static wchar_t shown(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return L' ';
	/* Controls, and the bidi formatting characters that would reorder the
	 * rest of the screen's line (common/text.h). */
	if (text_unsafe(cp))
		return L'?';
	if (cp < 0x80)
		return (wchar_t)cp;
	if (!utf8_terminal || wcwidth((wchar_t)cp) < 0)
		return L'?';
	return (wchar_t)cp;
}

int board_text_putn(WINDOW *w, const char *s, size_t len, int cols, bool pad)
{
	wchar_t buf[256];
	const char *p = s, *end = s + len;
	int used = 0;
	size_t n = 0;
	uint32_t cp;
	while (p < end && (cp = board_text_next(&p)) != 0) {
		int cw = cp_width(cp);
		if (used + cw > cols)
			break;
		if (cw == 0 && n == 0)
			continue;  /* a mark with nothing to sit on */
		buf[n++] = shown(cp);
		used += cw;
		if (n == sizeof(buf) / sizeof(buf[0])) {
			waddnwstr(w, buf, (int)n);
			n = 0;
		}
	}
	if (n > 0)
		waddnwstr(w, buf, (int)n);
	for (int i = used; pad && i < cols; i++)
		waddch(w, ' ');
	return pad && used < cols ? cols : used;
}

int board_text_put(WINDOW *w, const char *s, int cols, bool pad)
{
	return board_text_putn(w, s, strlen(s), cols, pad);
}

/* Writes @cp (a character) as UTF-8 into @out; returns its length. */
static size_t encode_utf8(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool board_text_append(char *buf, size_t size, uint32_t cp)
{
	char out[4];
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	size_t n = encode_utf8(cp, out);
	size_t len = strlen(buf);
	if (len + n + 1 > size)
		return false;
	memcpy(buf + len, out, n);
	buf[len + n] = '\0';
	return true;
}

void board_text_backspace(char *buf)
{
	/* Back to the start of the last character that takes a column: the
	 * combining marks after it (a Devanagari vowel sign) go with it. */
	const char *p = buf;
	size_t last = 0;
	uint32_t cp;
	for (const char *at = p; (cp = board_text_next(&p)) != 0; at = p)
		if (cp_width(cp) > 0)
			last = (size_t)(at - buf);
	buf[last] = '\0';
}
