/* Internal: the compact JSON of a message written directly, without a
 * jansson tree: the bytes json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(15)) writes for the tree lib/json.c builds, at a
 * fraction of the cost (docs/benchmarks.md, bench/replay-json.sh).
 * tests/unit/test-json-compact.c compares the two over every kind of
 * message and hostile strings. */
#ifndef RAKSHA_LIB_JSON_COMPACT_H
#define RAKSHA_LIB_JSON_COMPACT_H

#include <protobuf-c/protobuf-c.h>

/* As raksha_message_to_json(@msg, @flags without RAKSHA_JSON_PRETTY, @out):
 * the same text and the same errors. */
int json_compact(const ProtobufCMessage *msg, unsigned flags, char **out);

#endif
