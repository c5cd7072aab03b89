/* libjpeg-turbo and libpng: small, on every Debian machine, and they decode
 * from memory, which is where a Report's photo is.
 *
 * A photo comes from any unit on the bus, so each decoder reads the header
 * first, and a photo larger than its caller's limits (the board's, or
 * raksha_photo_normalise()'s for a camera's photo) is refused by what it
 * claims, before the decoder allocates for it; the decoders' own limits
 * bound what the header does not say. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "board/board_image.h"

/* A progressive JPEG is decoded a scan at a time, each over the whole
 * image: a thousand scans of 42 bytes each over 4096 x 4096 pixels took
 * 0.8 s of CPU, so 2 MiB of them would take 40 s. Encoders write about ten
 * (libjpeg-turbo's djpeg -maxscans guards against the same). */
#define JPEG_MAX_SCANS 100

/* The only compressed chunk libpng is left to read is an ICC profile, a few
 * KiB; its default bound is 8 MB. */
#define PNG_MAX_CHUNK (1u << 20)

static bool is_jpeg(const uint8_t *d, size_t n)
{
	return n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
}

static bool is_png(const uint8_t *d, size_t n)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	return n >= sizeof(sig) && memcmp(d, sig, sizeof(sig)) == 0;
}

/* The board's own: it draws at most 30 x 14 cells of a photo. */
static const struct board_image_limits board_limits = {
	BOARD_IMAGE_MAX_SIDE, BOARD_IMAGE_MAX_PIXELS, BOARD_IMAGE_MAX_SIDE, BOARD_IMAGE_MAX_PIXELS,
	BOARD_IMAGE_JPEG_MEMORY, 0, false,
};

static bool too_large(unsigned width, unsigned height, unsigned side, unsigned pixels)
{
	return width > side || height > side || (uint64_t)width * height > pixels;
}

/* The refusal of a photo by the size its header claims, for its line on
 * the board, the desk's log and raksha-publish --photo. */
static int refuse_size(const char *kind, unsigned width, unsigned height, unsigned side, unsigned pixels,
		       char *why, size_t whylen)
{
	snprintf(why, whylen, "%s of %u x %u pixels, more than a photo may have (%u a side, %u M in all)", kind,
		 width, height, side, pixels >> 20);
	return -EFBIG;
}

static bool png_too_large(const struct board_image_limits *lim, unsigned width, unsigned height)
{
	return too_large(width, height, lim->png_side, lim->png_pixels);
}

static int png_refuse_size(const struct board_image_limits *lim, unsigned width, unsigned height, char *why,
			   size_t whylen)
{
	return refuse_size("PNG", width, height, lim->png_side, lim->png_pixels, why, whylen);
}

/* libpng reads the photo from memory through this. */
struct png_source {
	const uint8_t *data;
	size_t len, at;
};

static void png_from_memory(png_structp png, png_bytep out, size_t n)
{
	struct png_source *s = png_get_io_ptr(png);
	if (n > s->len - s->at)
		png_error(png, "read beyond end of data");  /* png_image_*()'s words for it */
	memcpy(out, s->data + s->at, n);
	s->at += n;
}

/* libpng reports errors by calling its error function, which must not
 * return; the text is kept for the board. */
struct png_failure {
	char text[200];
};

static void png_failed(png_structp png, png_const_charp message)
{
	struct png_failure *f = png_get_error_ptr(png);
	snprintf(f->text, sizeof(f->text), "%s", message);
	png_longjmp(png, 1);
}

/* Warnings (a damaged ancillary chunk, skipped) would be printed on stderr,
 * over the board. */
static void png_quiet(png_structp png, png_const_charp message)
{
	(void)png;
	(void)message;
}

/* What libpng may read before the pixels: sides within the board's bound
 * (checked at the IHDR, before any other chunk), and of the ancillary chunks
 * only those that colour the pixels, the ones png_image_*() uses; text is
 * skipped unread, so a zTXt is not inflated (200 of them, 8 MB each from
 * 1.5 MB, took 7 s through png_image_begin_read_from_memory(), which reads
 * them all and has no way to set a limit). */
static void png_limits(png_structp png, const struct board_image_limits *lim)
{
	static const png_byte colour_chunks[] = "bKGD\0cHRM\0gAMA\0iCCP\0sBIT\0sRGB";
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_AS_DEFAULT, colour_chunks, (int)sizeof(colour_chunks) / 5);
	png_set_user_limits(png, lim->png_side, lim->png_side);
	png_set_chunk_malloc_max(png, PNG_MAX_CHUNK);
	png_set_benign_errors(png, 1);  /* as png_image_*(): a bad ancillary chunk is a warning */
}

/* The transformations png_image_finish_read() makes for PNG_FORMAT_RGBA
 * (libpng 1.6, pngread.c), so that a photo looks as it did before the
 * limits above needed libpng's full API: palette, grey and low depths to
 * 8-bit RGB, 16-bit samples linear unless the file says otherwise, sRGB
 * out, an opaque alpha added. Returns the passes to read (7: interlaced). */
