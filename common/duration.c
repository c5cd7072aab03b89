#include <stdlib.h>

#include "common/duration.h"

int64_t duration_parse(const char *text)
{
	char *end;
	long long v = strtoll(text, &end, 10);
	if (end == text || v <= 0 || v > 366LL * 24 * 3600 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 's': return v * 1000;
	case 'm': return v * 60 * 1000;
	case 'h': return v * 3600 * 1000;
	case 'd': return v * 24 * 3600 * 1000;
	default: return -1;
	}
}
