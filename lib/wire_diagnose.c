#include <stdint.h>
#include <stdio.h>

#include "wire_diagnose.h"

enum { WIRE_VARINT = 0, WIRE_64BIT = 1, WIRE_LEN = 2, WIRE_32BIT = 5 };

static const char *const wire_names[8] = {
	"0 (varint)", "1 (64-bit)", "2 (length-delimited)", "3 (group start)",
	"4 (group end)", "5 (32-bit)", "6 (invalid)", "7 (invalid)",
};

/* Reads a varint at *@pos. Returns 0, or -1 if it runs past @end or over 10 bytes. */
static int read_varint(const uint8_t *buf, size_t end, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 70 && *pos < end; shift += 7) {
		uint8_t b = buf[(*pos)++];
		*v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

static int expected_wire(const ProtobufCFieldDescriptor *fd)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
	case PROTOBUF_C_TYPE_MESSAGE:
		return WIRE_LEN;
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return WIRE_64BIT;
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_FLOAT:
		return WIRE_32BIT;
	default:
		/* Packed repeated scalars come length-delimited too. */
		return fd->label == PROTOBUF_C_LABEL_REPEATED ? -1 : WIRE_VARINT;
	}
}

/* Walks [start, end) as a @desc message. Returns 0 if no fault was found. */
static int walk(const ProtobufCMessageDescriptor *desc, const uint8_t *buf, size_t start,
		size_t end, char *out, size_t size)
{
	size_t pos = start;
	while (pos < end) {
		size_t at = pos;
		uint64_t key, n;
		if (read_varint(buf, end, &pos, &key) < 0)
			return snprintf(out, size, "byte %zu: field key runs past the end (truncated?)", at), -1;
		unsigned wire = key & 7, num = (unsigned)(key >> 3);
		const ProtobufCFieldDescriptor *fd = num ? protobuf_c_message_descriptor_get_field(desc, num) : NULL;
		const char *name = fd ? fd->name : "unknown field";
		if (num == 0 || wire == 3 || wire == 4 || wire > 5)
			return snprintf(out, size, "byte %zu: field %u has wire type %s, not a protobuf field",
					at, num, wire_names[wire]), -1;
		int want = fd ? expected_wire(fd) : -1;
		if (want >= 0 && (unsigned)want != wire)
			return snprintf(out, size, "byte %zu: %s has wire type %s, expected %s",
					at, name, wire_names[wire], wire_names[want]), -1;
		size_t need = wire == WIRE_64BIT ? 8 : wire == WIRE_32BIT ? 4 : 0;
		if (wire == WIRE_VARINT && read_varint(buf, end, &pos, &n) < 0)
			return snprintf(out, size, "byte %zu: %s: varint runs past the end (truncated?)",
					at, name), -1;
		if (wire == WIRE_LEN) {
			if (read_varint(buf, end, &pos, &n) < 0 || n > end - pos)
				return snprintf(out, size, "byte %zu: %s: length runs past the end (truncated?)",
						at, name), -1;
			need = (size_t)n;
			if (fd && fd->type == PROTOBUF_C_TYPE_MESSAGE &&
			    walk(fd->descriptor, buf, pos, pos + need, out, size) < 0)
				return -1;
		}
		if (need > end - pos)
			return snprintf(out, size, "byte %zu: %s: value runs past the end (truncated?)",
					at, name), -1;
		pos += need;
	}
	return 0;
}

void wire_diagnose(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		   char *out, size_t size)
{
	if (walk(desc, data, 0, len, out, size) == 0)
		snprintf(out, size, "%zu bytes refused by protobuf-c (no framing fault found: "
			 "a value out of its type's range?)", len);
}
