/* libjpeg-turbo and libpng: small, on every Debian machine, and they decode
 * from memory, which is where a Report's photo is. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "board/board_image.h"

/* A photo of a child is a few megapixels at most; anything beyond this is
 * not worth the memory of a district PC (RGBA: 4 bytes a pixel). */
#define MAX_PIXELS (40u * 1000u * 1000u)

static bool is_jpeg(const uint8_t *d, size_t n)
{
	return n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
}

static bool is_png(const uint8_t *d, size_t n)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	return n >= sizeof(sig) && memcmp(d, sig, sizeof(sig)) == 0;
}

static int decode_png(const uint8_t *data, size_t len, struct image *out, char *why, size_t whylen)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, data, len)) {
		snprintf(why, whylen, "PNG: %s", img.message);
		return -EBADMSG;
	}
	if ((uint64_t)img.width * img.height > MAX_PIXELS) {
		snprintf(why, whylen, "PNG of %ux%u pixels, too large", img.width, img.height);
		png_image_free(&img);
		return -EFBIG;
	}
	img.format = PNG_FORMAT_RGBA;
	uint8_t *pixels = malloc(PNG_IMAGE_SIZE(img));
	if (pixels == NULL) {
		png_image_free(&img);
		return -ENOMEM;
	}
	if (!png_image_finish_read(&img, NULL, pixels, 0, NULL)) {
		snprintf(why, whylen, "PNG: %s", img.message);
		free(pixels);
		return -EBADMSG;
	}
	*out = (struct image){pixels, (int)img.width, (int)img.height};
	return 0;
}

/* libjpeg reports errors by calling error_exit, which must not return. */
struct jpeg_failure {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	char text[JMSG_LENGTH_MAX];
};

static void jpeg_failed(j_common_ptr cinfo)
{
	struct jpeg_failure *f = (struct jpeg_failure *)cinfo->err;
	cinfo->err->format_message(cinfo, f->text);
	longjmp(f->jump, 1);
}

/* Warnings (a truncated scan, filled with grey) would be printed on stderr,
 * over the board: the picture shows what could be read, which is enough. */
static void jpeg_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

/* The largest reduction (n/8, libjpeg's DCT scaling) that keeps the shorter
 * side at least @min_side pixels. */
static void choose_scale(struct jpeg_decompress_struct *cinfo, int min_side)
{
	unsigned shorter = cinfo->image_width < cinfo->image_height ? cinfo->image_width
								  : cinfo->image_height;
	unsigned num = 1;
	while (num < 8 && shorter * num / 8 < (unsigned)min_side)
		num++;
	cinfo->scale_num = num;
	cinfo->scale_denom = 8;
}

static int read_jpeg(struct jpeg_decompress_struct *cinfo, int min_side, uint8_t *volatile *pixels,
		     struct image *out, char *why, size_t whylen)
{
	jpeg_read_header(cinfo, TRUE);
	cinfo->out_color_space = JCS_EXT_RGBA;
	choose_scale(cinfo, min_side);
	jpeg_start_decompress(cinfo);
	uint64_t n = (uint64_t)cinfo->output_width * cinfo->output_height;
	if (n > MAX_PIXELS) {
		snprintf(why, whylen, "JPEG of %ux%u pixels, too large", cinfo->image_width,
			 cinfo->image_height);
		return -EFBIG;
	}
	size_t stride = (size_t)cinfo->output_width * 4;
	*pixels = malloc(stride * cinfo->output_height);
	if (*pixels == NULL)
		return -ENOMEM;
	while (cinfo->output_scanline < cinfo->output_height) {
		JSAMPROW row = *pixels + stride * cinfo->output_scanline;
		jpeg_read_scanlines(cinfo, &row, 1);
	}
	jpeg_finish_decompress(cinfo);
	*out = (struct image){*pixels, (int)cinfo->output_width, (int)cinfo->output_height};
	return 0;
}

static int decode_jpeg(const uint8_t *data, size_t len, int min_side, struct image *out, char *why,
		       size_t whylen)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_failure failure;
	uint8_t *volatile pixels = NULL;
	cinfo.err = jpeg_std_error(&failure.mgr);
	failure.mgr.error_exit = jpeg_failed;
	failure.mgr.output_message = jpeg_quiet;
	if (setjmp(failure.jump)) {
		snprintf(why, whylen, "JPEG: %s", failure.text);
		jpeg_destroy_decompress(&cinfo);
		free(pixels);
		return -EBADMSG;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	int r = read_jpeg(&cinfo, min_side, &pixels, out, why, whylen);
	jpeg_destroy_decompress(&cinfo);
	if (r < 0)
		free(pixels);
	return r;
}

int board_image_decode(const uint8_t *data, size_t len, int min_side, struct image *out, char *why,
		       size_t whylen)
{
	*out = (struct image){0};
	if (is_png(data, len))
		return decode_png(data, len, out, why, whylen);
	if (is_jpeg(data, len))
		return decode_jpeg(data, len, min_side, out, why, whylen);
	snprintf(why, whylen, "neither JPEG nor PNG");
	return -EINVAL;
}

void board_image_free(struct image *img)
{
	free(img->rgba);
	*img = (struct image){0};
}
