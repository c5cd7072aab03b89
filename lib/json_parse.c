/* Descriptor-driven JSON parsing, the inverse of json.c's rendering (see
 * <raksha/json.h> for the rules).
 *
 * Ownership: a message is complete or freed. parse_message() frees its own
 * partial message on failure, and every value is written into its message only
 * once it is whole, so protobuf_c_message_free_unpacked() always finds a
 * consistent tree: repeated counts cover only filled elements, and a oneof's
 * case names a member only after that member is stored. */
#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include <raksha/json.h>
#include <raksha/uuid.h>

#include "lib/fields.h"
#include "lib/problem.h"

/* The JSON path of the value being parsed ("child.photos[1].data"), built up
 * and cut back as the parser descends, for the error text. */
struct parser {
	struct raksha_problem *problem;
	size_t len;
	char path[RAKSHA_PROBLEM_TEXT_MAX];
};

/* Long enough to recognise a value, short enough that a photo's base64 does
 * not push the path and reason out of the problem text. */
#define SHOWN_MAX 48

static int parse_message(struct parser *p, const ProtobufCMessageDescriptor *desc,
			 json_t *obj, ProtobufCMessage **out);

/* Appends @n bytes written at the end of the path, clamped to the buffer. A
 * key may hold control characters; the problem text must stay one line. */
static void path_grow(struct parser *p, int n)
{
	size_t end = n < 0 ? p->len : p->len + (size_t)n;
	if (end >= sizeof(p->path))
		end = sizeof(p->path) - 1;
	for (size_t i = p->len; i < end; i++)
		if ((unsigned char)p->path[i] < 0x20 || p->path[i] == 0x7f)
			p->path[i] = '?';
	p->len = end;
}

/* Each push returns the length to give path_pop() on the way back up. */
static size_t path_field(struct parser *p, const char *name)
{
	size_t mark = p->len;
	path_grow(p, snprintf(p->path + p->len, sizeof(p->path) - p->len, "%s%s",
			      p->len > 0 ? "." : "", name));
	return mark;
}

static size_t path_index(struct parser *p, size_t i)
{
	size_t mark = p->len;
	path_grow(p, snprintf(p->path + p->len, sizeof(p->path) - p->len, "[%zu]", i));
	return mark;
}

static void path_pop(struct parser *p, size_t mark)
{
	p->len = mark;
	p->path[mark] = '\0';
}

/* @v as compact JSON in @buf (numbers to 15 digits, as the renderer writes
 * them), cut at a character boundary if long. */
static const char *shown(json_t *v, char buf[SHOWN_MAX])
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (s == NULL)
		return "the value";
	size_t n = strlen(s);
	if (n >= SHOWN_MAX) {
		n = SHOWN_MAX - 4;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(s + n, "...", 4);
		n += 3;
	}
	memcpy(buf, s, n + 1);
	free(s);
	return buf;
}

/* Fills the problem with "path: value reason" (@v may be NULL) and returns
 * -EINVAL, so that every refusal is one line: return fail(p, v, ...). */
