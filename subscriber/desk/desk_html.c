#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "desk/desk_html.h"

static bool grow(struct desk_html *h, size_t more)
{
	if (h->failed)
		return false;
	if (h->len + more + 1 <= h->cap)
		return true;
	size_t cap = h->cap ? h->cap : 4096;
	while (cap < h->len + more + 1)
		cap *= 2;
	char *b = realloc(h->buf, cap);
	if (b == NULL) {
		h->failed = true;
		return false;
	}
	h->buf = b;
	h->cap = cap;
	return true;
}

static void put(struct desk_html *h, const char *s, size_t n)
{
	if (!grow(h, n))
		return;
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

static const char *reference(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* @s after text_escape(): markup characters as references. */
static void put_escaped(struct desk_html *h, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *ref = reference(*s);
		if (ref == NULL)
			continue;
		put(h, run, (size_t)(s - run));
		put(h, ref, strlen(ref));
		run = s + 1;
	}
	put(h, run, (size_t)(s - run));
}

void desk_html_text(struct desk_html *h, const char *s, size_t n)
{
	/* text_escape() writes at most 4 bytes for each byte it reads. */
	char *safe = malloc(4 * n + 1);
	char *copy = malloc(n + 1);
	if (safe == NULL || copy == NULL) {
		h->failed = true;
	} else {
		memcpy(copy, s, n);
		copy[n] = '\0';  /* a NUL inside ends the value: the schema forbids them anyway */
		text_escape(copy, safe, 4 * n + 1);
		put_escaped(h, safe);
	}
	free(copy);
	free(safe);
}

static void put_number(struct desk_html *h, long long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", v);
	put(h, num, (size_t)n);
}

/* One conversion at @f (after its '%'); returns what follows it. */
static const char *convert(struct desk_html *h, const char *f, va_list *ap)
{
	if (f[0] == 's') {
		const char *s = va_arg(*ap, const char *);
		if (s != NULL)
			desk_html_text(h, s, strlen(s));
		return f + 1;
	}
	if (f[0] == 'd') {
		put_number(h, va_arg(*ap, int));
		return f + 1;
	}
	if (strncmp(f, "lld", 3) == 0) {
		put_number(h, va_arg(*ap, long long));
		return f + 3;
	}
	if (strncmp(f, "zu", 2) == 0) {
		size_t z = va_arg(*ap, size_t);
		put_number(h, z > INT64_MAX ? INT64_MAX : (long long)z);
		return f + 2;
	}
	if (f[0] == '%') {
		put(h, "%", 1);
		return f + 1;
	}
	h->failed = true;
	return f[0] ? f + 1 : f;
}

void desk_html_printf(struct desk_html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *f = fmt;
	while (*f && !h->failed) {
		const char *pct = strchr(f, '%');
		if (pct == NULL) {
			put(h, f, strlen(f));
			break;
		}
		put(h, f, (size_t)(pct - f));
		f = convert(h, pct + 1, &ap);
	}
	va_end(ap);
}

void desk_html_free(struct desk_html *h)
{
	free(h->buf);
	memset(h, 0, sizeof(*h));
}
