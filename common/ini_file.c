#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "common/ini_file.h"
#include "common/log.h"

struct reading {
	struct ini_file file;
	ini_key_fn fn;
	void *ctx;
};

void ini_file_error(struct ini_file *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vfile_error(f->path, f->line, fmt, ap);
	va_end(ap);
	f->errors++;
}

int ini_strings_take(struct ini_strings *s, const char **dst, const char *value)
{
	if (*dst != NULL)
		return 1;
	if (s->n == sizeof(s->v) / sizeof(s->v[0]))
		return 0;
	char *copy = strdup(value);
	if (copy == NULL)
		return 0;
	s->v[s->n++] = copy;
	*dst = copy;
	return 1;
}

void ini_strings_free(struct ini_strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct reading *r = user;
	if (name == NULL)  /* a section header alone */
		return 1;
	return r->fn(&r->file, r->ctx, section, name, value);
}

/* inih gives the handler no line number: the reader counts the lines. And
 * Debian's libinih reads a line into a fixed 200-byte buffer, handing a
 * longer one over in pieces as if each were a line (a value silently cut,
 * the rest misread), and a NUL byte would end a line early in the same
 * way: so such a line is refused here, by its number, and inih is given an
 * empty line in its place. */
static char *read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	size_t n = 0, max = (size_t)num - 1;
	bool nul = false, too_long = false;
	int c;
	while ((c = getc(r->file.f)) != EOF && c != '\n') {
		if (c == '\0')
			nul = true;
		else if (n < max)
			str[n++] = (char)c;
		else
			too_long = true;
	}
	if (c == EOF && n == 0 && !nul && !too_long)
		return NULL;
	r->file.line++;
	if (too_long)
		ini_file_error(&r->file, "line longer than %d bytes, the most a line may have "
			       "(put a long command in a script)", num - 1);
	else if (nul)
		ini_file_error(&r->file, "a NUL byte (a binary file?)");
	str[too_long || nul ? 0 : n] = '\0';
	return str;
}

int ini_file_read(const char *path, ini_key_fn fn, void *ctx)
{
	struct reading r = {.file = {.path = path}, .fn = fn, .ctx = ctx};
	r.file.f = fopen(path, "re");
	if (r.file.f == NULL)
		return -1;
	int rc = ini_parse_stream(read_line, &r, handler, &r);
	fclose(r.file.f);
	if (rc == -2) {
		errno = ENOMEM;
		return -1;
	}
	/* The handler refuses no line (it counts errors itself), so a positive
	 * rc is a line inih could not parse at all. */
	if (rc > 0) {
		r.file.line = rc;
		ini_file_error(&r.file, "not a 'key = value' line or a [section]");
	}
	return r.file.errors;
}
