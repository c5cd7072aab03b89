/* The board's photo decoding (subscriber/board/board_image.c) on JPEG and
 * PNG files made here with libjpeg-turbo and libpng: real photos decode
 * (a large JPEG scaled down while decoding), every kind of PNG to the very
 * pixels libpng's simplified API gives; and a hostile photo is refused
 * before the decoder allocates for it, quickly, naming what it claims: a
 * JPEG's frame header or a PNG's IHDR (its CRC valid) set to 50,000 x
 * 50,000, sides or pixel counts just over the bound (and at it), a JPEG of
 * too many scans or needing too much memory; a PNG of text chunks that
 * inflate to 1.5 GB is drawn without inflating them. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "board/board_image.h"
#include "tests/lib/image_bytes.h"
#include "tests/lib/tap.h"

/* What the board asks of a JPEG: no less than this a side (board_detail.c). */
#define MIN_SIDE 160

/* The four quarters of the test pictures: red, blue, green, white. */
static const uint8_t QUARTER[4][3] = {{220, 30, 40}, {40, 90, 200}, {30, 180, 60}, {240, 240, 240}};

static const uint8_t *quarter_at(int x, int y, int w, int h)
{
	return QUARTER[(y >= h / 2) * 2 + (x >= w / 2)];
}

static double cpu_now(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

static long peak_mib(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss / 1024;
}

/* A JPEG of @w x @h pixels, baseline or progressive, 4:2:0 as phones write
 * it or in full colour (4:4:4). */
static struct bytes make_jpeg(int w, int h, bool progressive, bool full_colour)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	jpeg_bytes_begin(&c, &e, &out, &n, w, h);
	if (full_colour) {
		c.comp_info[0].h_samp_factor = 1;
		c.comp_info[0].v_samp_factor = 1;
	}
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	uint8_t *row = malloc((size_t)w * 3);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < w; x++)
			memcpy(row + 3 * x, quarter_at(x, (int)c.next_scanline, w, h), 3);
		JSAMPROW rows[1] = {row};
		jpeg_write_scanlines(&c, rows, 1);
	}
	free(row);
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	return (struct bytes){out, n};
}

/* Sets the sides a JPEG's frame header (SOF0 or SOF2) claims; the entropy
 * coded data stays that of the real, small picture. */
static void claim_jpeg(struct bytes b, unsigned w, unsigned h)
{
	size_t i = 2;
	while (i + 9 < b.len && b.data[i] == 0xff && b.data[i + 1] != 0xc0 && b.data[i + 1] != 0xc2)
		i += 2 + ((size_t)b.data[i + 2] << 8 | b.data[i + 3]);
	if (i + 9 >= b.len)
		abort();
	b.data[i + 5] = (uint8_t)(h >> 8);
	b.data[i + 6] = (uint8_t)h;
	b.data[i + 7] = (uint8_t)(w >> 8);
	b.data[i + 8] = (uint8_t)w;
}

/* @b with its first scan (and the tables before the next) repeated @times
 * more before the end: a valid progressive JPEG of many scans. */
static struct bytes many_scans(struct bytes b, int times)
{
	size_t first = 0, second = 0;
	for (size_t i = 2; i + 1 < b.len && second == 0; i++) {
		if (b.data[i] == 0xff && b.data[i + 1] == 0xda && first != 0)
			second = i;
		else if (b.data[i] == 0xff && b.data[i + 1] == 0xda)
			first = i;
	}
	size_t scan = second - first, n = b.len + scan * (size_t)times;
	uint8_t *d = malloc(n);
	memcpy(d, b.data, b.len - 2);
	for (int k = 0; k < times; k++)
		memcpy(d + b.len - 2 + scan * (size_t)k, b.data + first, scan);
	memcpy(d + n - 2, b.data + b.len - 2, 2);  /* EOI */
	return (struct bytes){d, n};
}

struct png_kind {
	const char *name;
	int type, depth, interlace;
	double gamma;  /* the file's gAMA; 0 for none */
};