static int png_to_rgba(png_structp png, png_infop info)
{
	int type = png_get_color_type(png, info);
	bool deep = png_get_bit_depth(png, info) == 16;
	bool alpha = (type & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid(png, info, PNG_INFO_tRNS) != 0;
	png_set_expand(png);
	if ((type & PNG_COLOR_MASK_COLOR) == 0)
		png_set_gray_to_rgb(png);
	png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, deep ? PNG_GAMMA_LINEAR : PNG_DEFAULT_sRGB);
	if (deep)
		png_set_scale_16(png);
	if (!alpha)
		png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
	int passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	return passes;
}

static int read_png(png_structp png, png_infop info, const struct board_image_limits *lim,
		    uint8_t *volatile *pixels, struct image *out, char *why, size_t whylen)
{
	png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
	if (png_too_large(lim, width, height))
		return png_refuse_size(lim, width, height, why, whylen);
	int passes = png_to_rgba(png, info);
	size_t stride = (size_t)width * 4;
	if (png_get_rowbytes(png, info) != stride) {
		snprintf(why, whylen, "PNG: a kind the board cannot turn into RGBA");
		return -EBADMSG;
	}
	*pixels = malloc(stride * height);
	if (*pixels == NULL)
		return -ENOMEM;
	for (int pass = 0; pass < passes; pass++)
		for (png_uint_32 y = 0; y < height; y++)
			png_read_row(png, *pixels + stride * y, NULL);
	*out = (struct image){*pixels, (int)width, (int)height};
	return 0;
}

/* A side over the user limit stops png_read_info() at the IHDR, after
 * png_set_IHDR() stored the header's sides: the refusal names them. */
static int png_refusal(png_structp png, png_infop info, const struct board_image_limits *lim, const char *text,
		       char *why, size_t whylen)
{
	png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
	if (png_too_large(lim, width, height))
		return png_refuse_size(lim, width, height, why, whylen);
	snprintf(why, whylen, "PNG: %s", text);
	return -EBADMSG;
}

static int decode_png(const uint8_t *data, size_t len, const struct board_image_limits *lim, struct image *out,
		      char *why, size_t whylen)
{
	struct png_source source = {data, len, 0};
	struct png_failure failure = {""};
	uint8_t *volatile pixels = NULL;
	volatile int r = -ENOMEM;
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, png_failed, png_quiet);
	if (png == NULL)
		return -ENOMEM;
	png_infop info = png_create_info_struct(png);
	if (info == NULL)
		goto destroy;
	if (setjmp(png_jmpbuf(png))) {
		r = png_refusal(png, info, lim, failure.text, why, whylen);
		goto destroy;
	}
	png_set_read_fn(png, &source, png_from_memory);
	png_limits(png, lim);
	png_read_info(png, info);
	r = read_png(png, info, lim, &pixels, out, why, whylen);
destroy:
	png_destroy_read_struct(&png, &info, NULL);
	if (r < 0)
		free(pixels);
	return r;
}

/* libjpeg reports errors by calling error_exit, which must not return; the
 * progress monitor counts the scans. */
struct jpeg_failure {
	struct jpeg_error_mgr mgr;
	struct jpeg_progress_mgr progress;
	jmp_buf jump;
	int code;  /* -EBADMSG, or -EFBIG for a bound */
	long memory;  /* the limits' jpeg_memory, for the words */
	char text[JMSG_LENGTH_MAX + 100];
};

static void jpeg_failed(j_common_ptr cinfo)
{
	struct jpeg_failure *f = (struct jpeg_failure *)cinfo->err;
	j_decompress_ptr d = (j_decompress_ptr)cinfo;
	char message[JMSG_LENGTH_MAX];
	cinfo->err->format_message(cinfo, message);
	f->code = -EBADMSG;
	snprintf(f->text, sizeof(f->text), "JPEG: %s", message);
	if (cinfo->err->msg_code == JERR_NO_BACKING_STORE) {  /* max_memory_to_use reached */
		f->code = -EFBIG;
		snprintf(f->text, sizeof(f->text), "JPEG of %u x %u pixels that needs more than %ld MiB to decode, "
			 "more than a photo is given", d->image_width, d->image_height, f->memory >> 20);
	}
	longjmp(f->jump, 1);
}

/* Warnings (a truncated scan, filled with grey) would be printed on stderr,
 * over the board: the picture shows what could be read, which is enough. */
static void jpeg_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

/* Called as the decoder reads its input, scan after scan. */
static void jpeg_count_scans(j_common_ptr cinfo)
{
	struct jpeg_failure *f = (struct jpeg_failure *)cinfo->err;
	if (((j_decompress_ptr)cinfo)->input_scan_number <= JPEG_MAX_SCANS)
		return;
	f->code = -EFBIG;
	snprintf(f->text, sizeof(f->text), "JPEG of more than %d scans, more than a photo has", JPEG_MAX_SCANS);
	longjmp(f->jump, 1);
}

