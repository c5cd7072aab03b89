/* Descriptor-driven JSON rendering (see <raksha/json.h> for the rules). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include <raksha/envelope.h>
#include <raksha/json.h>
#include <raksha/uuid.h>

#include "lib/fields.h"
#include "lib/json_compact.h"

static json_t *render(const ProtobufCMessage *msg, unsigned flags, int *err);

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static json_t *render_bytes(const ProtobufCFieldDescriptor *fd, const ProtobufCBinaryData *b,
			    unsigned flags, const ProtobufCMessage *msg)
{
	if (b->len == RAKSHA_UUID_LEN && (ends_with(fd->name, "_id") || strcmp(fd->name, "id") == 0)) {
		char text[RAKSHA_UUID_TEXT_LEN + 1];
		raksha_uuid_format(b->data, text);
		return json_string(text);
	}
	if ((flags & RAKSHA_JSON_PHOTO_SIZES) && msg->descriptor == &raksha__v1__photo__descriptor &&
	    strcmp(fd->name, "data") == 0)
		return json_pack("{s:I}", "bytes", (json_int_t)b->len);
	size_t cap = sodium_base64_ENCODED_LEN(b->len, sodium_base64_VARIANT_ORIGINAL);
	char *text = malloc(cap);
	if (text == NULL)
		return NULL;
	sodium_bin2base64(text, cap, b->data, b->len, sodium_base64_VARIANT_ORIGINAL);
	json_t *j = json_string(text);
	free(text);
	return j;
}

static json_t *render_enum(const ProtobufCFieldDescriptor *fd, int value, int *err)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(fd->descriptor, value);
	/* A number the schema does not name means nothing here (docs/schema.md):
	 * the checks refuse it, and so does the renderer, rather than print a
	 * number that every reader would take differently. */
	if (ev == NULL) {
		*err = -ERANGE;
		return NULL;
	}
	return json_string(ev->name);
}

static json_t *render_value(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
			    const void *v, unsigned flags, int *err)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return json_integer(*(const int32_t *)v);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return json_integer(*(const uint32_t *)v);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return json_integer(*(const int64_t *)v);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return json_integer((json_int_t)*(const uint64_t *)v);
	case PROTOBUF_C_TYPE_FLOAT:
		return json_real(*(const float *)v);
	case PROTOBUF_C_TYPE_DOUBLE:
		return json_real(*(const double *)v);
	case PROTOBUF_C_TYPE_BOOL:
		return json_boolean(*(const protobuf_c_boolean *)v);
	case PROTOBUF_C_TYPE_ENUM:
		return render_enum(fd, *(const int *)v, err);
	case PROTOBUF_C_TYPE_STRING: {
		json_t *j = json_string(*(char *const *)v);
		if (j == NULL)
			*err = -EILSEQ;
		return j;
	}
	case PROTOBUF_C_TYPE_BYTES:
		return render_bytes(fd, v, flags, msg);
	case PROTOBUF_C_TYPE_MESSAGE:
		return render(*(ProtobufCMessage *const *)v, flags, err);
	}
	return NULL;
}

static int add_field(json_t *obj, const ProtobufCMessage *msg,
		     const ProtobufCFieldDescriptor *fd, unsigned flags, int *err)
{
	size_t n = field_count(msg, fd);
	if (n == 0)
		return 0;
	json_t *out = fd->label == PROTOBUF_C_LABEL_REPEATED ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *v = render_value(msg, fd, field_value(msg, fd, i), flags, err);
		if (v == NULL || (out != NULL && json_array_append_new(out, v) < 0)) {
			json_decref(out);
			return -1;
		}
		if (out == NULL)
			out = v;
	}
	return json_object_set_new(obj, fd->name, out);
}

static json_t *render(const ProtobufCMessage *msg, unsigned flags, int *err)
{
	json_t *obj = json_object();
	if (obj == NULL)
		return NULL;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		if (add_field(obj, msg, &d->fields[i], flags, err) < 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

int raksha_message_to_json(const ProtobufCMessage *msg, unsigned flags, char **out)
{
	if (msg == NULL || out == NULL)
		return -EINVAL;
	/* One line a message is what exports and logs ask for, by the million:
	 * written directly, the same bytes (lib/json_compact.h). */
	if (!(flags & RAKSHA_JSON_PRETTY))
		return json_compact(msg, flags, out);
	int err = -ENOMEM;
	json_t *j = render(msg, flags, &err);
	if (j == NULL)
		return err;
	/* UTF-8 stays as is (no escaped code points): Devanagari must be readable in logs.
	 * 15 significant digits print 23.2599 as 23.2599, not 23.259900000000002. */
	size_t dump = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
	dump |= (flags & RAKSHA_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
	*out = json_dumps(j, dump);
	json_decref(j);
	return *out != NULL ? 0 : -ENOMEM;
}
