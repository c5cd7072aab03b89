/* Photos made thumbnails (desk_thumb.h): decoded, scaled by averaging
 * each thumbnail pixel's box of the photo (transparency over white), and
 * encoded with libjpeg writing no marker but its own JFIF header. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "board/board_image.h"
#include "desk/desk_thumb.h"

#define THUMB_QUALITY 75
#define PLACEHOLDER_GREY 200

struct encode_failure {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
};

/* libjpeg's default would exit the process; the desk only fails this one. */
static void encode_failed(j_common_ptr cinfo)
{
	longjmp(((struct encode_failure *)cinfo->err)->back, 1);
}

/* Encodes @rgb (@w x @h, 3 bytes a pixel). */
static int encode(const uint8_t *rgb, int w, int h, uint8_t **out, size_t *out_len)
{
	struct jpeg_compress_struct cinfo;
	struct encode_failure f;
	unsigned char *volatile buf = NULL;
	unsigned long size = 0;
	cinfo.err = jpeg_std_error(&f.mgr);
	f.mgr.error_exit = encode_failed;
	if (setjmp(f.back)) {
		jpeg_destroy_compress(&cinfo);
		free(buf);
		return -ENOMEM;
	}
	jpeg_create_compress(&cinfo);
	jpeg_mem_dest(&cinfo, (unsigned char **)&buf, &size);
	cinfo.image_width = (JDIMENSION)w;
	cinfo.image_height = (JDIMENSION)h;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, THUMB_QUALITY, TRUE);
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		JSAMPROW row = (JSAMPROW)(rgb + (size_t)cinfo.next_scanline * (size_t)w * 3);
		jpeg_write_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	*out = buf;
	*out_len = size;
	return 0;
}

/* The average of @img's box [x0, x1) x [y0, y1), over white, into @px. */
static void average(const struct image *img, int x0, int x1, int y0, int y1, uint8_t px[3])
{
	uint64_t sum[3] = {0, 0, 0}, n = 0;
	for (int y = y0; y < y1; y++) {
		const uint8_t *p = img->rgba + ((size_t)y * (size_t)img->width + (size_t)x0) * 4;
		for (int x = x0; x < x1; x++, p += 4) {
			for (int c = 0; c < 3; c++)
				sum[c] += (uint64_t)(p[c] * p[3] + 255 * (255 - p[3])) / 255;
			n++;
		}
	}
	for (int c = 0; c < 3; c++)
		px[c] = (uint8_t)(sum[c] / n);
}

/* The sides of the thumbnail of @w x @h within @side: the longer @side. */
static void fit(int w, int h, int side, int *tw, int *th)
{
	*tw = side;
	*th = side;
	if (w > h)
		*th = (int)((int64_t)h * side / w);
	if (h > w)
		*tw = (int)((int64_t)w * side / h);
	if (*tw < 1)
		*tw = 1;
	if (*th < 1)
		*th = 1;
	if (w < *tw || h < *th) {  /* a photo smaller than a thumbnail stays its size */
		*tw = w;
		*th = h;
	}
}

static uint8_t *scale(const struct image *img, int tw, int th)
{
	uint8_t *rgb = malloc((size_t)tw * (size_t)th * 3);
	if (rgb == NULL)
		return NULL;
	for (int y = 0; y < th; y++) {
		int y0 = (int)((int64_t)y * img->height / th), y1 = (int)((int64_t)(y + 1) * img->height / th);
		for (int x = 0; x < tw; x++) {
			int x0 = (int)((int64_t)x * img->width / tw), x1 = (int)((int64_t)(x + 1) * img->width / tw);
			average(img, x0, x1, y0, y1,  /* not empty: fit() keeps tw, th at most the photo's */
				rgb + ((size_t)y * (size_t)tw + (size_t)x) * 3);
		}
	}
	return rgb;
}

int desk_thumb_make(const uint8_t *data, size_t len, int side, uint8_t **out, size_t *out_len, char *why,
		    size_t whylen)
{
	struct image img;
	int tw, th;
	int r = board_image_decode(data, len, side, &img, why, whylen);
	if (r < 0)
		return r;
	fit(img.width, img.height, side, &tw, &th);
	uint8_t *rgb = scale(&img, tw, th);
	board_image_free(&img);
	if (rgb == NULL) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	r = encode(rgb, tw, th, out, out_len);
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
	int r = encode(rgb, side, side, out, out_len);
	free(rgb);
	return r;
}