/* The largest reduction (n/8, libjpeg's DCT scaling) that keeps the shorter
 * side, or the longer, at least @lim->min_side pixels: the smallest image
 * that is still enough. */
static void choose_scale(struct jpeg_decompress_struct *cinfo, const struct board_image_limits *lim)
{
	bool wider = cinfo->image_width > cinfo->image_height;
	unsigned side = wider == lim->min_longer ? cinfo->image_width : cinfo->image_height;
	unsigned num = 1;
	while (num < 8 && (uint64_t)side * num / 8 < (unsigned)lim->min_side)
		num++;
	cinfo->scale_num = num;
	cinfo->scale_denom = 8;
}

/* A row of @n CMYK pixels (libjpeg's output for a CMYK or YCCK JPEG, from
 * some scanners and Adobe's programs) made RGBA in place, without its ICC
 * profile: each channel (1 - C)(1 - K). Adobe's files (an Adobe marker)
 * store the inks inverted, 255 for none, as libjpeg hands them over. */
static void cmyk_to_rgba(uint8_t *row, unsigned n, bool inverted)
{
	for (uint8_t *p = row; p < row + (size_t)n * 4; p += 4) {
		unsigned k = inverted ? p[3] : 255u - p[3];
		for (int c = 0; c < 3; c++)
			p[c] = (uint8_t)((inverted ? p[c] : 255u - p[c]) * k / 255);
		p[3] = 255;
	}
}

static int read_jpeg(struct jpeg_decompress_struct *cinfo, const struct board_image_limits *lim,
		     uint8_t *volatile *pixels, struct image *out, char *why, size_t whylen)
{
	jpeg_read_header(cinfo, TRUE);
	/* The sides the frame header claims, before jpeg_start_decompress()
	 * allocates for them. */
	if (too_large(cinfo->image_width, cinfo->image_height, lim->jpeg_side, lim->jpeg_pixels))
		return refuse_size("JPEG", cinfo->image_width, cinfo->image_height, lim->jpeg_side,
				   lim->jpeg_pixels, why, whylen);
	/* What a progressive JPEG keeps, every coefficient until its last
	 * scan (a baseline one scaled down needs a few MiB): past it libjpeg
	 * stops ("Backing store not supported") rather than allocating. */
	cinfo->mem->max_memory_to_use = lim->jpeg_memory;
	/* libjpeg turns CMYK into nothing else: 4 bytes a pixel too. */
	bool cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
	cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
	choose_scale(cinfo, lim);
	jpeg_start_decompress(cinfo);
	size_t stride = (size_t)cinfo->output_width * 4;
	*pixels = malloc(stride * cinfo->output_height);
	if (*pixels == NULL)
		return -ENOMEM;
	while (cinfo->output_scanline < cinfo->output_height) {
		JSAMPROW row = *pixels + stride * cinfo->output_scanline;
		jpeg_read_scanlines(cinfo, &row, 1);
		if (cmyk)
			cmyk_to_rgba(row, cinfo->output_width, cinfo->saw_Adobe_marker);
	}
	jpeg_finish_decompress(cinfo);
	*out = (struct image){*pixels, (int)cinfo->output_width, (int)cinfo->output_height};
	return 0;
}

static int decode_jpeg(const uint8_t *data, size_t len, const struct board_image_limits *lim, struct image *out,
		       char *why, size_t whylen)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_failure failure;
	uint8_t *volatile pixels = NULL;
	cinfo.err = jpeg_std_error(&failure.mgr);
	failure.mgr.error_exit = jpeg_failed;
	failure.mgr.output_message = jpeg_quiet;
	failure.progress.progress_monitor = jpeg_count_scans;
	failure.memory = lim->jpeg_memory;
	if (setjmp(failure.jump)) {
		snprintf(why, whylen, "%s", failure.text);
		jpeg_destroy_decompress(&cinfo);
		free(pixels);
		return failure.code;
	}
	jpeg_create_decompress(&cinfo);
	cinfo.progress = &failure.progress;  /* after jpeg_create_decompress(), which clears it */
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	int r = read_jpeg(&cinfo, lim, &pixels, out, why, whylen);
	jpeg_destroy_decompress(&cinfo);
	if (r < 0)
		free(pixels);
	return r;
}

int board_image_decode_within(const uint8_t *data, size_t len, const struct board_image_limits *limits,
			      struct image *out, char *why, size_t whylen)
{
	*out = (struct image){0};
	if (is_png(data, len))
		return decode_png(data, len, limits, out, why, whylen);
	if (is_jpeg(data, len))
		return decode_jpeg(data, len, limits, out, why, whylen);
	snprintf(why, whylen, "neither JPEG nor PNG");
	return -EINVAL;
}

void board_image_free(struct image *img)
{
	free(img->rgba);
	*img = (struct image){0};
}

int board_image_decode(const uint8_t *data, size_t len, int min_side, struct image *out, char *why,
		       size_t whylen)
{
	struct board_image_limits lim = board_limits;
	lim.min_side = min_side;
	return board_image_decode_within(data, len, &lim, out, why, whylen);
}
