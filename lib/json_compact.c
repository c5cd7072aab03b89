/* The compact JSON of a message, written as jansson would dump it (see
 * lib/json_compact.h): keys in the descriptor's order, "," and ":" with no
 * spaces, integers as "%lld", reals as jansson's "%.15g" with ".0" added
 * when neither '.' nor 'e' is there and the exponent without '+' or leading
 * zeros, strings with only '"', '\\' and C0 controls escaped (UTF-8 kept). */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <raksha/envelope.h>
#include <raksha/json.h>
#include <raksha/uuid.h>

#include "lib/ascii_run.h"
#include "lib/fields.h"
#include "lib/json_compact.h"
#include "lib/utf8.h"

struct out {
	char *p;
	size_t len, cap;
	int err;  /* the first error: the text is then thrown away */
};

static char *grow(struct out *o, size_t n)
{
	if (o->err < 0)
		return NULL;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap * 2 + n + 1024;  /* most messages fit the first */
		char *p = realloc(o->p, cap);
		if (p == NULL) {
			o->err = -ENOMEM;
			return NULL;
		}
		o->p = p;
		o->cap = cap;
	}
	return o->p + o->len;
}

/* Where @n bytes more (and a NUL) go, or NULL after an error: inline for
 * the usual case, room enough (a call a key and a string was an eighth of
 * the compact JSON's instructions). */
static inline char *room(struct out *o, size_t n)
{
	if (o->err == 0 && o->len + n + 1 <= o->cap)
		return o->p + o->len;
	return grow(o, n);
}

static void put(struct out *o, const char *s, size_t n)
{
	char *at = room(o, n);
	if (at == NULL)
		return;
	memcpy(at, s, n);
	o->len += n;
}

static void put_c(struct out *o, char c)
{
	char *at = room(o, 1);
	if (at == NULL)
		return;
	*at = c;
	o->len++;
}

/* A string that needs no escaping (ASCII that is not '"', '\\' or a control). */
static void put_plain(struct out *o, const char *s)
{
	put_c(o, '"');
	put(o, s, strlen(s));
	put_c(o, '"');
}

/* The bytes a string may hold as they are in JSON, without a look at
 * UTF-8: printable ASCII but '"' and '\\'. A table, one load a byte: the
 * scan of every string was a tenth of the compact JSON's instructions. */
static const bool plain_byte[256] = {  /* 0x80 and up: false */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,  /* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,  /* 0x70 */
};

/* A string lib/utf8.c finds well formed and free of controls but tab, LF
 * and CR: only those three, '"' and '\\' are escaped. Anything else goes
 * through jansson itself (a NULL from json_string() is invalid UTF-8). */
static void put_string(struct out *o, const char *s)
{
	size_t n = strlen(s), plain, at;
	uint32_t cp;
	/* Most strings are printable ASCII without '"' or '\\': as they are,
	 * found eight bytes at a time, then byte by byte. */
	plain = ascii_run_json_plain((const unsigned char *)s, n);
	while (plain < n && plain_byte[(unsigned char)s[plain]])
		plain++;
	if (plain == n) {
		char *to = room(o, n + 2);
		if (to == NULL)
			return;
		to[0] = '"';
		memcpy(to + 1, s, n);
		to[n + 1] = '"';
		o->len += n + 2;
		return;
	}
	if (utf8_check(s, n, &at, &cp) != UTF8_OK) {
		json_t *j = json_string(s);
		char *text = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
		if (j == NULL && o->err == 0)
			o->err = -EILSEQ;
		if (text != NULL)
			put(o, text, strlen(text));
		else if (j != NULL && o->err == 0)
			o->err = -ENOMEM;
		free(text);
		json_decref(j);
		return;
	}
	put_c(o, '"');
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = NULL;
		switch (s[i]) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		put(o, s + from, i - from);
		put(o, esc, 2);
		from = i + 1;
	}
	put(o, s + from, n - from);
	put_c(o, '"');
}

