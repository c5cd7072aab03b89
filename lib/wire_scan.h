/* Internal: reading the protobuf wire format directly, for what protobuf-c's
 * unpack cannot tell us: where a refused buffer is broken, whether a string
 * it accepted held a NUL byte (its C strings end at the first NUL, so the
 * rest would vanish without a word), whether a field came twice (which
 * other protobuf decoders read otherwise than protobuf-c does), and how many
 * fields there are before protobuf-c allocates for each of them. */
#ifndef RAKSHA_LIB_WIRE_SCAN_H
#define RAKSHA_LIB_WIRE_SCAN_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include <raksha/problem.h>

/* The most fields one message type may have for wire_check() to track
 * them; tests/unit/test-envelope.c holds every type of the schema to it. */
#define WIRE_FIELDS_MAX 256

/* The most fields unknown to the descriptors (a newer schema's) that one
 * envelope may hold, at all depths together: each costs protobuf-c's unpack
 * a copy and a record, so their number is bounded before it runs. A newer
 * schema's fields follow the rules of this one (a list at most 64 entries),
 * so a thousand is far more than any version of it writes. */
#define WIRE_UNKNOWN_MAX 1024

/* Where the first framing fault of @data is, written into @out, naming the
 * byte and the field path:
 * "byte 57: report.last_seen: length runs past the end (truncated?)",
 * "byte 0: message_id has wire type 0 (varint), expected 2 (length-delimited)".
 * Run before protobuf-c's unpack (which need not see broken bytes), and
 * after it refused bytes: if it finds none it says so; protobuf-c stays the
 * judge. Returns -EBADMSG when it found a fault, 0 when not. */
int wire_diagnose(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
		  char *out, size_t size);

/* On @data, before protobuf-c unpacks it: what its unpack would let pass,
 * or would spend memory on, at any depth, the first in the order of the
 * bytes. It walks the framing as wire_diagnose() does and fails at every
 * fault that finds (-EBADMSG, in its own words), so bytes it passes are
 * well framed: raksha_envelope_decode() runs it alone on the usual
 * envelope, and wire_diagnose() first only for bytes it refused. Returns 0, or a negative
 * errno with @p (if not NULL) saying where:
 *   -EILSEQ  a string holds a NUL byte (RAKSHA_CAUSE_UTF8):
 *            "byte 412: report.companions.name: NUL byte (U+0000) inside a string"
 *   -EINVAL  (RAKSHA_CAUSE_INVALID) a field that is not repeated appears
 *            twice in one message, or two members of one oneof do:
 *            "report.priority: appears twice (again at byte 57)",
 *            "report and sighting: two members of one oneof (the second at byte 80)";
 *            a repeated field has more entries than REPEATED_MAX:
 *            "report.child.languages: 70000 entries, more than 64";
 *            more than WIRE_UNKNOWN_MAX fields unknown to the descriptors:
 *            "byte 2090: report: field 1000, unknown to this schema, is one
 *            more than the 1024 unknown fields an envelope may hold";
 *            or a type has more than WIRE_FIELDS_MAX fields
 *   -EBADMSG a framing fault (RAKSHA_CAUSE_UNDECODABLE)
 * Fields the descriptor does not know may come any number of times within
 * WIRE_UNKNOWN_MAX. */
int wire_check(const ProtobufCMessageDescriptor *desc, const void *data, size_t len,
	       struct raksha_problem *p);

#endif