__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, json_t *v, const char *fmt, ...)
{
	char reason[128], value[SHOWN_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return problem_set(p->problem, -EINVAL, RAKSHA_CAUSE_INVALID, "%s%s%s%s%s", p->path,
			   p->len > 0 ? ": " : "", v != NULL ? shown(v, value) : "",
			   v != NULL ? " " : "", reason);
}

static int no_memory(struct parser *p)
{
	return problem_set(p->problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "%s%sout of memory",
			   p->path, p->len > 0 ? ": " : "");
}

/* The values an integer field holds, as far as a JSON integer (int64) reaches. */
static void integer_range(ProtobufCType type, long long *min, unsigned long long *max)
{
	switch (type) {
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		*min = 0;
		*max = UINT32_MAX;
		return;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		*min = 0;
		*max = UINT64_MAX;
		return;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		*min = INT64_MIN;
		*max = INT64_MAX;
		return;
	default: /* 32-bit signed, and enums (C enums are int-sized in protobuf-c) */
		*min = INT32_MIN;
		*max = INT32_MAX;
		return;
	}
}

/* Checks that JSON integer @v fits @type; 0 with the value in *@n, or -EINVAL. */
static int get_integer(struct parser *p, ProtobufCType type, json_t *v, long long *n)
{
	if (!json_is_integer(v))
		return fail(p, v, json_is_number(v) ? "is not an integer" : "is not a number");
	long long min;
	unsigned long long max;
	integer_range(type, &min, &max);
	*n = json_integer_value(v);
	if (*n < min || (*n > 0 && (unsigned long long)*n > max))
		return fail(p, v, "out of range %lld..%llu", min, max);
	return 0;
}

static int parse_integer(struct parser *p, const ProtobufCFieldDescriptor *fd, json_t *v,
			 void *dst)
{
	long long n = 0;  /* set when get_integer() succeeds; -O3 cannot tell */
	int r = get_integer(p, fd->type, v, &n);
	if (r < 0)
		return r;
	switch (fd->type) {
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		*(uint32_t *)dst = (uint32_t)n;
		break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		*(uint64_t *)dst = (uint64_t)n;
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		*(int64_t *)dst = n;
		break;
	default:
		*(int32_t *)dst = (int32_t)n;
		break;
	}
	return 0;
}

static int parse_real(struct parser *p, const ProtobufCFieldDescriptor *fd, json_t *v,
		      void *dst)
{
	if (!json_is_number(v))
		return fail(p, v, "is not a number");
	double d = json_number_value(v);
	if (fd->type == PROTOBUF_C_TYPE_DOUBLE) {
		*(double *)dst = d;
		return 0;
	}
	/* Converting a double beyond FLT_MAX to float is undefined behaviour. */
	if (d > FLT_MAX || d < -FLT_MAX)
		return fail(p, v, "out of range of a float");
	*(float *)dst = (float)d;
	return 0;
}

static int parse_bool(struct parser *p, json_t *v, void *dst)
{
	if (!json_is_boolean(v))
		return fail(p, v, "is not true or false");
	*(protobuf_c_boolean *)dst = json_is_true(v);
	return 0;
}

static int parse_enum(struct parser *p, const ProtobufCFieldDescriptor *fd, json_t *v,
		      void *dst)
{
	const ProtobufCEnumDescriptor *ed = fd->descriptor;
	if (json_is_string(v)) {
		const ProtobufCEnumValue *ev =
			protobuf_c_enum_descriptor_get_value_by_name(ed, json_string_value(v));
		if (ev == NULL)
			return fail(p, v, "is not a %s", ed->short_name);
		*(int *)dst = ev->value;
		return 0;
	}
	if (!json_is_integer(v))
		return fail(p, v, "is not a %s name or number", ed->short_name);
	long long n;
	int r = get_integer(p, PROTOBUF_C_TYPE_ENUM, v, &n);
	if (r < 0)
		return r;
	/* A number the schema does not name is refused, as the checks refuse it
	 * on the wire (docs/schema.md): a new value needs a new field. */
	if (protobuf_c_enum_descriptor_get_value(ed, (int)n) == NULL)
		return fail(p, v, "is not a %s", ed->short_name);
	*(int *)dst = (int)n;
	return 0;
}

static int parse_string(struct parser *p, json_t *v, void *dst)
{
	if (!json_is_string(v))
		return fail(p, v, "is not a string");
	/* jansson has checked the UTF-8, and without JSON_ALLOW_NUL a string holds
	 * no NUL, so a C string keeps all of it. */
	char *s = strdup(json_string_value(v));
	if (s == NULL)
		return no_memory(p);
	*(char **)dst = s;
	return 0;
}

/* Decodes padded standard base64 into a new buffer; "" is no bytes.
 * Returns 0, -EINVAL (not base64) or -ENOMEM. */
static int decode_base64(const char *text, size_t n, ProtobufCBinaryData *out)
{
	*out = (ProtobufCBinaryData){0, NULL};
	if (n == 0)
		return 0;
	size_t cap = n / 4 * 3 + 3, len;
	uint8_t *bin = malloc(cap);
	if (bin == NULL)
		return -ENOMEM;
	/* No ignored characters and no b64_end: the whole text must be base64.
	 * libsodium also refuses non-zero padding bits, so each byte string has
	 * one text, the one the renderer writes. */
	if (sodium_base642bin(bin, cap, text, n, NULL, &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		return -EINVAL;
	}
	*out = (ProtobufCBinaryData){len, bin};
	return 0;
}

/* The renderer's rule for which bytes fields are ids. */
static int is_id_field(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "id") == 0 || (n >= 3 && strcmp(name + n - 3, "_id") == 0);
}

/* An id is UUID text. The renderer writes an id of another length as base64,
 * so that comes back too; base64 of 16 bytes never comes from it. */
static int parse_id(struct parser *p, json_t *v, ProtobufCBinaryData *dst)
{
	uint8_t id[RAKSHA_UUID_LEN];
	if (raksha_uuid_parse(json_string_value(v), id) == 0) {
		uint8_t *data = malloc(sizeof(id));
		if (data == NULL)
			return no_memory(p);
		memcpy(data, id, sizeof(id));
		*dst = (ProtobufCBinaryData){sizeof(id), data};
		return 0;
	}
	ProtobufCBinaryData b;
	int r = decode_base64(json_string_value(v), json_string_length(v), &b);
	if (r == -ENOMEM)
		return no_memory(p);
	if (r < 0 || b.len == RAKSHA_UUID_LEN) {
		free(b.data);
		return fail(p, v, "is not a UUID");
	}
	*dst = b;
	return 0;
}

static int parse_bytes(struct parser *p, const ProtobufCFieldDescriptor *fd, json_t *v,
		       void *dst)
{
	if (!json_is_string(v))
		return fail(p, v, "is not a string");
	if (is_id_field(fd->name))
		return parse_id(p, v, dst);
	int r = decode_base64(json_string_value(v), json_string_length(v), dst);
	if (r == -ENOMEM)
		return no_memory(p);
	return r < 0 ? fail(p, v, "is not base64") : 0;
}

/* Parses one value of @fd's type into @dst, which it owns only on success. */
static int parse_value(struct parser *p, const ProtobufCFieldDescriptor *fd, json_t *v,
		       void *dst)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_DOUBLE:
		return parse_real(p, fd, v, dst);
	case PROTOBUF_C_TYPE_BOOL:
		return parse_bool(p, v, dst);
	case PROTOBUF_C_TYPE_ENUM:
		return parse_enum(p, fd, v, dst);
	case PROTOBUF_C_TYPE_STRING:
		return parse_string(p, v, dst);
	case PROTOBUF_C_TYPE_BYTES:
		return parse_bytes(p, fd, v, dst);
	case PROTOBUF_C_TYPE_MESSAGE:
		return parse_message(p, fd->descriptor, v, dst);
	default:
		return parse_integer(p, fd, v, dst);
	}
}