/* "%lld" of @v, without printf's parsing of a format for each number. */
static void put_int(struct out *o, long long v)
{
	char text[24];
	char *at = text + sizeof(text);
	/* The magnitude as unsigned: -LLONG_MIN does not fit a long long. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--at = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--at = '-';
	put(o, at, (size_t)(text + sizeof(text) - at));
}

/* 15 significant digits of a double written as "%.15g" writes them in
 * fixed notation, without printf: most reals of a message are coordinates,
 * and snprintf() was a fifth of the compact JSON's time. Exact: the double
 * is m * 2^-s with m < 2^53 (3 <= s <= 66 in this range), so m * 10^k for
 * k <= 18 fits 128 bits and its quotient by 2^s is the decimal value with
 * its remainder, rounded half to even as glibc's printf rounds in the
 * default rounding mode (nothing in libraksha or its programs changes it). */
__extension__ typedef unsigned __int128 wide;

#define DIGITS 15
#define TEN_14 100000000000000ULL

static const unsigned long long ten_to[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
	1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
	1000000000000000000ULL,
};

/* The 15 digits of round(@a * 10^(14 - x)) for the decimal exponent x of
 * @a (1e-4 <= @a < 1e15) in *@q, and x; false outside fixed notation. */
static bool scale(double a, unsigned long long *q, int *x)
{
	int e2;
	double f = frexp(a, &e2);  /* a = f * 2^e2, 0.5 <= f < 1 */
	unsigned long long m = (unsigned long long)ldexp(f, 53);
	int s = 53 - e2;
	*x = (int)floor((e2 - 1) * 0.30102999566398120);  /* log10(2): x or x - 1 */
	for (int tries = 0; tries < 3; tries++) {
		if (*x < -4 || *x > DIGITS - 1 || s < 1 || s > 120)
			return false;
		wide p = (wide)m * ten_to[DIGITS - 1 - *x];
		wide whole = p >> s, rest = p & (((wide)1 << s) - 1), half = (wide)1 << (s - 1);
		if (whole >= TEN_14 * 10) {
			++*x;
			continue;
		}
		if (whole < TEN_14) {  /* not from the estimate above; kept for safety */
			--*x;
			continue;
		}
		if (rest > half || (rest == half && (whole & 1) != 0))
			whole++;
		*q = (unsigned long long)whole;
		if (*q == TEN_14 * 10) {  /* 9.99...95 and up: one more digit */
			*q = TEN_14;
			++*x;
		}
		return *x <= DIGITS - 1;
	}
	return false;
}

/* "%.15g" of @v as jansson's dtostr writes it, when it is in fixed
 * notation; false otherwise (zero, tiny, huge), for snprintf(). */
static bool put_fixed(struct out *o, double v)
{
	unsigned long long q;
	int x;
	if (!(fabs(v) >= 1e-4 && fabs(v) < 1e15) || !scale(fabs(v), &q, &x))
		return false;
	char digit[DIGITS], text[40];
	for (int i = DIGITS - 1; i >= 0; i--) {
		digit[i] = (char)('0' + q % 10);
		q /= 10;
	}
	int last = DIGITS - 1;  /* %g drops the fraction's trailing zeros */
	while (last > x && digit[last] == '0')
		last--;
	size_t n = 0;
	if (v < 0)
		text[n++] = '-';
	if (x < 0) {  /* 0.00ddd */
		text[n++] = '0';
		text[n++] = '.';
		for (int i = x + 1; i < 0; i++)
			text[n++] = '0';
	}
	for (int i = 0; i <= last; i++) {
		text[n++] = digit[i];
		if (i == x && i < last)
			text[n++] = '.';
	}
	if (last == x) {  /* an integer: jansson adds ".0" */
		text[n++] = '.';
		text[n++] = '0';
	}
	put(o, text, n);
	return true;
}

/* jansson's jsonp_dtostr() at precision 15; NaN and infinities have no
 * JSON (json_real() refuses them, and lib/json.c then fails with -ENOMEM). */
static void put_real(struct out *o, double v)
{
	char text[40];
	if (!isfinite(v)) {
		if (o->err == 0)
			o->err = -ENOMEM;
		return;
	}
	if (put_fixed(o, v))
		return;
	int n = snprintf(text, sizeof(text) - 3, "%.15g", v);
	char point = localeconv()->decimal_point[0];
	char *dot = point != '.' ? strchr(text, point) : NULL;
	if (dot != NULL)
		*dot = '.';
	if (strchr(text, '.') == NULL && strchr(text, 'e') == NULL) {
		memcpy(text + n, ".0", 3);
		n += 2;
	}
	char *e = strchr(text, 'e');
	if (e != NULL) {
		char *start = e + 1, *end = e + 2;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		memmove(start, end, (size_t)(text + n + 1 - end));
		n -= (int)(end - start);
	}
	put(o, text, (size_t)n);
}

/* "@b in base64", what sodium_bin2base64(sodium_base64_VARIANT_ORIGINAL)
 * writes (lib/json.c): the standard alphabet, '=' padded. By a table, not
 * libsodium's constant-time encoder: a photo is not a secret, and sodium's
 * took an eighth of the compact JSON's instructions (docs/benchmarks.md). */
static void put_base64(struct out *o, const ProtobufCBinaryData *b)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *at = room(o, (b->len + 2) / 3 * 4 + 2);
	if (at == NULL)
		return;
	char *start = at;
	const uint8_t *p = b->data;
	size_t i = 0;
	*at++ = '"';
	for (; i + 3 <= b->len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*at++ = alphabet[v >> 18];
		*at++ = alphabet[(v >> 12) & 63];
		*at++ = alphabet[(v >> 6) & 63];
		*at++ = alphabet[v & 63];
	}
	if (i < b->len) {  /* one or two bytes left: "xx==" or "xxx=" */
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < b->len ? (uint32_t)p[i + 1] << 8 : 0);
		*at++ = alphabet[v >> 18];
		*at++ = alphabet[(v >> 12) & 63];
		*at++ = i + 1 < b->len ? alphabet[(v >> 6) & 63] : '=';
		*at++ = '=';
	}
	*at++ = '"';
	o->len += (size_t)(at - start);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void put_bytes(struct out *o, const ProtobufCFieldDescriptor *fd,
		      const ProtobufCBinaryData *b, unsigned flags, const ProtobufCMessage *msg)
{
	if (b->len == RAKSHA_UUID_LEN && (ends_with(fd->name, "_id") || strcmp(fd->name, "id") == 0)) {
		char text[RAKSHA_UUID_TEXT_LEN + 1];
		raksha_uuid_format(b->data, text);
		put_plain(o, text);
		return;
	}
	if ((flags & RAKSHA_JSON_PHOTO_SIZES) && msg->descriptor == &raksha__v1__photo__descriptor &&
	    strcmp(fd->name, "data") == 0) {
		put(o, "{\"bytes\":", 9);
		put_int(o, (long long)b->len);
		put_c(o, '}');
		return;
	}
	put_base64(o, b);
}

