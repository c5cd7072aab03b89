/* One record of the ingest journal (journal.h): encoding, parsing, and
 * storing it in the agent's database. */
#ifndef RAKSHA_AGENT_JOURNAL_RECORD_H
#define RAKSHA_AGENT_JOURNAL_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "store.h"

struct record {
	int64_t received_ms;
	char topic[RAKSHA_TOPIC_MAX + 1];
	struct raksha_problem problem;  /* cause NONE: a valid envelope */
	const uint8_t *payload;         /* points into the parsed buffer */
	size_t len;
};

/* The record's bytes, in a new buffer of *@out_len bytes, or NULL (out of
 * memory, or a topic or reason too long for the format). */
uint8_t *record_encode(const char *topic, const void *payload, size_t len,
		       const struct raksha_problem *why, int64_t received_ms, size_t *out_len);

/* Parses the record at @buf (@avail bytes there). Returns its size, or 0 if
 * there is no whole, intact record (a torn tail). */
size_t record_parse(const uint8_t *buf, size_t avail, struct record *r);

/* Stores @r inside the caller's transaction: a valid envelope (decoded
 * again), or a rejection. *@fresh is the decoded envelope if it was new, for
 * the caller to free. Returns 0, -ENOSPC or -EIO. */
int record_store(struct store *s, const struct record *r, raksha_envelope **fresh);

#endif
