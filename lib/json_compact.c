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
#include <sodium.h>

#include <raksha/envelope.h>
#include <raksha/json.h>
#include <raksha/uuid.h>

#include "lib/fields.h"
#include "lib/json_compact.h"
#include "lib/utf8.h"

struct out {
	char *p;
	size_t len, cap;
	int err;  /* the first error: the text is then thrown away */
};

static char *room(struct out *o, size_t n)
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

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n < o->cap) {  /* the usual case, without room()'s checks */
		memcpy(o->p + o->len, s, n);
		o->len += n;
		return;
	}
	char *at = room(o, n);
	if (at == NULL)
		return;
	memcpy(at, s, n);
	o->len += n;
}

static void put_c(struct out *o, char c)
{
	if (o->len + 1 < o->cap) {
		o->p[o->len++] = c;
		return;
	}
	put(o, &c, 1);
}

/* A string that needs no escaping (ASCII that is not '"', '\\' or a control). */
static void put_plain(struct out *o, const char *s)
{
	put_c(o, '"');
	put(o, s, strlen(s));
	put_c(o, '"');
}

/* A string lib/utf8.c finds well formed and free of controls but tab, LF
 * and CR: only those three, '"' and '\\' are escaped. Anything else goes
 * through jansson itself (a NULL from json_string() is invalid UTF-8). */
static void put_string(struct out *o, const char *s)
{
	size_t n = 0, at;
	uint32_t cp;
	/* Most strings are printable ASCII without '"' or '\\': as they are. */
	while (s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\')
		n++;
	if (s[n] == '\0') {
		put_c(o, '"');
		put(o, s, n);
		put_c(o, '"');
		return;
	}
	n += strlen(s + n);
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
	size_t cap = sodium_base64_ENCODED_LEN(b->len, sodium_base64_VARIANT_ORIGINAL);
	char *at = room(o, cap + 2);
	if (at == NULL)
		return;
	at[0] = '"';
	sodium_bin2base64(at + 1, cap, b->data, b->len, sodium_base64_VARIANT_ORIGINAL);
	o->len += cap;  /* the quote and the text without its NUL */
	put_c(o, '"');
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

static void put_field(struct out *o, const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
		      unsigned flags)
{
	size_t n = field_count(msg, fd);
	bool repeated = fd->label == PROTOBUF_C_LABEL_REPEATED;
	put_plain(o, fd->name);
	put_c(o, ':');
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
		if (field_count(msg, &d->fields[i]) == 0)
			continue;  /* absent: left out, as lib/json.c leaves it */
		if (!first)
			put_c(o, ',');
		first = false;
		put_field(o, msg, &d->fields[i], flags);
	}
	put_c(o, '}');
}

int json_compact(const ProtobufCMessage *msg, unsigned flags, char **out)
{
	struct out o = {0};
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
