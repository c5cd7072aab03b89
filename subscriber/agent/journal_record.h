/* One record of the ingest journal (journal.h): encoding, parsing, and
 * storing it in the agent's database. */
#ifndef RAKSHA_AGENT_JOURNAL_RECORD_H
#define RAKSHA_AGENT_JOURNAL_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/store.h"

struct journal_record {
	uint64_t generation;
	int64_t received_ms;
	char topic[RAKSHA_TOPIC_MAX + 1];
	struct raksha_problem problem;  /* cause NONE: a valid envelope */
	const uint8_t *payload;         /* points into the parsed buffer */
	size_t len;
};

#define JOURNAL_RECORD_HEAD 12  /* a record's length and hash */

/* The size of the record of a message, or 0 if a topic or reason is too
 * long for the format. */
size_t journal_record_size(const char *topic, size_t len, const struct raksha_problem *why);

/* Writes that record, of @generation, to @b (journal_record_size() bytes). */
void journal_record_write(uint8_t *b, uint64_t generation, const char *topic, const void *payload,
		  size_t len, const struct raksha_problem *why, int64_t received_ms);

/* The size of the whole record whose first JOURNAL_RECORD_HEAD bytes are @head, as
 * they claim it (0 if they cannot be a head): how much to read for
 * journal_record_parse(). */
size_t journal_record_head_size(const uint8_t head[JOURNAL_RECORD_HEAD]);

/* Parses the record at @buf (@avail bytes there). Returns its size, or 0 if
 * there is no whole, intact record (a torn tail). */
size_t journal_record_parse(const uint8_t *buf, size_t avail, struct journal_record *r);

/* Stores @r inside the caller's transaction: a valid envelope (decoded
 * again), or a rejection. *@fresh is the decoded envelope if it was new, for
 * the caller to free. Returns 0, -ENOSPC or -EIO. */
int journal_record_store(struct store *s, const struct journal_record *r, raksha_envelope **fresh);

#endif
