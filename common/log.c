/* Log lines (log.h). */
#define _POSIX_C_SOURCE 200809L /* flockfile */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/text.h"

static bool journal;  /* "<N>" in front of each line */
static const char *program;  /* in front of log_file_error()'s lines */

void log_init(enum log_style style)
{
	journal = style == LOG_STYLE_SERVICE && !isatty(STDERR_FILENO);
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
	n += text_escape(text, line + n, sizeof(line) - n - 1);
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

void log_program(const char *name)
{
	program = name;
}

void log_vfile_error(const char *path, int line, const char *fmt, va_list ap)
{
	char name[128] = "", where[4300];
	if (program != NULL)
		snprintf(name, sizeof(name), "%s: ", program);
	if (line > 0)
		snprintf(where, sizeof(where), "%s%s:%d: ", name, path, line);
	else
		snprintf(where, sizeof(where), "%s%s: ", name, path);
	log_vprefixed(LOG_ERR, where, fmt, ap);
}

void log_file_error(const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vfile_error(path, line, fmt, ap);
	va_end(ap);
}
