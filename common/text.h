/* Text from outside (a child's name, a topic, a reason) on its way to a
 * terminal, a log line or any line-oriented output: one classification of
 * what must not reach them as it is, and one way of writing it instead.
 * Devanagari and every other script pass untouched. */
#ifndef RAKSHA_COMMON_TEXT_H
#define RAKSHA_COMMON_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for a code point that would forge or reorder what a reader sees: the
 * C0 controls (line breaks among them), DEL and the C1 controls; the
 * Unicode line and paragraph separators (U+2028, U+2029); and the
 * bidirectional formatting characters, which reorder what follows them on
 * a terminal (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069). */
bool text_unsafe(uint32_t cp);

/* Copies @text into @out (@size bytes, always terminated): every byte of an
 * unsafe code point, and every byte that is not UTF-8, written as \xNN;
 * everything else as it is. Stops before an escape that would not fit.
 * Returns the length written. */
size_t text_escape(const char *text, char *out, size_t size);

#endif
