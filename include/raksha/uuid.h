/* UUIDv7 (RFC 9562): the ids of messages, reports and sightings. */
#ifndef RAKSHA_UUID_H
#define RAKSHA_UUID_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RAKSHA_UUID_LEN 16
/* Length of the text form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", no NUL. */
#define RAKSHA_UUID_TEXT_LEN 36

/* Makes a new UUIDv7 in @out: 48 bits of Unix milliseconds, then a counter
 * that keeps ids made by one process strictly increasing (as bytes) even
 * within one millisecond or when the clock steps back, then random bits.
 * Thread-safe.
 * Returns 0, or:
 *   -EIO  the kernel's random source failed (getrandom) */
int raksha_uuid7(uint8_t out[RAKSHA_UUID_LEN]);

/* Writes the canonical lowercase text form of @id and a NUL into @out. */
void raksha_uuid_format(const uint8_t id[RAKSHA_UUID_LEN],
			char out[RAKSHA_UUID_TEXT_LEN + 1]);

/* Parses the 36-character text form (either case) of a UUID into @out.
 * Returns 0, or:
 *   -EINVAL  @text is not exactly a hyphenated UUID */
int raksha_uuid_parse(const char *text, uint8_t out[RAKSHA_UUID_LEN]);

/* The Unix millisecond time stored in a UUIDv7; -1 if @id is not version 7. */
int64_t raksha_uuid7_time_ms(const uint8_t id[RAKSHA_UUID_LEN]);

#ifdef __cplusplus
}
#endif

#endif
