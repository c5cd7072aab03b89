/* Internal: reading the protobuf wire format directly, for what protobuf-c's
 * unpack cannot tell us: where a refused buffer is broken, and whether a
 * string it accepted held a NUL byte (its C strings end at the first NUL, so
 * the rest would vanish without a word). */
#ifndef RAKSHA_LIB_WIRE_SCAN_H
#define RAKSHA_LIB_WIRE_SCAN_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

/* After protobuf-c refused @data: writes into @out where the first framing
 * fault is, naming the byte and the field path:
 * "byte 57: report.last_seen: length runs past the end (truncated?)",
 * "byte 0: message_id has wire type 0 (varint), expected 2 (length-delimited)".
 * If it finds none it says so; protobuf-c stays the judge. */
void wire_diagnose(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		   char *out, size_t size);

/* After protobuf-c accepted @data: returns -1 and says where in @out if a
 * string field, at any depth, holds a NUL byte; 0 if none does. */
int wire_find_nul(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		  char *out, size_t size);

#endif
