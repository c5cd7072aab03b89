/* Internal: reading the protobuf wire format directly, for what protobuf-c's
 * unpack cannot tell us: where a refused buffer is broken, whether a string
 * it accepted held a NUL byte (its C strings end at the first NUL, so the
 * rest would vanish without a word), and whether a field came twice (which
 * other protobuf decoders read otherwise than protobuf-c does). */
#ifndef RAKSHA_LIB_WIRE_SCAN_H
#define RAKSHA_LIB_WIRE_SCAN_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include <raksha/problem.h>

/* The most fields one message type may have for wire_check() to track
 * them; tests/unit/test-envelope.c holds every type of the schema to it. */
#define WIRE_FIELDS_MAX 256

/* After protobuf-c refused @data: writes into @out where the first framing
 * fault is, naming the byte and the field path:
 * "byte 57: report.last_seen: length runs past the end (truncated?)",
 * "byte 0: message_id has wire type 0 (varint), expected 2 (length-delimited)".
 * If it finds none it says so; protobuf-c stays the judge. */
void wire_diagnose(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		   char *out, size_t size);

/* After protobuf-c accepted @data: what its unpack let pass, at any depth,
 * the first in the order of the bytes. Returns 0, or a negative errno with
 * @p (if not NULL) saying where:
 *   -EILSEQ  a string holds a NUL byte (RAKSHA_CAUSE_UTF8):
 *            "byte 412: report.companions.name: NUL byte (U+0000) inside a string"
 *   -EINVAL  a field that is not repeated appears twice in one message, or
 *            two members of one oneof do (RAKSHA_CAUSE_INVALID):
 *            "report.priority: appears twice (again at byte 57)",
 *            "report and sighting: two members of one oneof (the second at byte 80)";
 *            or a type has more than WIRE_FIELDS_MAX fields
 *   -EBADMSG a framing fault protobuf-c did not see (RAKSHA_CAUSE_UNDECODABLE)
 * Fields the descriptor does not know may come any number of times. */
int wire_check(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
	       struct raksha_problem *p);

#endif
