/* Internal: the semantic rules of each message of the schema (docs/schema.md). */
#ifndef RAKSHA_LIB_CHECK_BODY_H
#define RAKSHA_LIB_CHECK_BODY_H

#include <stdint.h>

#include <raksha/envelope.h>

/* Checks @env's own fields and its body's by the rules of docs/schema.md,
 * with "now" = @now_ms. Does not look at strings' encoding (check_strings)
 * or at a topic. Returns 0, or -EINVAL with RAKSHA_CAUSE_INVALID. */
int check_body(const raksha_envelope *env, int64_t now_ms, struct raksha_problem *p);

#endif
