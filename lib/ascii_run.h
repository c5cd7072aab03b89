/* Internal: how far a string runs in bytes that need no second look, eight
 * bytes at a time. Most of an envelope's text is printable ASCII; the UTF-8
 * check and the compact JSON's copy read it a byte at a time, which was a
 * tenth of a JSON row's instructions (docs/benchmarks.md, issue 19 part 5).
 * Each word test only says whether some byte of the word is out (exactly,
 * as each says why), so a word with one goes to the caller's own
 * byte-by-byte loop unchanged. */
#ifndef RAKSHA_LIB_ASCII_RUN_H
#define RAKSHA_LIB_ASCII_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ASCII_RUN_ONES UINT64_C(0x0101010101010101)
#define ASCII_RUN_HIGHS UINT64_C(0x8080808080808080)

/* Nonzero when some byte of @w is @b: a byte of @w ^ @b's that is zero
 * borrows when one is taken off, and only a zero starts a borrow. */
static inline uint64_t ascii_run_has(uint64_t w, unsigned b)
{
	uint64_t x = w ^ (ASCII_RUN_ONES * b);
	return (x - ASCII_RUN_ONES) & ~x & ASCII_RUN_HIGHS;
}

/* Nonzero when some byte of @w is not printable ASCII (0x20-0x7e): less
 * 0x20, a byte below 0x20 or from 0xa0 has its top bit set; plus one, a
 * byte from 0x7f to 0xfe. A borrow or a carry between bytes starts only at
 * a byte that is out (below 0x20; 0xff), so it can mark another byte only
 * when the answer is yes already. */
static inline uint64_t ascii_run_out(uint64_t w)
{
	return ((w - ASCII_RUN_ONES * 0x20) | (w + ASCII_RUN_ONES)) & ASCII_RUN_HIGHS;
}

/* 8, 4 or 2 bytes of @s as a number, in any alignment (one load each).
 * Which byte lands where depends on the machine's byte order; the tests
 * ask only whether some byte is out, so it does not matter. */
static inline uint64_t ascii_run_load8(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, sizeof(w));
	return w;
}

static inline uint64_t ascii_run_load4(const unsigned char *s)
{
	uint32_t w;
	memcpy(&w, s, sizeof(w));
	return w;
}

static inline uint64_t ascii_run_load2(const unsigned char *s)
{
	uint16_t w;
	memcpy(&w, s, sizeof(w));
	return w;
}

/* The last bytes of @s (@len bytes, @len % 8 != 0) as one word, so that a
 * short string or a tail takes one test too: the last 8 when @s has them
 * (the earlier ones were tested already), else pieces that overlap and
 * spaces (printable) for the rest. Every byte read is inside @s. */
static inline uint64_t ascii_run_tail(const unsigned char *s, size_t len)
{
	const uint64_t spaces = ASCII_RUN_ONES * 0x20;
	if (len >= 8)
		return ascii_run_load8(s + len - 8);
	if (len >= 4)
		return ascii_run_load4(s) | ascii_run_load4(s + len - 4) << 32;
	if (len >= 2)
		return ascii_run_load2(s) | ascii_run_load2(s + len - 2) << 16 | spaces << 32;
	return (uint64_t)s[0] | spaces << 8;
}

/* @len when no byte of @s (@len bytes) is out by @out; else the offset of
 * the first whole word with one (or of the tail with one), from where the
 * caller reads byte by byte. */
static inline size_t ascii_run(const unsigned char *s, size_t len, uint64_t (*out)(uint64_t))
{
	size_t i = 0;
	for (; len - i >= 8; i += 8)
		if (out(ascii_run_load8(s + i)))
			return i;
	if (i == len || !out(ascii_run_tail(s, len)))
		return len;
	return i;
}

/* Nonzero when some byte of @w is out of what JSON takes as it is:
 * printable ASCII but '"' and '\\'. */
static inline uint64_t ascii_run_json_out(uint64_t w)
{
	return ascii_run_out(w) | ascii_run_has(w, '"') | ascii_run_has(w, '\\');
}

/* How far @s (@len bytes) is printable ASCII, by words (see ascii_run()). */
static inline size_t ascii_run_printable(const unsigned char *s, size_t len)
{
	return ascii_run(s, len, ascii_run_out);
}

/* How far @s is bytes JSON takes as they are, by words. */
static inline size_t ascii_run_json_plain(const unsigned char *s, size_t len)
{
	return ascii_run(s, len, ascii_run_json_out);
}

#endif