static void put_message(struct out *o, const ProtobufCMessage *msg, unsigned flags);

static void put_value(struct out *o, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
		      const void *v, unsigned flags)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		put_int(o, *(const int32_t *)v);
		return;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		put_int(o, *(const uint32_t *)v);
		return;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		put_int(o, *(const int64_t *)v);
		return;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		put_int(o, (long long)*(const uint64_t *)v);  /* json_int_t, as lib/json.c */
		return;
	case PROTOBUF_C_TYPE_FLOAT:
		put_real(o, *(const float *)v);
		return;
	case PROTOBUF_C_TYPE_DOUBLE:
		put_real(o, *(const double *)v);
		return;
	case PROTOBUF_C_TYPE_BOOL:
		if (*(const protobuf_c_boolean *)v)
			put(o, "true", 4);
		else
			put(o, "false", 5);
		return;
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(fd->descriptor, *(const int *)v);
		if (ev == NULL && o->err == 0)
			o->err = -ERANGE;  /* a number the schema does not name (lib/json.c) */
		if (ev != NULL)
			put_plain(o, ev->name);
		return;
	}
	case PROTOBUF_C_TYPE_STRING:
		put_string(o, *(char *const *)v);
		return;
	case PROTOBUF_C_TYPE_BYTES:
		put_bytes(o, fd, v, flags, msg);
		return;
	case PROTOBUF_C_TYPE_MESSAGE:
		put_message(o, *(ProtobufCMessage *const *)v, flags);
		return;
	}
}

/* @name's key, '"name":', with the ',' before it but for the @first key
 * of its object: one piece, not four (a key a field was a sixth of the
 * compact JSON's instructions). */
static void put_key(struct out *o, const char *name, bool first)
{
	size_t n = strlen(name);
	char *to = room(o, n + 4);
	if (to == NULL)
		return;
	char *start = to;
	if (!first)
		*to++ = ',';
	*to++ = '"';
	memcpy(to, name, n);
	to += n;
	*to++ = '"';
	*to++ = ':';
	o->len += (size_t)(to - start);
}

/* The @n values of @fd (field_count()), with its key. */
static void put_field(struct out *o, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
		      size_t n, bool first, unsigned flags)
{
	bool repeated = fd->label == PROTOBUF_C_LABEL_REPEATED;
	put_key(o, fd->name, first);
	if (repeated)
		put_c(o, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put_c(o, ',');
		put_value(o, msg, fd, field_value(msg, fd, i), flags);
	}
	if (repeated)
		put_c(o, ']');
}

static void put_message(struct out *o, const ProtobufCMessage *msg, unsigned flags)
{
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	bool first = true;
	put_c(o, '{');
	for (unsigned i = 0; i < d->n_fields && o->err == 0; i++) {
		size_t n = field_count(msg, &d->fields[i]);
		if (n == 0)
			continue;  /* absent: left out, as lib/json.c leaves it */
		put_field(o, msg, &d->fields[i], n, first, flags);
		first = false;
	}
	put_c(o, '}');
}

/* Most envelopes' JSON fits at once (a report with its photo's size
 * about 1.3 KiB): one malloc a message, not a realloc or two. */
#define OUT_FIRST 4096u

int json_compact(const ProtobufCMessage *msg, unsigned flags, char **out)
{
	struct out o = {0};
	o.p = malloc(OUT_FIRST);
	if (o.p == NULL)
		return -ENOMEM;
	o.cap = OUT_FIRST;
	put_message(&o, msg, flags);
	if (o.err == 0 && room(&o, 0) != NULL)
		o.p[o.len] = '\0';
	if (o.err < 0) {
		free(o.p);
		*out = NULL;
		return o.err;
	}
	*out = o.p;
	return 0;
}
