/* Internal: why protobuf-c refused a buffer, in words that name the byte. */
#ifndef RAKSHA_LIB_WIRE_DIAGNOSE_H
#define RAKSHA_LIB_WIRE_DIAGNOSE_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

/* protobuf-c's unpack says only "no". After it has, this walks the same bytes
 * by the wire format and @desc and writes into @out where the first fault is:
 * "byte 57: field 9 (last_seen) length 1200 runs past the end (truncated?)",
 * "byte 0: message_id has wire type 0 (varint), expected 2 (length-delimited)".
 * If it finds none it says so; protobuf-c stays the judge. */
void wire_diagnose(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		   char *out, size_t size);

#endif
