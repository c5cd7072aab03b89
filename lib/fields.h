/* Internal: reading any protobuf-c message's fields through its descriptor.
 * The JSON renderer and the string checker both walk messages this way, so
 * the rules of presence live here once; inline, as they are asked of every
 * field of every message rendered or checked. */
#ifndef RAKSHA_LIB_FIELDS_H
#define RAKSHA_LIB_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/* The size of one value of @type in a message or in a repeated field's
 * array. */
static inline size_t field_size(ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	}
	return 0;
}

/* A proto3 singular field is present when it differs from its zero value. */
static inline int field_differs_from_default(const void *v, ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)v;
		return s != NULL && s[0] != '\0';
	}
	case PROTOBUF_C_TYPE_BYTES:
		return ((const ProtobufCBinaryData *)v)->len > 0;
	case PROTOBUF_C_TYPE_MESSAGE:
		return *(ProtobufCMessage *const *)v != NULL;
	case PROTOBUF_C_TYPE_FLOAT:
		return *(const float *)v != 0.0f;
	case PROTOBUF_C_TYPE_DOUBLE:
		return *(const double *)v != 0.0;
	default:
		/* Read as what it is, not by memcmp(): this runs for every field
		 * of every message rendered or checked (docs/benchmarks.md). */
		if (field_size(type) == 8)
			return *(const uint64_t *)v != 0;
		return *(const uint32_t *)v != 0;
	}
}

/* How many values @fd has in @msg: the element count of a repeated field;
 * for a singular one, 1 if it is present (proto3: set to a non-default
 * value, or the chosen member of its oneof) and 0 if not. Inline: the
 * compact JSON asks it of every field of every message it writes, about
 * 90 times an envelope (docs/benchmarks.md, issue 19 part 5). */
static inline size_t field_count(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd)
{
	const char *base = (const char *)msg;
	const void *v = base + fd->offset;
	if (fd->label == PROTOBUF_C_LABEL_REPEATED)
		return *(const size_t *)(base + fd->quantifier_offset);
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		uint32_t chosen = *(const uint32_t *)(base + fd->quantifier_offset);
		if (chosen != fd->id)
			return 0;
		/* A chosen message member may still be NULL in a hand-built message. */
		return fd->type != PROTOBUF_C_TYPE_MESSAGE || *(ProtobufCMessage *const *)v != NULL;
	}
	if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset != 0 &&
	    fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return *(const protobuf_c_boolean *)(base + fd->quantifier_offset) != 0;
	if (fd->label == PROTOBUF_C_LABEL_REQUIRED)
		return 1;
	return field_differs_from_default(v, fd->type) ? 1 : 0;
}

/* The address of value @i (< field_count()) of @fd in @msg: an int32_t *,
 * char **, ProtobufCBinaryData *, ProtobufCMessage **, ... by fd->type. */
static inline const void *field_value(const ProtobufCMessage *msg,
				     const ProtobufCFieldDescriptor *fd, size_t i)
{
	const char *base = (const char *)msg;
	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		const char *array = *(char *const *)(base + fd->offset);
		return array + i * field_size(fd->type);
	}
	return base + fd->offset;
}

#endif
