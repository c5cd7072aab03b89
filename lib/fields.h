/* Internal: reading any protobuf-c message's fields through its descriptor.
 * The JSON renderer and the string checker both walk messages this way, so
 * the rules of presence live here once. */
#ifndef RAKSHA_LIB_FIELDS_H
#define RAKSHA_LIB_FIELDS_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

/* How many values @fd has in @msg: the element count of a repeated field;
 * for a singular one, 1 if it is present (proto3: set to a non-default
 * value, or the chosen member of its oneof) and 0 if not. */
size_t field_count(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd);

/* The address of value @i (< field_count()) of @fd in @msg: an int32_t *,
 * char **, ProtobufCBinaryData *, ProtobufCMessage **, ... by fd->type. */
const void *field_value(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
			size_t i);

#endif
