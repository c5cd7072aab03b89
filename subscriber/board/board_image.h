/* A child's photo, from the JPEG or PNG bytes of a Report to pixels. */
#ifndef RAKSHA_BOARD_IMAGE_H
#define RAKSHA_BOARD_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest photo the board decodes, by what its header claims: any unit
 * may send a photo, and a few hundred compressed bytes may claim 50,000 x
 * 50,000 pixels. A phone's photo is about 4000 x 3000 (12 M pixels), and
 * at most 1600 px (raksha-publish sends at most 1024); the board draws at most 30 x 14
 * cells of it. 8192 a side and 16 M pixels in all take those with room to
 * spare, and cost at most 64 MiB of RGBA (a PNG; a JPEG is scaled down
 * while it is decoded). */
#define BOARD_IMAGE_MAX_SIDE 8192u
#define BOARD_IMAGE_MAX_PIXELS (16u << 20)

/* libjpeg's memory for the board (max_memory_to_use): a progressive JPEG
 * keeps every coefficient until its last scan, 2 bytes a sample at full
 * resolution, 48 MiB for 16 M pixels as phones encode them (4:2:0). */
#define BOARD_IMAGE_JPEG_MEMORY (64L << 20)

/* What a decoder takes, by what the header claims, and how far a JPEG is
 * scaled down while it is decoded. Each user has its own: the board draws
 * a few dozen cells, raksha_photo_normalise() takes a 50 M pixel camera's
 * photo. */
struct board_image_limits {
	unsigned jpeg_side, jpeg_pixels;  /* a JPEG's frame header */
	unsigned png_side, png_pixels;    /* a PNG's IHDR: decoded whole, 4 bytes a pixel */
	long jpeg_memory;                 /* libjpeg's max_memory_to_use, bytes */
	int min_side;                     /* a JPEG is scaled down to no less than this */
	bool min_longer;                  /* ...on its longer side (else its shorter) */
};

/* Decoded pixels: 8-bit RGBA, rows of width * 4 bytes. */
struct image {
	uint8_t *rgba;
	int width, height;
};

/* Decodes @len bytes of JPEG or PNG (told apart by their signature). A JPEG
 * is scaled down while decoding, to no less than @min_side pixels a side:
 * the terminal shows a few dozen cells, and a phone's photo has millions of
 * pixels. On failure @why (@whylen bytes) says what is wrong; for -EFBIG it
 * names the sides the header claims.
 * Returns 0, or:
 *   -EINVAL   neither JPEG nor PNG
 *   -EBADMSG  damaged, truncated, or a kind the decoder does not handle
 *   -EFBIG    larger than a photo may be (a decompression bomb): its header
 *             claims more than BOARD_IMAGE_MAX_SIDE a side or
 *             BOARD_IMAGE_MAX_PIXELS in all, or a JPEG needs more than
 *             64 MiB to decode or has more than 100 scans; refused before
 *             the decoder allocates for it
 *   -ENOMEM   out of memory */
int board_image_decode(const uint8_t *data, size_t len, int min_side, struct image *out, char *why,
		       size_t whylen);

/* board_image_decode() within @limits instead of the board's: -EFBIG for
 * a header claiming more than @limits allow, or a JPEG needing more than
 * @limits->jpeg_memory. */
int board_image_decode_within(const uint8_t *data, size_t len, const struct board_image_limits *limits,
			      struct image *out, char *why, size_t whylen);

void board_image_free(struct image *img);

/* @img scaled to fit @side x @side, its shape kept (a smaller image keeps
 * its size), each pixel the average of its box, transparency flattened on
 * white: @out_w x @out_h pixels of RGB, malloc'd. NULL if out of memory. */
uint8_t *board_image_scale(const struct image *img, int side, int *out_w, int *out_h);

/* Encodes @rgb (@w x @h, 3 bytes a pixel, rows of @w * 3) as a baseline
 * JPEG of @quality (1-100) with no marker but libjpeg's JFIF header: no
 * EXIF, no ICC profile, no comment. @out (@out_len bytes) is malloc'd.
 * Returns 0, or -ENOMEM. */
int board_image_encode(const uint8_t *rgb, int w, int h, int quality, uint8_t **out, size_t *out_len);

#endif