static int channels_of(int type)
{
	switch (type) {
	case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
	case PNG_COLOR_TYPE_RGB: return 3;
	case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
	default: return 1;
	}
}

/* Row @y of a picture of every value: samples packed as the PNG holds them. */
static void fill_row(const struct png_kind *k, int w, int y, uint8_t *row)
{
	int ch = channels_of(k->type), max = (1 << k->depth) - 1;
	memset(row, 0, (size_t)w * ch * 2);
	for (int i = 0; i < w * ch; i++) {
		int v = (i * 2311 + y * 977) & max;
		if (k->depth == 16) {
			row[2 * i] = (uint8_t)(v >> 8);
			row[2 * i + 1] = (uint8_t)v;
		} else {
			int bit = i * k->depth;
			row[bit / 8] |= (uint8_t)(v << (8 - k->depth - bit % 8));
		}
	}
}

/* A palette of 16 colours, the first 8 partly transparent. */
static void set_palette(png_structp png, png_infop info)
{
	png_color palette[16];
	png_byte alpha[8];
	for (int i = 0; i < 16; i++)
		palette[i] = (png_color){(png_byte)(i * 16), (png_byte)(255 - i * 16), (png_byte)(i * 8)};
	for (int i = 0; i < 8; i++)
		alpha[i] = (png_byte)(i * 32);
	png_set_PLTE(png, info, palette, 16);
	png_set_tRNS(png, info, alpha, 8, NULL);
}

static struct bytes make_png(const struct png_kind *k, int w, int h)
{
	struct bytes b = {NULL, 0};
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_set_write_fn(png, &b, png_bytes_write, png_bytes_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, k->depth, k->type, k->interlace,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (k->type == PNG_COLOR_TYPE_PALETTE)
		set_palette(png, info);
	if (k->gamma > 0)
		png_set_gAMA(png, info, k->gamma);
	png_write_info(png, info);
	int passes = png_set_interlace_handling(png);
	uint8_t *row = malloc((size_t)w * 8);
	for (int pass = 0; pass < passes; pass++) {
		for (int y = 0; y < h; y++) {
			fill_row(k, w, y, row);
			png_write_row(png, row);
		}
	}
	free(row);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return b;
}

/* An 8-bit RGB PNG of the four quarters. */
static struct bytes make_quarters_png(int w, int h)
{
	struct bytes b = {NULL, 0};
	png_structp png;
	png_infop info;
	png_bytes_begin(&b, &png, &info, w, h, PNG_COLOR_TYPE_RGB);
	uint8_t *row = malloc((size_t)w * 3);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++)
			memcpy(row + 3 * x, quarter_at(x, y, w, h), 3);
		png_write_row(png, row);
	}
	free(row);
	png_bytes_end(png, info);
	return b;
}

/* @b with @count zTXt chunks after its IHDR, each inflating to 7.9 MB of
 * zeros (libpng's default bound for a chunk is 8 MB). */
static struct bytes with_text(struct bytes b, int count)
{
	uLong raw = 7900000;
	uint8_t *zeros = calloc(raw, 1);
	uLongf zlen = compressBound(raw);
	uint8_t *chunk = malloc(8 + 9 + zlen + 4);
	memcpy(chunk + 4, "zTXtComment\0\0", 13);
	compress2(chunk + 17, &zlen, zeros, raw, 9);
	free(zeros);
	size_t data = 9 + zlen, one = 12 + data, n = b.len + one * (size_t)count;
	bytes_put_u32(chunk, (uint32_t)data);
	bytes_put_u32(chunk + 8 + data, (uint32_t)crc32(0, chunk + 4, (uInt)(4 + data)));
	uint8_t *d = malloc(n);
	memcpy(d, b.data, 33);  /* the signature and the IHDR */
	for (int k = 0; k < count; k++)
		memcpy(d + 33 + one * (size_t)k, chunk, one);
	memcpy(d + 33 + one * (size_t)count, b.data + 33, b.len - 33);
	free(chunk);
	return (struct bytes){d, n};
}

