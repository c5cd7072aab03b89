/* Internal: a bump arena for protobuf-c's unpack. protobuf-c allocates each
 * string, list and sub-message of a decoded envelope with its own malloc
 * (about 36 for a report) and frees each again: a tenth of a replay's row
 * (docs/benchmarks.md, issue 19 part 5, session 3). From an arena, they are
 * bumps of a pointer in one block, and all go with the block. */
#ifndef RAKSHA_LIB_ARENA_H
#define RAKSHA_LIB_ARENA_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

struct arena;

/* A new arena whose first block holds @first bytes (at least; more blocks,
 * each at least twice the last, when they run out), its own record
 * inside that block. Returns it, or NULL when out of memory. */
struct arena *arena_new(size_t first);

/* @size bytes aligned for any object, valid until arena_reset() or
 * arena_free(); NULL when out of memory (or @size is absurd). */
void *arena_alloc(struct arena *a, size_t size);

/* The address the first arena_alloc() of @a after arena_new() or
 * arena_reset() returns: the first block's first byte after its record. */
void *arena_first(const struct arena *a);

/* The arena whose arena_first() is @first. */
struct arena *arena_of(void *first);

/* Forgets every allocation; keeps the first block (which holds the arena's
 * record: what the next use of the same size needs, it allocates nothing)
 * and frees the others, so that what an arena holds between uses does not
 * grow with one large use. */
void arena_reset(struct arena *a);

/* Frees every block of @a, the arena itself with them. NULL is a no-op. */
void arena_free(struct arena *a);

/* The bytes @a holds from malloc, its blocks together. */
size_t arena_held(const struct arena *a);

/* How many blocks @a holds: 1 until it outgrows its first. */
size_t arena_blocks(const struct arena *a);

/* protobuf-c's allocator over @a: alloc bumps, free does nothing (the
 * arena frees it all at once). */
ProtobufCAllocator arena_allocator(struct arena *a);

#endif
