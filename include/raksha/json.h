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

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include <raksha/problem.h>

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
 *   -ERANGE  an enum field holds a number its enum does not name (never for
 *            a checked envelope)
 *   -ENOMEM  out of memory */
int raksha_message_to_json(const ProtobufCMessage *msg, unsigned flags, char **out);

/* Parses @len bytes of JSON text at @json (one object) into a new message of
 * type @desc, for protobuf_c_message_free_unpacked(*out, NULL). The inverse of
 * raksha_message_to_json() without RAKSHA_JSON_PHOTO_SIZES: rendering, parsing
 * and packing gives the bytes packing the original gives (doubles to the
 * renderer's 15 significant digits). Keys are the schema's field names;
 * null or a missing key leaves a field unset. Integers are JSON integers within their type's range, floats any JSON number, bools
 * true or false, strings JSON strings, messages objects, repeated fields
 * arrays. Enums are their value names or numbers, and only those the schema
 * names (a number it does not name is refused). bytes named "id" or "*_id" are UUID text (or, for ids that are not
 * 16 bytes long, base64 as the renderer writes them); other bytes base64 (RFC
 * 4648, padded). A member of a oneof chooses it; two members of one oneof are
 * an error. On failure *@out is NULL.
 * Returns 0, or:
 *   -EINVAL  @desc, @json or @out is NULL; or @json is not JSON text of one
 *            object (duplicate keys included); or a field is unknown, of the
 *            wrong type or out of its type's range, an enum's name or number
 *            is not one of its values, or two members of a oneof
 *            are set. @problem (if not NULL) gets cause RAKSHA_CAUSE_INVALID and
 *            the JSON path and reason, e.g. "child.age_years: \"nine\" is not a
 *            number", "child.photos[1].data: \"#\" is not base64", or the line
 *            and column of a syntax error
 *   -ENOMEM  out of memory (cause RAKSHA_CAUSE_NO_MEMORY) */
int raksha_message_from_json(const ProtobufCMessageDescriptor *desc, const char *json,
			     size_t len, ProtobufCMessage **out, struct raksha_problem *problem);

#ifdef __cplusplus
}
#endif

#endif
