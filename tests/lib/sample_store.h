/* Test fixture: a sample stored as the agent's committer stores it. */
#ifndef RAKSHA_TESTS_SAMPLE_STORE_H
#define RAKSHA_TESTS_SAMPLE_STORE_H

#include <stdint.h>

#include "agent/store.h"
#include "tests/lib/sample.h"

/* Encodes @sm as a new publication sent at @at_ms (checked with that
 * clock) and stores it through store_envelope() as arriving then.
 * Returns store_envelope()'s 1 or 0, its negative errno, or -100 if it
 * could not be encoded. */
int sample_store(struct store *s, struct sample *sm, int64_t at_ms);

#endif
