/* English only, until the catalogs (po/) are read: the contract of
 * common/i18n.h kept, so that code written against it is ready. */
#include <time.h>

#include "common/i18n.h"

const char *i18n_text(const char *msgid)
{
	return msgid;
}

const char *i18n_plural(const char *one, const char *many, unsigned long n)
{
	if (n == 1)
		return one;
	return many;
}

void i18n_date_time(int64_t ms, char *out, size_t size)
{
	out[0] = '\0';
	if (ms <= 0)
		return;
	time_t t = (time_t)(ms / 1000) + 19800;  /* IST is UTC+05:30, all year */
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL)
		return;
	if (strftime(out, size, "%d %b %Y, %I:%M %p", &tm) == 0)
		out[0] = '\0';
}
