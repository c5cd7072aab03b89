/* One record of the ingest journal (journal.h): encoding, parsing, and
 * storing it in the agent's database. */
#ifndef RAKSHA_AGENT_JOURNAL_RECORD_H
#define RAKSHA_AGENT_JOURNAL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/raksha.h>

#include "agent/store.h"

/* The longest topic MQTT carries (a UTF-8 string of at most 65,535 bytes):
 * the journal writes and reads every topic a broker can deliver, so that
 * nothing acknowledged is a record its own reader refuses. */
#define JOURNAL_TOPIC_MAX 65535

/* A record as read back. The frame (length and hash) tells whether the
 * bytes are what was written; the fields inside it are checked apart: a
 * frame whose fields do not add up (@unreadable set) is still a record,
 * stored as a rejected message, never taken for the end of the journal. */
struct journal_record {
	uint64_t generation;
	int64_t received_ms;
	char topic[JOURNAL_TOPIC_MAX + 1];
	struct raksha_problem problem;  /* cause NONE: a valid envelope */
	const uint8_t *payload;         /* points into the parsed buffer */
	size_t len;
	char unreadable[120];           /* why the fields do not add up; "" if they do */
};

#define JOURNAL_RECORD_HEAD 12  /* a record's length and hash */

/* The size of the record of a message, or 0 if a topic or reason is too
 * long for the format (no MQTT message is: its topic is at most 65,535
 * bytes, a reason at most RAKSHA_PROBLEM_TEXT_MAX). */
size_t journal_record_size(const char *topic, size_t len, const struct raksha_problem *why);

/* Writes that record, of @generation, to @b (journal_record_size() bytes). */
void journal_record_write(uint8_t *b, uint64_t generation, const char *topic, const void *payload,
			  size_t len, const struct raksha_problem *why, int64_t received_ms);

/* The size of the whole record whose first JOURNAL_RECORD_HEAD bytes are @head, as
 * they claim it (0 if they cannot be a head): how much to read for
 * journal_record_parse(). */
size_t journal_record_head_size(const uint8_t head[JOURNAL_RECORD_HEAD]);

/* Parses the record at @buf (@avail bytes there). Returns its size, or 0 if
 * there is no whole, intact frame (a torn tail). A frame whose fields do
 * not add up returns its size too, with @r->unreadable saying why, its
 * generation, and the whole body as the payload. */
size_t journal_record_parse(const uint8_t *buf, size_t avail, struct journal_record *r);

/* journal_record_parse() without the hash, for a record known intact: made
 * in memory by journal_record_write(), or parsed already when it was read
 * back. The committer reads each record it stores: its SipHash again was
 * 3,500 instructions a message, the receive thread's own cost again. */
size_t journal_record_read(const uint8_t *buf, size_t avail, struct journal_record *r);

/* Stores @r inside the caller's transaction: a valid envelope, or a
 * rejection (an unreadable record is one, cause undecodable). *@env is @r's
 * envelope as decoded and checked before the record was acknowledged (by
 * the receive thread, or here on an earlier try): stored as it is. If NULL
 * (a record read back from the file after a crash, the agent's own
 * presence), the payload is decoded and checked here, and a valid envelope
 * is left in *@env, for the caller to free. *@fresh: it was new.
 * Returns 0, -ENOSPC or -EIO. */
int journal_record_store(struct store *s, const struct journal_record *r, raksha_envelope **env, bool *fresh);

#endif
