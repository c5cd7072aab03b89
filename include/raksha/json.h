/* JSON rendering of any protobuf-c message of the schema, envelopes included.
 *
 * Driven by protobuf-c's descriptors, so fields added to the schema appear
 * without code changes. Field names are the schema's (snake_case). Fields at
 * their default value are left out, except members of a oneof, which appear
 * when set (age_years 0 is an age). bytes fields whose name ends in "_id" and
 * hold 16 bytes are UUID text; other bytes are base64 (RFC 4648, padded);
 * enums are their value names; 64-bit integers are JSON numbers. */
#ifndef RAKSHA_JSON_H
#define RAKSHA_JSON_H

#include <protobuf-c/protobuf-c.h>

#ifdef __cplusplus
extern "C" {
#endif

enum raksha_json_flags {
	RAKSHA_JSON_COMPACT = 0,
	RAKSHA_JSON_PRETTY = 1 << 0,       /* indent by two spaces */
	RAKSHA_JSON_PHOTO_SIZES = 1 << 1,  /* photo data as {"bytes": N}, not base64: for logs and screens */
};

/* Renders @msg as one JSON object into a new NUL-terminated string *@out, for
 * free(). COMPACT output holds no newline: one message per line.
 * Returns 0, or:
 *   -EINVAL  @msg or @out is NULL
 *   -EILSEQ  a string field is not valid UTF-8 (never for a checked envelope)
 *   -ENOMEM  out of memory */
int raksha_message_to_json(const ProtobufCMessage *msg, unsigned flags, char **out);

#ifdef __cplusplus
}
#endif

#endif
