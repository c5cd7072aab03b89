/* Log lines (common/log.c): one whole line per call, journald's "<N>"
 * priority in front for a service whose stderr is not a terminal and never
 * for a tool, escaped (common/text.c) so that a topic, a name or a reason
 * from the network can neither start a line of its own nor reorder it,
 * and long messages cut. */
#define _GNU_SOURCE /* memfd_create (tests/lib/stderr.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "tests/lib/stderr.h"
#include "tests/lib/tap.h"

static char got[6 * LOG_TEXT_MAX];

/* What one log_line() call writes to a stderr that is a file. */
#define CAPTURE(...) \
	do { \
		struct stderr_catch c_; \
		stderr_catch_begin(&c_); \
		log_line(__VA_ARGS__); \
		stderr_catch_end(&c_, got, sizeof(got)); \
	} while (0)

static void styles(void)
{
	CAPTURE(LOG_WARNING, "before log_init: %d", 1);
	is_str(got, "before log_init: 1\n", "before log_init(), lines are plain");
	log_init(LOG_STYLE_SERVICE);
	CAPTURE(LOG_ERR, "broker connection lost: %s", "timeout");
	is_str(got, "<3>broker connection lost: timeout\n", "a service to a file: journald's <3>");
	CAPTURE(LOG_INFO, "REPORT mp/bhopal/grp");
	is_str(got, "<6>REPORT mp/bhopal/grp\n", "LOG_INFO is <6>");
	log_init(LOG_STYLE_PLAIN);
	CAPTURE(LOG_ERR, "%s:%d: unknown key '%s'", "agent.conf", 3, "x");
	is_str(got, "agent.conf:3: unknown key 'x'\n", "a tool's line has no priority");
}

static void escaping(void)
{
	CAPTURE(LOG_WARNING, "rejected on %s", "raksha/v1/mp\n<0>forged line");
	is_str(got, "rejected on raksha/v1/mp\\x0a<0>forged line\n", "a newline from outside is escaped");
	CAPTURE(LOG_WARNING, "%s", "\x1b[2Jcleared \x7f tab\there");
	is_str(got, "\\x1b[2Jcleared \\x7f tab\\x09here\n", "ESC, DEL and TAB are escaped");
	CAPTURE(LOG_WARNING, "%s", "csi \xc2\x9b" "31m and \xc2\xa0 nbsp");
	is_str(got, "csi \\xc2\\x9b31m and \xc2\xa0 nbsp\n", "a C1 control (UTF-8) is, U+00A0 is not");
	CAPTURE(LOG_INFO, "%s", "सीमा कुमारी, 9");
	is_str(got, "सीमा कुमारी, 9\n", "Devanagari passes as it is");
	CAPTURE(LOG_WARNING, "%s", "name \xe2\x80\xae" "evil\xe2\x80\xac and \xe2\x81\xa6x");
	is_str(got, "name \\xe2\\x80\\xaeevil\\xe2\\x80\\xac and \\xe2\\x81\\xa6x\n",
	       "bidi controls (U+202E, U+202C, U+2066) are escaped too");
}

static void long_lines(void)
{
	char *big = malloc(3 * LOG_TEXT_MAX);
	memset(big, 'x', 3 * LOG_TEXT_MAX - 1);
	big[3 * LOG_TEXT_MAX - 1] = '\0';
	CAPTURE(LOG_ERR, "%s", big);
	size_t len = strlen(got);
	is_int((long long)len, LOG_TEXT_MAX + 1, "a long message is cut to LOG_TEXT_MAX bytes and its newline");
	ok(len > 4 && strcmp(got + len - 4, "...\n") == 0, "and ends with ...");
	memset(big, '\n', 3 * LOG_TEXT_MAX - 1);
	CAPTURE(LOG_ERR, "%s", big);
	len = strlen(got);
	ok(len == 4 * (LOG_TEXT_MAX - 3) + 4, "newlines only: all escaped, %zu bytes", len);
	ok(strchr(got, '\n') == got + len - 1, "and the line is still one line");
	free(big);
}

int main(void)
{
	styles();
	escaping();
	long_lines();
	return tap_done();
}
