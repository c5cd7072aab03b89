/* Encoding and checked decoding of raksha.v1.Envelope, the bus's only payload.
 *
 * The message types are protobuf-c's, generated from schemas/raksha/v1/raksha.proto
 * and installed as <raksha/v1/raksha.pb-c.h>: read a decoded envelope's fields
 * directly (env->report->child->name). Everything here validates: a decoded
 * envelope has passed every rule of docs/schema.md, so callers need not check
 * sizes, UTF-8, id lengths or ranges again. */
#ifndef RAKSHA_ENVELOPE_H
#define RAKSHA_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include <raksha/problem.h>
#include <raksha/topic.h>
#include <raksha/v1/raksha.pb-c.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef Raksha__V1__Envelope raksha_envelope;

/* The default size limit of one envelope, photos included. */
#define RAKSHA_ENVELOPE_SIZE_DEFAULT (2u * 1024u * 1024u)

/* How strictly to check. Zero-initialise, then set what differs; a NULL
 * pointer where a function takes one means all defaults. */
struct raksha_check_options {
	/* Largest accepted encoding in bytes; 0 means RAKSHA_ENVELOPE_SIZE_DEFAULT. */
	size_t max_size;
	/* "Now" in Unix ms, to judge times in the future; 0 means the real clock.
	 * sent_at_ms may be at most one day ahead of it (district PC clocks drift). */
	int64_t now_ms;
};

/* The kind of @env's body, RAKSHA_KIND_NONE if it has none. */
enum raksha_kind raksha_envelope_kind(const raksha_envelope *env);

/* The case @env is about: the report_id of its report, sighting, update, ack,
 * escalation or link (the report a found child is linked to), or NULL (an
 * agent status, or a sighting of a found child nobody has reported).
 * Points into @env. */
const ProtobufCBinaryData *raksha_envelope_report_id(const raksha_envelope *env);

/* Decodes @len bytes at @data, received on @topic (NULL: not received on a
 * topic, e.g. read from a file; the topic rules are then skipped), and checks
 * it. On success *@out is a new envelope for raksha_envelope_free().
 * Returns 0, or a negative errno with @problem (if not NULL) saying why:
 *   -EMSGSIZE  larger than the size limit             (RAKSHA_CAUSE_OVERSIZE)
 *   -EBADMSG   not a protobuf Envelope                 (RAKSHA_CAUSE_UNDECODABLE)
 *   -EILSEQ    a string is not clean UTF-8, or holds a
 *              control character or a NUL byte         (RAKSHA_CAUSE_UTF8)
 *   -EINVAL    a field breaks a rule, or one that is not
 *              repeated comes twice in a message, or two
 *              members of one oneof do (decoders would
 *              read such bytes differently), or it holds
 *              more than 1024 fields the schema does not
 *              know (counted, as the entries of lists,
 *              before anything is unpacked)             (RAKSHA_CAUSE_INVALID),
 *              or @topic is not a Raksha topic          (RAKSHA_CAUSE_BAD_TOPIC)
 *   -EPROTO    body kind or origin differs from @topic (RAKSHA_CAUSE_KIND_MISMATCH,
 *                                                       RAKSHA_CAUSE_ORIGIN_MISMATCH)
 *   -ERANGE    sent more than a day after "now", and right
 *              in every other way (checked last)        (RAKSHA_CAUSE_CLOCK)
 * protobuf-c cannot tell running out of memory from a bad buffer; both come
 * back as -EBADMSG, the text saying when no framing fault was found. */
int raksha_envelope_decode(const void *data, size_t len, const char *topic,
			   const struct raksha_check_options *opts,
			   raksha_envelope **out, struct raksha_problem *problem);

/* Frees an envelope from raksha_envelope_decode(). NULL is a no-op. Not for
 * envelopes the caller built itself. */
void raksha_envelope_free(raksha_envelope *env);

/* Memory for decoding one envelope after another (a replay's rows, a
 * receive thread's messages) without protobuf-c's malloc and free of each
 * of their strings, lists and sub-messages: they are taken in order from
 * one block, forgotten all at once at the next decode. One thread at a
 * time. */
struct raksha_envelope_arena;

/* A new arena. Returns it, or NULL with errno ENOMEM. */
struct raksha_envelope_arena *raksha_envelope_arena_new(void);

/* Frees @arena, and the envelope decoded into it last. NULL is a no-op. */
void raksha_envelope_arena_free(struct raksha_envelope_arena *arena);

/* raksha_envelope_decode() into @arena: the same bytes read, every same
 * check in the same order, the same returns and problems (-EBADMSG also
 * when the arena cannot grow). The envelope decoded into @arena before is
 * gone first (and what it took beyond the arena's first block, 16 KiB, is
 * freed), so the memory held does not grow with the rows. On success
 * *@out lives until the next decode into @arena or its free: never pass it
 * to raksha_envelope_free(). */
int raksha_envelope_decode_in(struct raksha_envelope_arena *arena, const void *data, size_t len,
			      const char *topic, const struct raksha_check_options *opts,
			      raksha_envelope **out, struct raksha_problem *problem);

/* Checks @env (built by the caller, or decoded) against every rule, and
 * against @topic unless it is NULL. Returns 0, or the errors of
 * raksha_envelope_decode() but -EMSGSIZE and -EBADMSG. A NUL byte inside a
 * string, or a field given twice, cannot be seen here (C strings end at the
 * NUL, protobuf-c's unpack kept one copy): only decode finds them. */
int raksha_envelope_check(const raksha_envelope *env, const char *topic,
			  const struct raksha_check_options *opts,
			  struct raksha_problem *problem);

/* Checks @env as raksha_envelope_check() does, then encodes it into a new
 * buffer *@out of *@len bytes, for free(). Nothing invalid is ever encoded,
 * and what is encoded decodes: protobuf-c's pack writes each field once and
 * only the member of a oneof that is set, and the bytes written are read
 * back as decode reads them (for the unknown fields @env holds).
 * Returns 0, or the errors of raksha_envelope_check(), or:
 *   -EMSGSIZE  the encoding is larger than the size limit
 *   -EINVAL    @env holds more than 1024 unknown fields (RAKSHA_CAUSE_INVALID)
 *   -ENOMEM    out of memory */
int raksha_envelope_encode(const raksha_envelope *env, const char *topic,
			   const struct raksha_check_options *opts,
			   uint8_t **out, size_t *len, struct raksha_problem *problem);

/* Sets @env's message_id to a new UUIDv7 and sent_at_ms to now: what every new
 * publication needs (retries keep both). @env->message_id.data must point to
 * writable storage of RAKSHA_UUID_LEN bytes, or be NULL, in which case it is
 * pointed at @id_storage.
 * Returns 0, or -EIO (see raksha_uuid7()). */
int raksha_envelope_stamp(raksha_envelope *env, uint8_t id_storage[16]);

#ifdef __cplusplus
}
#endif

#endif
