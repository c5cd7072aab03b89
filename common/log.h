/* Log lines, for every program: one line per call, written whole (threads'
 * lines never interleave), escaped by common/text.h (a topic, a name or a
 * reason from the network can neither start a line of its own nor drive or
 * reorder the terminal), and for a service journald's "<N>" priority
 * prefix.
 *
 * Priorities are syslog's (<syslog.h>): LOG_ERR, LOG_WARNING, LOG_NOTICE,
 * LOG_INFO. */
#ifndef RAKSHA_COMMON_LOG_H
#define RAKSHA_COMMON_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <syslog.h>

/* Longest message kept (bytes, before escaping); longer ones are cut and
 * end with "...". */
#define LOG_TEXT_MAX 4096

enum log_style {
	LOG_STYLE_PLAIN,    /* as written: a tool at a terminal or in a script */
	LOG_STYLE_SERVICE,  /* "<N>" in front when stderr is not a terminal (journald) */
};

/* How this process's lines look from now on (before the first call: plain).
 * Not thread-safe: call it before the threads start. */
void log_init(enum log_style style);

/* Writes one line to stderr: the message, escaped, after "<N>" if
 * log_init() asked for it and stderr is not a terminal. Programs name
 * themselves in their messages ("raksha-publish: ..."); log_file_error()
 * names the program itself. */
void log_line(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vline(int priority, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* log_vline() with @prefix ("raksha-publish: ") in front of the message:
 * for a program's function that reports its own errors. */
void log_vprefixed(int priority, const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Names the program ("raksha-agent") for log_file_error(); cli_init()
 * calls it. Before, those lines have no name in front. */
void log_program(const char *name);

/* Logs at LOG_ERR "PROGRAM: PATH:LINE: message" (line 0: "PROGRAM: PATH:
 * message"): a problem of a file a person keeps (a configuration, the
 * roster), said where it is. */
void log_file_error(const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vfile_error(const char *path, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
