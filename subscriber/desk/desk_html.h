/* The one writer of everything the desk sends as HTML (and the other text
 * bodies): a growing buffer whose formatter escapes every value. A page is
 * built only through desk_html_printf(), whose %s writes its argument as
 * HTML text, so no child's name, unit or note can become markup: the
 * markup is the format, a literal of the desk's own code. */
#ifndef RAKSHA_DESK_HTML_H
#define RAKSHA_DESK_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct desk_html {
	char *buf;
	size_t len, cap;
	bool failed;   /* out of memory, or a conversion the writer does not know */
};

/* Appends @fmt with its arguments. The format is trusted markup; its
 * conversions are the only ways values get in:
 *   %s    a string (NULL: nothing), made safe first by common/text.h (control,
 *         bidirectional and non-UTF-8 bytes as \xNN), then & < > " ' as
 *         character references: safe as text and in a quoted attribute
 *   %d    an int;  %lld  a long long;  %zu  a size_t;  %%  a percent sign
 * Anything else marks the writer failed (and writes nothing for it). Out
 * of memory marks it failed too; later calls then do nothing. The
 * compiler checks the arguments' types as printf's. */
void desk_html_printf(struct desk_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends @s (@n bytes) escaped as %s would. */
void desk_html_text(struct desk_html *h, const char *s, size_t n);

/* Frees the buffer and empties the writer. */
void desk_html_free(struct desk_html *h);

#endif