/* Refused by what it claims: -EFBIG, @named in the text, in well under a
 * second of CPU and without the memory the header asks for (the peak of
 * this process, still small, grows by less than 16 MiB). */
static void refused(const char *what, struct bytes b, const char *named)
{
	struct image img;
	char why[300] = "";
	long before = peak_mib();
	double start = cpu_now();
	int r = board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why));
	double cpu = cpu_now() - start;
	long grown = peak_mib() - before;
	is_int(r, -EFBIG, "%s: refused (-EFBIG)", what);
	ok(strstr(why, named) != NULL, "  saying '%s': %s", named, why);
	ok(cpu < 2.0, "  in %.3f s of CPU (under 2 s)", cpu);
	ok(grown < 16, "  the peak memory grew by %ld MiB (under 16)", grown);
	board_image_free(&img);
	free(b.data);
}

/* A small real picture (16 x 16) whose header claims @w x @h. */
static struct bytes claiming(bool png, bool progressive, unsigned w, unsigned h)
{
	if (png) {
		struct bytes b = make_quarters_png(16, 16);
		png_bytes_claim(b, w, h);
		return b;
	}
	struct bytes b = make_jpeg(16, 16, progressive, false);
	claim_jpeg(b, w, h);
	return b;
}

static void test_hostile_headers(void)
{
	static const struct {
		const char *what;
		bool png, progressive;
		unsigned w, h;
		const char *named;
	} claims[] = {
		{"a progressive JPEG claiming 50000 x 50000", false, true, 50000, 50000, "JPEG of 50000 x 50000 pixels"},
		{"a baseline JPEG claiming 50000 x 50000", false, false, 50000, 50000, "JPEG of 50000 x 50000 pixels"},
		{"a PNG whose IHDR (valid CRC) claims 50000 x 50000", true, false, 50000, 50000,
		 "PNG of 50000 x 50000 pixels"},
		{"a JPEG one pixel wider than 8192", false, false, 8193, 16, "JPEG of 8193 x 16 pixels"},
		{"a PNG one pixel taller than 8192", true, false, 16, 8193, "PNG of 16 x 8193 pixels"},
		{"a JPEG of 4097 x 4096, a column over 16 M pixels", false, false, 4097, 4096,
		 "JPEG of 4097 x 4096 pixels"},
		{"a PNG of 6000 x 6000 (36 M pixels), each side within 8192", true, false, 6000, 6000,
		 "PNG of 6000 x 6000 pixels"},
	};
	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		struct bytes b = claiming(claims[i].png, claims[i].progressive, claims[i].w, claims[i].h);
		char what[120];
		snprintf(what, sizeof(what), "%s (%zu bytes)", claims[i].what, b.len);
		refused(what, b, claims[i].named);
	}
	struct bytes ten = make_jpeg(16, 16, true, false);
	refused("a progressive JPEG of 210 scans", many_scans(ten, 200), "more than 100 scans");
	free(ten.data);
	struct bytes b = claiming(false, true, 50000, 50000);
	char why[300] = "";
	struct image img;
	board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why));
	is_str(why, "JPEG of 50000 x 50000 pixels, more than a photo may have (8192 a side, 16 M in all)",
	       "the refusal names the sides claimed and the bound");
	free(b.data);
}

/* 200 zTXt chunks (1.5 MB that inflate to 1.5 GB) before the pixels: the
 * board reads no text, so it is drawn in a moment. */
static void test_text_bomb(void)
{
	struct bytes small = make_quarters_png(16, 16);
	struct bytes b = with_text(small, 200);
	struct image img;
	char why[300] = "";
	double start = cpu_now();
	int r = board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why));
	double cpu = cpu_now() - start;
	is_int(r, 0, "a PNG of %zu bytes with 200 zTXt chunks of 7.9 MB each decodes (%s)", b.len, why);
	ok(img.width == 16 && img.height == 16, "  at its 16 x 16");
	ok(cpu < 2.0, "  in %.3f s of CPU (under 2 s): its text is never inflated", cpu);
	board_image_free(&img);
	free(b.data);
	free(small.data);
}

