#include "history/sql_like.h"

void sql_like_pattern(const char *s, char *out, size_t size)
{
	size_t n = 0;
	out[n++] = '%';
	for (; *s && n + 3 < size; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '%';
	out[n] = '\0';
}
