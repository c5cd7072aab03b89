/* Internal: an arena of one envelope, for the client's receive thread, and
 * what tests may read of a raksha_envelope_arena. */
#ifndef RAKSHA_LIB_ENVELOPE_ARENA_H
#define RAKSHA_LIB_ENVELOPE_ARENA_H

#include <stddef.h>

#include <raksha/envelope.h>

/* The bytes @ea holds from malloc now (lib/arena.h arena_held()). */
size_t envelope_arena_held(const struct raksha_envelope_arena *ea);

/* The blocks @ea holds (lib/arena.h arena_blocks()): 1, one malloc. */
size_t envelope_arena_blocks(const struct raksha_envelope_arena *ea);

/* raksha_envelope_decode(), the same checks, errors and problems, into an
 * arena of its own made for @len bytes: one block (two mallocs, not one a
 * field: 54 for a report, each freed again by the thread that stores it,
 * through the same malloc lock) for the usual envelope, its photo's copy
 * included. On success *@arena holds *@out, until
 * raksha_envelope_arena_free(*@arena). Bytes over the size limit are refused
 * before an arena is made; without the memory for one, the envelope is
 * decoded as raksha_envelope_decode() does and *@arena is NULL (*@out then
 * for raksha_envelope_free()). On failure *@arena is NULL. */
int envelope_decode_own(const void *data, size_t len, const char *topic,
			const struct raksha_check_options *opts, struct raksha_envelope_arena **arena,
			raksha_envelope **out, struct raksha_problem *problem);

#endif