/* At the bound: a JPEG claiming 4096 x 4096 (16 M pixels) is decoded, scaled
 * down; its small data leaves the rest grey. A progressive one of 16 M
 * pixels in 4:2:0 takes 48 MiB and is decoded; in 4:4:4 it would take
 * 96 MiB, more than the decoder is given. */
static void test_at_the_bound(void)
{
	struct image img;
	char why[300] = "";
	struct bytes b = make_jpeg(16, 16, false, false);
	claim_jpeg(b, 4096, 4096);
	is_int(board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why)), 0,
	       "a JPEG claiming 4096 x 4096 (16 M pixels, the bound) is decoded (%s)", why);
	ok(img.width == 512 && img.height == 512, "  scaled by 1/8 while decoding: %d x %d", img.width, img.height);
	board_image_free(&img);
	free(b.data);
	b = make_quarters_png(16, 16);
	png_bytes_claim(b, 8192, 2048);
	int r = board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why));
	ok(r == -EBADMSG, "a PNG claiming 8192 x 2048 (the bound) is read, then found short of data: %d, %s", r,
	   why);
	free(b.data);
	why[0] = '\0';
	b = make_jpeg(16, 16, true, false);
	claim_jpeg(b, 4096, 4096);
	is_int(board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why)), 0,
	       "a progressive 4:2:0 JPEG of 4096 x 4096 (48 MiB of coefficients) is decoded (%s)", why);
	board_image_free(&img);
	free(b.data);
	why[0] = '\0';
	b = make_jpeg(16, 16, true, true);
	claim_jpeg(b, 4096, 4096);
	is_int(board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why)), -EFBIG,
	       "a progressive 4:4:4 JPEG of 4096 x 4096 (96 MiB of coefficients) is refused (-EFBIG)");
	ok(strstr(why, "JPEG of 4096 x 4096 pixels that needs more than 64 MiB") != NULL, "  saying why: %s", why);
	free(b.data);
}

/* Within @tolerance of @want in each of R, G and B, and opaque. */
static bool near(const uint8_t *px, const uint8_t *want, int tolerance)
{
	for (int c = 0; c < 3; c++)
		if (abs(px[c] - want[c]) > tolerance)
			return false;
	return px[3] == 255;
}

static void check_quarters(const char *what, const struct image *img, int tolerance)
{
	int w = img->width, h = img->height;
	const uint8_t *rgba = img->rgba;
	ok(near(rgba + 4 * ((h / 4) * w + w / 4), QUARTER[0], tolerance), "  %s: the top left quarter red", what);
	ok(near(rgba + 4 * ((h / 4) * w + 3 * w / 4), QUARTER[1], tolerance), "  %s: the top right blue", what);
	ok(near(rgba + 4 * ((3 * h / 4) * w + w / 4), QUARTER[2], tolerance), "  %s: the bottom left green", what);
	ok(near(rgba + 4 * ((3 * h / 4) * w + 3 * w / 4), QUARTER[3], tolerance), "  %s: the bottom right white",
	   what);
}

static void decodes(const char *what, struct bytes b, int want_w, int want_h, int tolerance)
{
	struct image img;
	char why[300] = "";
	is_int(board_image_decode(b.data, b.len, MIN_SIDE, &img, why, sizeof(why)), 0, "%s decodes (%s)", what,
	       why);
	ok(img.width == want_w && img.height == want_h, "  at %d x %d (want %d x %d)", img.width, img.height, want_w,
	   want_h);
	if (img.width == want_w && img.height == want_h)
		check_quarters(what, &img, tolerance);
	board_image_free(&img);
	free(b.data);
}

