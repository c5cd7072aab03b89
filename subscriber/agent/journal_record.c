/* One journal record: its bytes on disk, and storing it in the database.
 *
 *   u32 length of what follows the 12-byte head
 *   u64 SipHash-2-4 of what follows (a torn or damaged tail is not a record)
 *   u64 generation, i64 received_ms, u16 topic length, u8 cause (0: valid),
 *   u8 0, u16 reason length, u16 0, topic, reason, payload
 *
 * The generation tells this pass over the file from the records of earlier
 * ones that it overwrites (journal.c). In the machine's byte order: a
 * journal never leaves its machine. The hash key names the format, so that
 * a record of another format is never taken for one of this. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent/journal_record.h"
#include "common/minmax.h"

#define HEAD JOURNAL_RECORD_HEAD
#define FIXED 24  /* generation .. padding */

static const uint8_t hash_key[crypto_shorthash_KEYBYTES] = "raksha journal2";

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h;
	crypto_shorthash((uint8_t *)&h, p, n, hash_key);
	return h;
}

size_t journal_record_size(const char *topic, size_t len, const struct raksha_problem *why)
{
	size_t tl = strlen(topic), rl = why ? strlen(why->text) : 0;
	if (tl > JOURNAL_TOPIC_MAX || rl > UINT16_MAX || len > UINT32_MAX - FIXED - tl - rl)
		return 0;
	return HEAD + FIXED + tl + rl + len;
}

void journal_record_write(uint8_t *b, uint64_t generation, const char *topic, const void *payload,
			  size_t len, const struct raksha_problem *why, int64_t received_ms)
{
	size_t tl = strlen(topic), rl = why ? strlen(why->text) : 0;
	size_t body = FIXED + tl + rl + len;
	uint32_t n32 = (uint32_t)body;
	uint16_t t16 = (uint16_t)tl, r16 = (uint16_t)rl, zero = 0;
	uint8_t *p = b + HEAD;
	memcpy(p, &generation, 8);
	p += 8;
	memcpy(p, &received_ms, 8);
	memcpy(p + 8, &t16, 2);
	p[10] = why ? (uint8_t)why->cause : 0;
	p[11] = 0;
	memcpy(p + 12, &r16, 2);
	memcpy(p + 14, &zero, 2);
	p = b + HEAD + FIXED;
	memcpy(p, topic, tl);
	memcpy(p + tl, why ? why->text : "", rl);
	memcpy(p + tl + rl, payload, len);
	uint64_t h = hash(b + HEAD, body);
	memcpy(b, &n32, 4);
	memcpy(b + 4, &h, 8);
}

size_t journal_record_head_size(const uint8_t head[JOURNAL_RECORD_HEAD])
{
	uint32_t body;
	memcpy(&body, head, 4);
	return body < FIXED ? 0 : JOURNAL_RECORD_HEAD + (size_t)body;
}

/* The fields of an intact body of @body bytes at @p into @r; false (with
 * @r->unreadable) if they do not add up. */
static bool parse_fields(const uint8_t *p, uint32_t body, struct journal_record *r)
{
	uint16_t tl, rl;
	memcpy(&r->received_ms, p + 8, 8);
	memcpy(&tl, p + 16, 2);
	memcpy(&rl, p + 20, 2);
	if ((size_t)FIXED + tl + rl > body) {
		snprintf(r->unreadable, sizeof(r->unreadable), "topic (%u bytes) and reason (%u) run past "
			 "the record's %u bytes", tl, rl, body);
		return false;
	}
	memcpy(r->topic, p + FIXED, tl);
	r->topic[tl] = '\0';
	r->problem.cause = (enum raksha_cause)p[18];
	size_t keep = MIN((size_t)rl, sizeof(r->problem.text) - 1);
	memcpy(r->problem.text, p + FIXED + tl, keep);
	r->problem.text[keep] = '\0';
	r->payload = p + FIXED + tl + rl;
	r->len = body - FIXED - tl - rl;
	return true;
}

/* Whether @buf (@avail bytes) opens with a whole frame: *@body its body's length. */
static bool framed(const uint8_t *buf, size_t avail, uint32_t *body)
{
	if (avail < HEAD)
		return false;
	memcpy(body, buf, 4);
	return *body >= FIXED && *body <= avail - HEAD;
}

size_t journal_record_parse(const uint8_t *buf, size_t avail, struct journal_record *r)
{
	uint32_t body;
	uint64_t h;
	if (!framed(buf, avail, &body))
		return 0;
	memcpy(&h, buf + 4, 8);
	if (hash(buf + HEAD, body) != h)
		return 0;
	return journal_record_read(buf, avail, r);
}

size_t journal_record_read(const uint8_t *buf, size_t avail, struct journal_record *r)
{
	uint32_t body;
	if (!framed(buf, avail, &body))
		return 0;
	const uint8_t *p = buf + HEAD;
	memcpy(&r->generation, p, 8);
	r->unreadable[0] = '\0';
	if (!parse_fields(p, body, r)) {
		r->topic[0] = '\0';
		r->problem = (struct raksha_problem){0};
		r->payload = p;
		r->len = body;
	}
	return HEAD + body;
}

/* Refused: kept, or counted if over its bounds; either way done with. */
static int reject(struct store *s, const struct journal_record *r, const struct raksha_problem *why)
{
	int n = store_rejected(s, r->topic, r->payload, r->len, why, r->received_ms);
	return n < 0 ? n : 0;
}

/* Checked as of its arrival: a clock stepped back since must not refuse
 * it. Returns 0, or 1 if refused (@why says why). */
static int decode_record(const struct journal_record *r, raksha_envelope **env, struct raksha_problem *why)
{
	struct raksha_check_options opts = {.now_ms = r->received_ms};
	return raksha_envelope_decode(r->payload, r->len, r->topic, &opts, env, why) < 0 ? 1 : 0;
}

int journal_record_store(struct store *s, const struct journal_record *r, raksha_envelope **env, bool *fresh)
{
	*fresh = false;
	if (r->unreadable[0] != '\0') {
		struct raksha_problem why = {.cause = RAKSHA_CAUSE_UNDECODABLE};
		snprintf(why.text, sizeof(why.text), "journal record unreadable: %s", r->unreadable);
		return reject(s, r, &why);
	}
	if (r->problem.cause != RAKSHA_CAUSE_NONE)
		return reject(s, r, &r->problem);
	/* Decoded and checked (its signature too) on the receive thread before
	 * it was acknowledged, the same checks: not again. Only the bytes were
	 * kept of a record read back after a crash: they are checked again. */
	struct raksha_problem p = {0};
	if (*env == NULL && decode_record(r, env, &p) != 0)
		return reject(s, r, &p);
	int n = store_envelope_in(s, r->topic, *env, r->payload, r->len, r->received_ms);
	*fresh = n == 1;
	return n < 0 ? n : 0;
}
