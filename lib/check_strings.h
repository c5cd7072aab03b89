/* Internal: the schema-wide rules every string, list and enum obeys. */
#ifndef RAKSHA_LIB_CHECK_STRINGS_H
#define RAKSHA_LIB_CHECK_STRINGS_H

#include <protobuf-c/protobuf-c.h>
#include <raksha/problem.h>

/* Longest accepted string field, in bytes. Free-text notes fit; a novel does not. */
#define STRING_MAX (16u * 1024u)
/* Most elements in any repeated field. */
#define REPEATED_MAX 64u

/* Walks every field of @msg and its sub-messages, through the descriptors
 * (so new schema fields are covered without code), and checks that each
 * string is clean UTF-8 (utf8.h) of at most STRING_MAX bytes, each list
 * has at most REPEATED_MAX elements and each enum holds a value its enum
 * names (0, UNSPECIFIED, included). The problem names the field path, as in
 * "report.child.other_names[1]: invalid UTF-8 at byte 3 (0xc3)" or
 * "report.priority: -1 is not a value of raksha.v1.Priority".
 * Returns 0, or -EILSEQ (RAKSHA_CAUSE_UTF8) or -EINVAL (RAKSHA_CAUSE_INVALID). */
int check_strings(const ProtobufCMessage *msg, struct raksha_problem *p);

#endif
