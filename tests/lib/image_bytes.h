/* The photo tests' bytes in memory, and libpng and libjpeg writing
 * images into them. */
#ifndef RAKSHA_TESTS_IMAGE_BYTES_H
#define RAKSHA_TESTS_IMAGE_BYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

struct bytes {
	uint8_t *data;
	size_t len;
};

/* png_set_write_fn(png, &bytes, png_bytes_write, png_bytes_flush). */
static inline void png_bytes_write(png_structp png, png_bytep data, size_t n)
{
	struct bytes *b = png_get_io_ptr(png);
	b->data = realloc(b->data, b->len + n);
	memcpy(b->data + b->len, data, n);
	b->len += n;
}

static inline void png_bytes_flush(png_structp png)
{
	(void)png;
}

/* Starts *@png and *@info writing a @w x @h PNG of colour @type, 8 bits a
 * sample, not interlaced, into @b: its header written, the rows next. */
static inline void png_bytes_begin(struct bytes *b, png_structp *png, png_infop *info, int w, int h, int type)
{
	*png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	*info = png_create_info_struct(*png);
	png_set_write_fn(*png, b, png_bytes_write, png_bytes_flush);
	png_set_IHDR(*png, *info, (png_uint_32)w, (png_uint_32)h, 8, type, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(*png, *info);
}

/* Ends what png_bytes_begin() started, once its rows are written. */
static inline void png_bytes_end(png_structp png, png_infop info)
{
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
}

/* @v at @p, big-endian, as PNG writes its numbers. */
static inline void bytes_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Sets the sides @b's IHDR (the first chunk, at byte 8) claims, with its
 * CRC made anew so that libpng takes the chunk as written. */
static inline void png_bytes_claim(struct bytes b, uint32_t w, uint32_t h)
{
	bytes_put_u32(b.data + 16, w);
	bytes_put_u32(b.data + 20, h);
	bytes_put_u32(b.data + 29, (uint32_t)crc32(0, b.data + 12, 17));
}

/* Starts @c writing a @w x @h RGB JPEG of quality 95 into *@out (*@n
 * bytes, malloc'd by libjpeg), its settings still open to change before
 * jpeg_start_compress(). Errors exit (libjpeg's default): a test's own. */
static inline void jpeg_bytes_begin(struct jpeg_compress_struct *c, struct jpeg_error_mgr *e, unsigned char **out,
				    unsigned long *n, int w, int h)
{
	c->err = jpeg_std_error(e);
	jpeg_create_compress(c);
	jpeg_mem_dest(c, out, n);
	c->image_width = (JDIMENSION)w;
	c->image_height = (JDIMENSION)h;
	c->input_components = 3;
	c->in_color_space = JCS_RGB;
	jpeg_set_defaults(c);
	jpeg_set_quality(c, 95, TRUE);
}

/* Writes @b to the file @path; 0, or 73 (EX_CANTCREAT) with perror(). */
static inline int bytes_write_file(const struct bytes *b, const char *path)
{
	FILE *f = fopen(path, "wbe");
	int bad = b->data == NULL || f == NULL || fwrite(b->data, 1, b->len, f) != b->len;
	if (f != NULL && fclose(f) != 0)
		bad = 1;
	if (bad)
		perror(path);
	return bad ? 73 : 0;
}

#endif
