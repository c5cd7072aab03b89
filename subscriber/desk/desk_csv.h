/* A CSV document as RFC 4180 writes it, built in memory: fields quoted
 * when they hold a comma, a quote or a line break (their quotes doubled),
 * rows ended by CRLF; and safe to open in a spreadsheet: a field that
 * would start a formula (= + - @ tab CR first: OWASP's "CSV injection")
 * is written quoted after a ', so that it stays text. The bytes are kept
 * as they are (UTF-8 in, UTF-8 out). */
#ifndef RAKSHA_DESK_CSV_H
#define RAKSHA_DESK_CSV_H

#include <stdbool.h>
#include <stddef.h>

struct desk_csv {
	char *buf;
	size_t len, cap;
	bool failed;   /* out of memory: later calls do nothing */
};

/* Appends @n bytes of @s as they are. Returns false if out of memory. */
bool desk_csv_put(struct desk_csv *b, const char *s, size_t n);

/* Whether a spreadsheet would read @s as a formula. */
bool desk_csv_formula(const char *s);

/* Appends @s (NULL: empty) as one field, then a comma, or with @last the
 * row's end. */
void desk_csv_cell(struct desk_csv *b, const char *s, bool last);

#endif
