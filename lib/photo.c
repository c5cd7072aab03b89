/* Photos made fit to send (raksha/photo.h): decoded and scaled by the
 * board's photo library (subscriber/board/board_image*.c, compiled into
 * libraksha too, hidden by the version script), turned upright here. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_image.h"
#include "lib/photo_exif.h"
#include "raksha/photo.h"

/* What a photo may be (raksha/photo.h): a JPEG is scaled down while it is
 * decoded to the smallest n/8 whose longer side is still RAKSHA_PHOTO_SIDE. */
static const struct board_image_limits photo_limits = {
	RAKSHA_PHOTO_JPEG_MAX_SIDE, RAKSHA_PHOTO_JPEG_MAX_PIXELS, RAKSHA_PHOTO_PNG_MAX_SIDE,
	RAKSHA_PHOTO_PNG_MAX_PIXELS, RAKSHA_PHOTO_JPEG_MEMORY, RAKSHA_PHOTO_SIDE, true,
};

/* The pixel of @rgb (@w x @h) that lands at (@x, @y) of the upright image
 * for EXIF @orientation: 5-8 swap the axes (transpose), then 2, 3, 7, 8
 * mirror the columns and 3, 4, 6, 7 the rows. */
static const uint8_t *source_pixel(const uint8_t *rgb, int w, int h, int orientation, int x, int y)
{
	bool swap = orientation >= 5;
	bool flip_x = orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
	bool flip_y = orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
	int u = swap ? y : x;
	int v = swap ? x : y;
	if (flip_x)
		u = w - 1 - u;
	if (flip_y)
		v = h - 1 - v;
	return rgb + ((size_t)v * (size_t)w + (size_t)u) * 3;
}

/* @rgb (@w x @h) turned upright: a new buffer, its sides in *@uw, *@uh. */
static uint8_t *upright(const uint8_t *rgb, int w, int h, int orientation, int *uw, int *uh)
{
	*uw = orientation >= 5 ? h : w;
	*uh = orientation >= 5 ? w : h;
	uint8_t *out = malloc((size_t)w * (size_t)h * 3);
	if (out == NULL)
		return NULL;
	uint8_t *p = out;
	for (int y = 0; y < *uh; y++)
		for (int x = 0; x < *uw; x++, p += 3)
			memcpy(p, source_pixel(rgb, w, h, orientation, x, y), 3);
	return out;
}

/* Encodes @rgb at falling qualities until it fits: the budget while the
 * quality keeps a face's features, the envelope's bound below that. */
static int encode_fitting(const uint8_t *rgb, struct raksha_photo *out, char *why, size_t whylen)
{
	for (int q = RAKSHA_PHOTO_QUALITY; q >= RAKSHA_PHOTO_QUALITY_MIN; q -= 10) {
		free(out->data);
		out->data = NULL;
		if (board_image_encode(rgb, out->width, out->height, q, &out->data, &out->len) < 0) {
			snprintf(why, whylen, "out of memory encoding it");
			return -ENOMEM;
		}
		out->quality = q;
		if (out->len <= RAKSHA_PHOTO_BUDGET)
			return 0;
		if (q <= RAKSHA_PHOTO_BUDGET_QUALITY && out->len <= RAKSHA_PHOTO_MAX_BYTES)
			return 0;
	}
	snprintf(why, whylen, "%d x %d pixels are %zu bytes at JPEG quality %d, more than %u KiB",
		 out->width, out->height, out->len, out->quality, RAKSHA_PHOTO_MAX_BYTES / 1024);
	return -E2BIG;
}

static int check_input(size_t len, char *why, size_t whylen)
{
	if (len == 0) {
		snprintf(why, whylen, "empty: no bytes of a JPEG or PNG");
		return -EINVAL;
	}
	if (len > RAKSHA_PHOTO_MAX_INPUT) {
		snprintf(why, whylen, "%zu bytes, more than %u MiB", len, RAKSHA_PHOTO_MAX_INPUT >> 20);
		return -EMSGSIZE;
	}
	return 0;
}

/* Decodes, scales and turns upright: @out's sides and *@rgb set. */
static int pixels(const uint8_t *data, size_t len, struct raksha_photo *out, uint8_t **rgb, char *why,
		  size_t whylen)
{
	struct image img;
	int w, h;
	int r = board_image_decode_within(data, len, &photo_limits, &img, why, whylen);
	if (r < 0)
		return r;
	uint8_t *scaled = board_image_scale(&img, RAKSHA_PHOTO_SIDE, &w, &h);
	board_image_free(&img);
	*rgb = scaled ? upright(scaled, w, h, out->orientation, &out->width, &out->height) : NULL;
	free(scaled);
	if (*rgb != NULL)
		return 0;
	snprintf(why, whylen, "out of memory");
	return -ENOMEM;
}

static int normalise(const uint8_t *data, size_t len, struct raksha_photo *out, char *why, size_t whylen)
{
	int r = check_input(len, why, whylen);
	if (r < 0)
		return r;
	out->orientation = 1;
	bool jpeg = len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
	if (jpeg) {
		r = photo_exif_orientation(data, len, &out->orientation, why, whylen);
		if (r < 0)
			return r;
	}
	uint8_t *rgb = NULL;
	r = pixels(data, len, out, &rgb, why, whylen);
	if (r < 0)
		return r;
	r = encode_fitting(rgb, out, why, whylen);
	free(rgb);
	return r;
}

int raksha_photo_normalise(const uint8_t *data, size_t len, struct raksha_photo *out, char *why,
			   size_t whylen)
{
	*out = (struct raksha_photo){0};
	int r = normalise(data, len, out, why, whylen);
	if (r < 0)
		raksha_photo_free(out);
	return r;
}

void raksha_photo_free(struct raksha_photo *photo)
{
	free(photo->data);
	*photo = (struct raksha_photo){0};
}
