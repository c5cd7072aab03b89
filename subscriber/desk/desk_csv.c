/* The CSV writer (desk_csv.h). */
#include <stdlib.h>
#include <string.h>

#include "desk/desk_csv.h"

bool desk_csv_put(struct desk_csv *b, const char *s, size_t n)
{
	if (b->failed)
		return false;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *grown = realloc(b->buf, cap);
		if (grown == NULL) {
			b->failed = true;
			return false;
		}
		b->buf = grown;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	return true;
}

bool desk_csv_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void desk_csv_cell(struct desk_csv *b, const char *s, bool last)
{
	s = s != NULL ? s : "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL || desk_csv_formula(s);
	if (quote)
		desk_csv_put(b, "\"", 1);
	if (desk_csv_formula(s))
		desk_csv_put(b, "'", 1);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		desk_csv_put(b, s, (size_t)(q - s));
		desk_csv_put(b, "\"\"", 2);
	}
	desk_csv_put(b, s, strlen(s));
	if (quote)
		desk_csv_put(b, "\"", 1);
	desk_csv_put(b, last ? "\r\n" : ",", last ? 2 : 1);
}
