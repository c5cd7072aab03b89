/* Internal: the semantic rules of each message of the schema (docs/schema.md). */
#ifndef RAKSHA_LIB_CHECK_BODY_H
#define RAKSHA_LIB_CHECK_BODY_H

#include <stdint.h>

#include <raksha/envelope.h>

/* Checks @env's own fields and its body's by the rules of docs/schema.md.
 * Does not look at strings' encoding (check_strings), at a topic, or at a
 * clock. Returns 0, or -EINVAL with RAKSHA_CAUSE_INVALID. */
int check_body(const raksha_envelope *env, struct raksha_problem *p);

/* Checks that @env was sent at most a day after @now_ms (district PCs'
 * clocks drift). Returns 0, or -ERANGE with RAKSHA_CAUSE_CLOCK. */
int check_clock(const raksha_envelope *env, int64_t now_ms, struct raksha_problem *p);

#endif