static void test_photos(void)
{
	decodes("a baseline JPEG of 64 x 48", make_jpeg(64, 48, false, false), 64, 48, 24);
	decodes("a progressive JPEG of 64 x 48", make_jpeg(64, 48, true, false), 64, 48, 24);
	decodes("a phone-sized JPEG of 4000 x 3000, scaled by 1/8 while decoding",
		make_jpeg(4000, 3000, false, false), 500, 375, 24);
	decodes("a JPEG of 2000 x 1200, scaled by 2/8 (its shorter side no less than 160)",
		make_jpeg(2000, 1200, false, false), 500, 300, 24);
	decodes("a PNG of 48 x 40", make_quarters_png(48, 40), 48, 40, 0);
	struct image img;
	char why[300] = "";
	uint8_t junk[600];
	memset(junk, 0x5a, sizeof(junk));
	memcpy(junk, "\xff\xd8\xff", 3);
	is_int(board_image_decode(junk, sizeof(junk), MIN_SIDE, &img, why, sizeof(why)), -EBADMSG,
	       "a JPEG signature before junk: -EBADMSG");
	ok(strncmp(why, "JPEG: ", 6) == 0, "  with libjpeg's reason: %s", why);
	struct bytes b = make_quarters_png(48, 40);
	is_int(board_image_decode(b.data, b.len / 2, MIN_SIDE, &img, why, sizeof(why)), -EBADMSG,
	       "half a PNG: -EBADMSG");
	ok(strncmp(why, "PNG: ", 5) == 0, "  with libpng's reason: %s", why);
	free(b.data);
	is_int(board_image_decode(junk + 1, 100, MIN_SIDE, &img, why, sizeof(why)), -EINVAL, "neither: -EINVAL");
}

/* libpng's simplified API, as the board read PNGs before it needed limits. */
static bool simplified(struct bytes b, struct image *out)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, b.data, b.len))
		return false;
	img.format = PNG_FORMAT_RGBA;
	uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
	if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
		free(px);
		return false;
	}
	*out = (struct image){px, (int)img.width, (int)img.height};
	return true;
}

static void test_png_kinds(void)
{
	static const struct png_kind kinds[] = {
		{"RGB, 8 bits", PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, 0},
		{"RGBA, 8 bits", PNG_COLOR_TYPE_RGB_ALPHA, 8, PNG_INTERLACE_NONE, 0},
		{"grey, 8 bits", PNG_COLOR_TYPE_GRAY, 8, PNG_INTERLACE_NONE, 0},
		{"grey, 1 bit", PNG_COLOR_TYPE_GRAY, 1, PNG_INTERLACE_NONE, 0},
		{"grey and alpha, 16 bits", PNG_COLOR_TYPE_GRAY_ALPHA, 16, PNG_INTERLACE_NONE, 0},
		{"RGB, 16 bits", PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_NONE, 0},
		{"RGBA, 16 bits, gAMA 1/2.2", PNG_COLOR_TYPE_RGB_ALPHA, 16, PNG_INTERLACE_NONE, 1 / 2.2},
		{"a palette of 4 bits, partly transparent", PNG_COLOR_TYPE_PALETTE, 4, PNG_INTERLACE_NONE, 0},
		{"RGB, 8 bits, interlaced", PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_ADAM7, 0},
		{"RGB, 8 bits, gAMA 1/1.8", PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, 1 / 1.8},
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct bytes b = make_png(&kinds[i], 37, 23);
		struct image got, want = {0};
		char why[300] = "";
		int r = board_image_decode(b.data, b.len, MIN_SIDE, &got, why, sizeof(why));
		bool same = r == 0 && simplified(b, &want) && got.width == want.width && got.height == want.height &&
			    memcmp(got.rgba, want.rgba, (size_t)want.width * want.height * 4) == 0;
		ok(same, "a PNG of %s: the same pixels as png_image_finish_read() gives", kinds[i].name);
		if (r < 0)
			printf("#   board_image_decode: %d, %s\n", r, why);
		board_image_free(&got);
		board_image_free(&want);
		free(b.data);
	}
}

int main(void)
{
	/* First, while this process's peak memory is small enough to show
	 * what a refusal costs. */
	test_hostile_headers();
	test_text_bomb();
	test_at_the_bound();
	test_photos();
	test_png_kinds();
	return tap_done();
}
