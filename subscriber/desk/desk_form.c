#include <string.h>

#include "common/hex.h"
#include "desk/desk_form.h"

/* Decodes the @n bytes at @in into @out. */
static bool decode(const char *in, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (n - i < 3)
				return false;
			int hi = hex_digit(in[i + 1]);
			int lo = hex_digit(in[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return false;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (o + 1 >= size)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

bool desk_form_get(const char *body, const char *name, char *out, size_t size)
{
	size_t len = strlen(name);
	for (const char *p = body; *p;) {
		size_t field = strcspn(p, "&");
		if (field > len && strncmp(p, name, len) == 0 && p[len] == '=')
			return decode(p + len + 1, field - len - 1, out, size);
		p += field;
		if (*p == '&')
			p++;
	}
	return false;
}
