/* Internal: the on-disk form of one outbox entry.
 *
 *   "RKOB" 0x01 | u16 topic length | topic | u32 payload length | payload |
 *   32-byte BLAKE2b of everything before it
 *
 * (lengths big-endian). The checksum tells a torn or damaged file from a good
 * one; the rename that publishes a file makes torn files unlikely, but disks
 * on district PCs are not to be trusted. */
#ifndef RAKSHA_LIB_OUTBOX_FILE_H
#define RAKSHA_LIB_OUTBOX_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Serialises an entry into a new buffer *@out of *@len bytes (free()).
 * Returns 0, -EINVAL (topic over 65535 bytes) or -ENOMEM. */
int outbox_file_encode(const char *topic, const void *payload, size_t len,
		       uint8_t **out, size_t *out_len);

/* Parses @len bytes of a file. On success *@topic is a new NUL-terminated
 * string (free()) and *@payload points into @buf. Returns 0, or -EBADMSG
 * with a static reason in *@why, or -ENOMEM. */
int outbox_file_decode(const uint8_t *buf, size_t len, char **topic,
		       const uint8_t **payload, size_t *payload_len, const char **why);

#endif
