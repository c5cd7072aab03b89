/* A child's photo, from the JPEG or PNG bytes of a Report to pixels. */
#ifndef RAKSHA_BOARD_IMAGE_H
#define RAKSHA_BOARD_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Decoded pixels: 8-bit RGBA, rows of width * 4 bytes. */
struct image {
	uint8_t *rgba;
	int width, height;
};

/* Decodes @len bytes of JPEG or PNG (told apart by their signature). A JPEG
 * is scaled down while decoding, to no less than @min_side pixels a side:
 * the terminal shows a few dozen cells, and a phone's photo has millions of
 * pixels. On failure @why (@whylen bytes) says what is wrong.
 * Returns 0, or:
 *   -EINVAL   neither JPEG nor PNG
 *   -EBADMSG  damaged, truncated, or a kind the decoder does not handle
 *   -EFBIG    more pixels than a photo has (a decompression bomb)
 *   -ENOMEM   out of memory */
int board_image_decode(const uint8_t *data, size_t len, int min_side, struct image *out, char *why,
		       size_t whylen);

void board_image_free(struct image *img);

#endif
