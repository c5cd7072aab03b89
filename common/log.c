/* Log lines (log.h). */
#define _POSIX_C_SOURCE 200809L /* flockfile */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

static bool journal;  /* "<N>" in front of each line */

void log_init(enum log_style style)
{
	journal = style == LOG_STYLE_SERVICE && !isatty(STDERR_FILENO);
}

static bool control_at(const unsigned char *p)
{
	if (p[0] < 0x20 || p[0] == 0x7f)
		return true;
	/* C1 controls (U+0080..U+009F, such as CSI) as UTF-8: C2 80..C2 9F. */
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

size_t log_escape(const char *text, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (size == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		if (!control_at(p)) {
			if (n + 1 >= size)
				break;
			out[n++] = (char)*p;
			continue;
		}
		size_t bytes = p[0] == 0xc2 ? 2 : 1;
		if (n + 4 * bytes >= size)
			break;
		for (size_t i = 0; i < bytes; i++) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[p[i] >> 4];
			out[n++] = hex[p[i] & 0xf];
		}
		p += bytes - 1;
	}
	out[n] = '\0';
	return n;
}

void log_vline(int priority, const char *fmt, va_list ap)
{
	char text[LOG_TEXT_MAX + 1];
	/* Every byte may become four; "<N>" goes in front. */
	char line[4 * LOG_TEXT_MAX + 16];
	int len = vsnprintf(text, LOG_TEXT_MAX + 1, fmt, ap);
	if (len > LOG_TEXT_MAX)
		memcpy(text + LOG_TEXT_MAX - 3, "...", 4);
	size_t n = 0;
	if (journal)
		n = (size_t)snprintf(line, 16, "<%d>", priority & 7);
	n += log_escape(text, line + n, sizeof(line) - n - 1);
	line[n++] = '\n';
	/* One write: stderr is unbuffered, and journald reads whole lines. */
	flockfile(stderr);
	fwrite(line, 1, n, stderr);
	funlockfile(stderr);
}

void log_vprefixed(int priority, const char *prefix, const char *fmt, va_list ap)
{
	char text[LOG_TEXT_MAX + 1];
	vsnprintf(text, sizeof(text), fmt, ap);
	log_line(priority, "%s%s", prefix, text);
}

void log_line(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vline(priority, fmt, ap);
	va_end(ap);
}
