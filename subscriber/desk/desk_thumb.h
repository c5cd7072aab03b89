/* The list's thumbnails: a child's photo (JPEG or PNG, decoded by the
 * board's decoder, board/board_image.h, with its limits against
 * decompression bombs) made small, and encoded as a baseline JPEG that
 * carries nothing but pixels: no EXIF (a phone's GPS position, its
 * owner), no ICC profile, no comment. Child data leaves the desk only as
 * much as a card on a phone needs. */
#ifndef RAKSHA_DESK_THUMB_H
#define RAKSHA_DESK_THUMB_H

#include <stddef.h>
#include <stdint.h>

/* A thumbnail fits in a square of this many pixels, its shape kept. */
#define DESK_THUMB_SIDE 96

/* The thumbnail of @len bytes of JPEG or PNG, fitting @side x @side, into
 * @out (@out_len bytes, malloc'd: the caller frees it). On failure @why
 * (@whylen bytes) says what is wrong with the photo.
 * Returns 0, or board_image_decode()'s errors (-EINVAL not JPEG nor PNG,
 * -EBADMSG damaged or truncated, -EFBIG larger than the decoder takes,
 * -ENOMEM), or -ENOMEM encoding. */
int desk_thumb_make(const uint8_t *data, size_t len, int side, uint8_t **out, size_t *out_len, char *why,
		    size_t whylen);

/* A plain grey @side x @side JPEG, for a photo refused. Returns 0 or -ENOMEM. */
int desk_thumb_placeholder(int side, uint8_t **out, size_t *out_len);

#endif
