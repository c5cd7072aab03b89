/* Photos made thumbnails (desk_thumb.h): decoded, scaled and encoded by
 * the board's photo library (board_image_scale(), board_image_encode()). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_image.h"
#include "desk/desk_thumb.h"

#define THUMB_QUALITY 75
#define PLACEHOLDER_GREY 200

int desk_thumb_make(const uint8_t *data, size_t len, int side, uint8_t **out, size_t *out_len, char *why,
		    size_t whylen)
{
	struct image img;
	int tw, th;
	int r = board_image_decode(data, len, side, &img, why, whylen);
	if (r < 0)
		return r;
	uint8_t *rgb = board_image_scale(&img, side, &tw, &th);
	board_image_free(&img);
	if (rgb == NULL) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	r = board_image_encode(rgb, tw, th, THUMB_QUALITY, out, out_len);
	free(rgb);
	if (r < 0)
		snprintf(why, whylen, "out of memory encoding it");
	return r;
}

int desk_thumb_placeholder(int side, uint8_t **out, size_t *out_len)
{
	size_t n = (size_t)side * (size_t)side * 3;
	uint8_t *rgb = malloc(n);
	if (rgb == NULL)
		return -ENOMEM;
	memset(rgb, PLACEHOLDER_GREY, n);
	int r = board_image_encode(rgb, side, side, THUMB_QUALITY, out, out_len);
	free(rgb);
	return r;
}
