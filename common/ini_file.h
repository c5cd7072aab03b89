/* Config files for the programs (raksha-publish, raksha-agent): INI read by
 * libinih, with the line number of every key, so that every bad line can be
 * reported as "FILE:LINE: ...", not just the first. */
#ifndef RAKSHA_COMMON_INI_FILE_H
#define RAKSHA_COMMON_INI_FILE_H

#include <stdio.h>

struct ini_file {
	const char *path;
	FILE *f;
	int line;     /* of the key being handled */
	int errors;
};

/* Called for each key. Report a bad one with ini_file_error() and return 1
 * to go on; return 0 only for out of memory (reading stops). */
typedef int (*ini_key_fn)(struct ini_file *f, void *ctx, const char *section,
			  const char *name, const char *value);

/* Reads @path, calling @fn for every key. Returns the number of bad lines
 * (0: all good), or -1 with errno set if the file cannot be read or memory
 * ran out. */
int ini_file_read(const char *path, ini_key_fn fn, void *ctx);

/* A program's copies of the values it keeps from a file, freed together. */
struct ini_strings {
	char *v[64];
	size_t n;
};

/* Sets *@dst to a copy of @value kept in @s, unless *@dst is set already
 * (a flag, which wins over the file). Returns 1, or 0 when out of memory
 * (an ini_key_fn's return: reading stops). */
int ini_strings_take(struct ini_strings *s, const char **dst, const char *value);

/* Frees every copy of @s. */
void ini_strings_free(struct ini_strings *s);

/* Logs "PROGRAM: PATH:LINE: message" (log_file_error()) and counts the error. */
void ini_file_error(struct ini_file *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
