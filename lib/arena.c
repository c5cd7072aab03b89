/* A bump arena: blocks from malloc, each handing out its bytes in order,
 * freed all at once. The arena's own record opens its first block, so an
 * arena is one malloc until it outgrows that block. */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/minmax.h"
#include "lib/arena.h"

#define ARENA_ALIGN alignof(max_align_t)
#define ROUND(n) (((n) + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN)

/* A later block: its bytes follow this record. */
struct block {
	struct block *next;
	alignas(max_align_t) char data[];
};

struct arena {
	struct block *later;  /* the blocks after the first, newest first */
	char *at;             /* the next free byte of the current block */
	char *end;            /* the end of the current block */
	size_t first;         /* the first block's bytes (after this record) */
	size_t last;          /* the current block's bytes */
	size_t held;          /* every block's malloc size together */
};

#define RECORD ROUND(sizeof(struct arena))

struct arena *arena_new(size_t first)
{
	first = ROUND(MAX(first, (size_t)ARENA_ALIGN));
	if (first > SIZE_MAX / 2 - RECORD)
		return NULL;
	struct arena *a = malloc(RECORD + first);
	if (a == NULL)
		return NULL;
	a->later = NULL;
	a->first = first;
	a->held = RECORD + first;
	arena_reset(a);
	return a;
}

void *arena_first(const struct arena *a)
{
	return (char *)a + RECORD;
}

struct arena *arena_of(void *first)
{
	return (struct arena *)(void *)((char *)first - RECORD);
}

/* A new current block for at least @n bytes: twice the last, or @n. */
static void *grow(struct arena *a, size_t n)
{
	size_t size = MAX(n, a->last * 2);
	if (size > SIZE_MAX / 2 - sizeof(struct block))
		return NULL;
	struct block *b = malloc(sizeof(struct block) + size);
	if (b == NULL)
		return NULL;
	b->next = a->later;
	a->later = b;
	a->held += sizeof(struct block) + size;
	a->last = size;
	a->at = b->data + n;
	a->end = b->data + size;
	return b->data;
}

/* arena_alloc() itself, static so that protobuf-c's allocator below has it
 * inline: in the shared library a call to the global arena_alloc() stays a
 * call (about 25 allocations an envelope). */
static inline void *bump(struct arena *a, size_t size)
{
	if (size > SIZE_MAX / 4)
		return NULL;
	size_t n = ROUND(MAX(size, (size_t)1));
	if ((size_t)(a->end - a->at) < n)
		return grow(a, n);
	void *p = a->at;
	a->at += n;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	return bump(a, size);
}

static void free_later(struct arena *a)
{
	struct block *b = a->later;
	while (b != NULL) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	a->later = NULL;
}

void arena_reset(struct arena *a)
{
	free_later(a);
	a->at = arena_first(a);
	a->end = a->at + a->first;
	a->last = a->first;
	a->held = RECORD + a->first;
}

void arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	free_later(a);
	free(a);
}

size_t arena_held(const struct arena *a)
{
	return a->held;
}

size_t arena_blocks(const struct arena *a)
{
	size_t n = 1;
	for (const struct block *b = a->later; b != NULL; b = b->next)
		n++;
	return n;
}

static void *pb_alloc(void *data, size_t size)
{
	return bump(data, size);
}

/* protobuf-c frees what it will not keep (a refused message's fields, its
 * scan's scratch): the arena keeps it until it is reset or freed. */
static void pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

ProtobufCAllocator arena_allocator(struct arena *a)
{
	return (ProtobufCAllocator){.alloc = pb_alloc, .free = pb_free, .allocator_data = a};
}
