/* raksha-publish's errors: one log line each, naming the program. */
#include <stdarg.h>
#include <stdio.h>

#include "common/log.h"
#include "publisher/publish.h"

int fail(int code, const char *fmt, ...)
{
	char text[LOG_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_line(LOG_ERR, "raksha-publish: %s", text);
	return code;
}