/* Room for one element of any type. The array is allocated at this size and
 * field_value() finds element i at its real, packed place, so the layout of
 * protobuf-c's arrays is known in fields.c alone; a repeated 32-bit field
 * wastes a few bytes per element for it. */
union element {
	int64_t i64;
	double d;
	char *s;
	ProtobufCBinaryData b;
	ProtobufCMessage *m;
};

static int fill_repeated(struct parser *p, ProtobufCMessage *msg,
			 const ProtobufCFieldDescriptor *fd, json_t *v)
{
	if (!json_is_array(v))
		return fail(p, v, "is not an array");
	size_t n = json_array_size(v);
	if (n == 0)
		return 0;
	void *array = calloc(n, sizeof(union element));
	if (array == NULL)
		return no_memory(p);
	char *base = (char *)msg;
	*(void **)(base + fd->offset) = array;
	size_t *count = (size_t *)(base + fd->quantifier_offset);
	for (size_t i = 0; i < n; i++) {
		size_t mark = path_index(p, i);
		void *dst = (void *)field_value(msg, fd, i); /* our own array: writable */
		int r = parse_value(p, fd, json_array_get(v, i), dst);
		path_pop(p, mark);
		if (r < 0)
			return r;
		(*count)++; /* only now does free_unpacked() free element i */
	}
	return 0;
}

