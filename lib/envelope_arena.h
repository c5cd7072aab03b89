/* Internal: what tests may read of a raksha_envelope_arena. */
#ifndef RAKSHA_LIB_ENVELOPE_ARENA_H
#define RAKSHA_LIB_ENVELOPE_ARENA_H

#include <stddef.h>

#include <raksha/envelope.h>

/* The bytes @ea holds from malloc now (lib/arena.h arena_held()). */
size_t envelope_arena_held(const struct raksha_envelope_arena *ea);

#endif
