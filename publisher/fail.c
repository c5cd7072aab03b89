/* raksha-publish's errors: one log line each, naming the program. */
#include <stdarg.h>

#include "common/log.h"
#include "publisher/publish.h"

int fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprefixed(LOG_ERR, "raksha-publish: ", fmt, ap);
	va_end(ap);
	return code;
}