static int fill_singular(struct parser *p, ProtobufCMessage *msg,
			 const ProtobufCFieldDescriptor *fd, json_t *v)
{
	char *base = (char *)msg;
	int r = parse_value(p, fd, v, base + fd->offset);
	if (r < 0)
		return r;
	/* The case is what makes a member present (age_years 0 is an age); proto2
	 * and proto3 `optional` scalars have a has_ flag instead. Strings and
	 * messages are present by their pointer: their quantifier_offset is 0. */
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		*(uint32_t *)(base + fd->quantifier_offset) = fd->id;
	else if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset != 0)
		*(protobuf_c_boolean *)(base + fd->quantifier_offset) = 1;
	return 0;
}

/* Members of a oneof share storage, so a second member must be refused before
 * it overwrites the first. Reported at the message's path, where both are. */
static int check_oneof(struct parser *p, const ProtobufCMessage *msg,
		       const ProtobufCFieldDescriptor *fd)
{
	uint32_t chosen = *(const uint32_t *)((const char *)msg + fd->quantifier_offset);
	if (chosen == 0 || chosen == fd->id)
		return 0;
	const ProtobufCFieldDescriptor *other =
		protobuf_c_message_descriptor_get_field(msg->descriptor, chosen);
	return fail(p, NULL, "%s and %s are both set; they are one of",
		    other != NULL ? other->name : "another field", fd->name);
}

static int fill_field(struct parser *p, ProtobufCMessage *msg,
		      const ProtobufCFieldDescriptor *fd, json_t *v)
{
	if (v == NULL || json_is_null(v))
		return 0;
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		int r = check_oneof(p, msg, fd);
		if (r < 0)
			return r;
	}
	size_t mark = path_field(p, fd->name);
	int r = fd->label == PROTOBUF_C_LABEL_REPEATED ? fill_repeated(p, msg, fd, v)
						       : fill_singular(p, msg, fd, v);
	path_pop(p, mark);
	return r;
}

/* A misspelt key would otherwise be a field silently left unset. */
static int check_keys(struct parser *p, const ProtobufCMessageDescriptor *desc, json_t *obj)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (protobuf_c_message_descriptor_get_field_by_name(desc, key) != NULL)
			continue;
		size_t mark = path_field(p, key);
		int r = fail(p, NULL, "unknown field");
		path_pop(p, mark);
		return r;
	}
	return 0;
}

static int parse_message(struct parser *p, const ProtobufCMessageDescriptor *desc,
			 json_t *obj, ProtobufCMessage **out)
{
	if (!json_is_object(obj))
		return fail(p, obj, "is not an object");
	int r = check_keys(p, desc, obj);
	if (r < 0)
		return r;
	ProtobufCMessage *msg = malloc(desc->sizeof_message);
	if (msg == NULL)
		return no_memory(p);
	protobuf_c_message_init(desc, msg);
	/* In schema order, so that errors (and a oneof's "a and b") read the same
	 * whatever the key order. */
	for (unsigned i = 0; r == 0 && i < desc->n_fields; i++)
		r = fill_field(p, msg, &desc->fields[i], json_object_get(obj, desc->fields[i].name));
	if (r < 0) {
		protobuf_c_message_free_unpacked(msg, NULL);
		return r;
	}
	*out = msg;
	return 0;
}

int raksha_message_from_json(const ProtobufCMessageDescriptor *desc, const char *json,
			     size_t len, ProtobufCMessage **out, struct raksha_problem *problem)
{
	if (out != NULL)
		*out = NULL;
	if (desc == NULL || json == NULL || out == NULL)
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID,
				   "no descriptor, text or result");
	json_error_t err;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		if (json_error_code(&err) == json_error_out_of_memory)
			return problem_set(problem, -ENOMEM, RAKSHA_CAUSE_NO_MEMORY, "out of memory");
		return problem_set(problem, -EINVAL, RAKSHA_CAUSE_INVALID, "line %d column %d: %s",
				   err.line, err.column, err.text);
	}
	struct parser p = {.problem = problem};
	int r = parse_message(&p, desc, root, out);
	json_decref(root);
	return r;
}
