/* raksha_photo_normalise() (lib/photo.c, lib/photo_exif.c) on photos made
 * here with libjpeg-turbo and libpng: a 50 M pixel 8160 x 6120 JPEG
 * becomes 1024 x 768, the peak memory growing by under 24 MiB (libjpeg
 * scales it while decoding); a 4000 x 3000 camera JPEG with an
 * EXIF APP1 holding GPS tags and Orientation 6, an ICC APP2 and a comment
 * becomes a 768 x 1024 baseline JPEG (RAKSHA_PHOTO_SIDE), upright (its red corner where the
 * rotation puts it), with no APP1-15 or comment marker and no "Exif" byte,
 * under the size limit; Orientations 3 and 8 the same; a noisy photo is
 * within the limit; a PNG's transparency is
 * white; a greyscale JPEG keeps its greys; CMYK and YCCK JPEGs (Adobe's
 * inverted, and plain CMYK) become RGB, red ink red. Hostile input is refused saying why: empty, too many bytes, a
 * truncated JPEG, a PNG claiming 100000 x 100000, a JPEG claiming 16385
 * pixels a side or 144 M pixels in all, EXIF offsets out of
 * range, an entry count past its block, an Orientation of 9, a segment
 * longer than the file; an IFD0 whose next-IFD offset loops to itself is
 * read once. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include <raksha/photo.h>

#include "tests/lib/camera_jpeg.h"
#include "tests/lib/image_bytes.h"
#include "tests/lib/tap.h"

/* A decoded JPEG: its sides and RGB. */
struct rgb {
	int w, h;
	uint8_t *px;
};

static struct rgb decode(const uint8_t *data, size_t len)
{
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr e;
	d.err = jpeg_std_error(&e);
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, data, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d);
	struct rgb r = {(int)d.output_width, (int)d.output_height, malloc((size_t)d.output_width * d.output_height * 3)};
	while (d.output_scanline < d.output_height) {
		JSAMPROW row = r.px + (size_t)d.output_scanline * (size_t)r.w * 3;
		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return r;
}

/* Whether pixel (@x, @y) of @r is within 24 of @want in each channel (and
 * there is such a pixel). */
static bool near(const struct rgb *r, int x, int y, const uint8_t want[3])
{
	if (x >= r->w || y >= r->h)
		return false;
	const uint8_t *p = r->px + ((size_t)y * (size_t)r->w + (size_t)x) * 3;
	for (int c = 0; c < 3; c++)
		if (abs(p[c] - want[c]) > 24)
			return false;
	return true;
}

/* Walks the markers before the scan: false on an APPn other than APP0, a
 * comment, or a frame other than baseline (SOF0). */
static bool only_pixels(const uint8_t *b, size_t n)
{
	bool baseline = false;
	for (size_t at = 2; at + 4 <= n && b[at] == 0xff;) {
		unsigned m = b[at + 1];
		if (m == 0xda)
			return baseline;
		if ((m > 0xe0 && m <= 0xef) || m == 0xfe || (m >= 0xc1 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc))
			return false;
		baseline |= m == 0xc0;
		at += 2 + ((size_t)b[at + 2] << 8 | b[at + 3]);
	}
	return false;
}

static bool has_exif(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(b + i, "Exif", 4) == 0)
			return true;
	return false;
}

/* Normalises @in and checks the result's sides and where red went. */
static void upright(struct bytes in, unsigned o, int want_w, int want_h, int red_x, int red_y, const char *name)
{
	struct raksha_photo ph;
	char why[256] = "";
	int r = raksha_photo_normalise(in.data, in.len, &ph, why, sizeof(why));
	is_int(r, 0, "%s: normalised (%s)", name, why);
	if (r < 0)
		return;
	struct rgb d = decode(ph.data, ph.len);
	is_int(ph.orientation, (int)o, "  its orientation read: %u", o);
	ok(d.w == want_w && d.h == want_h, "  %d x %d (got %d x %d)", want_w, want_h, d.w, d.h);
	ok(d.w == ph.width && d.h == ph.height, "  the sides it says it has");
	ok(near(&d, red_x, red_y, CAMERA_RED), "  the red corner upright at (%d, %d)", red_x, red_y);
	ok(only_pixels(ph.data, ph.len), "  baseline, no APP1-15 nor comment marker");
	ok(!has_exif(ph.data, ph.len), "  no 'Exif' byte anywhere");
	ok(ph.len <= RAKSHA_PHOTO_MAX_BYTES, "  %zu bytes from %zu, within %u KiB", ph.len, in.len,
	   RAKSHA_PHOTO_MAX_BYTES / 1024);
	free(d.px);
	raksha_photo_free(&ph);
}

static long peak_mib(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss / 1024;
}

/* A 50 M pixel phone's photo: decoded whole it would be 190 MiB of RGBA;
 * libjpeg decodes it at 2/8, 2040 x 1530, the smallest still 1024 wide. */
static void test_fifty_megapixels(void)
{
	struct bytes big = camera_jpeg(8160, 6120, NULL, 0, 0);
	long before = peak_mib();
	upright(big, 1, 1024, 768, 20, 20, "a 8160 x 6120 JPEG (50 M pixels)");
	long grown = peak_mib() - before;
	ok(grown < 24, "  the peak memory grew by %ld MiB (under 24: scaled while decoded)", grown);
	free(big.data);
}

static void test_orientations(void)
{
	struct bytes six = camera_exif_jpeg(4000, 3000, 6, 40);
	ok(six.len > 3000000, "a 4000 x 3000 camera JPEG of %zu bytes, over 3 MB", six.len);
	upright(six, 6, 768, 1024, 767 - 20, 20, "orientation 6 (90 clockwise), at most RAKSHA_PHOTO_SIDE");
	free(six.data);
	struct bytes three = camera_exif_jpeg(800, 600, 3, 0);
	upright(three, 3, 800, 600, 799 - 20, 599 - 20, "orientation 3 (180), smaller than 1024: kept its size");
	free(three.data);
	struct bytes eight = camera_exif_jpeg(800, 600, 8, 0);
	upright(eight, 8, 600, 800, 20, 799 - 20, "orientation 8 (90 anticlockwise)");
	free(eight.data);
	struct bytes none = camera_jpeg(3200, 2400, NULL, 0, 0);
	upright(none, 1, 1024, 768, 20, 20, "no EXIF: as stored, scaled to 0.32");
	free(none.data);
}

/* The most grain camera_jpeg() makes, at RAKSHA_PHOTO_SIDE a side: far
 * over RAKSHA_PHOTO_BUDGET at quality 85, so the quality falls in steps of
 * 10 until it fits the budget or reaches RAKSHA_PHOTO_BUDGET_QUALITY, and
 * stays within RAKSHA_PHOTO_MAX_BYTES. A busy scene, over the budget at 85
 * and under it at 75. */
static void test_quality_falls(void)
{
	struct bytes noise = camera_jpeg(RAKSHA_PHOTO_SIDE, RAKSHA_PHOTO_SIDE, NULL, 0, 255);
	struct raksha_photo ph;
	char why[256] = "";
	int r = raksha_photo_normalise(noise.data, noise.len, &ph, why, sizeof(why));
	is_int(r, 0, "a noisy %d x %d photo of %zu bytes normalised (%s)", RAKSHA_PHOTO_SIDE, RAKSHA_PHOTO_SIDE, noise.len, why);
	ok(ph.quality == RAKSHA_PHOTO_BUDGET_QUALITY, "  at quality %d, the lowest the budget takes", ph.quality);
	ok(ph.len > RAKSHA_PHOTO_BUDGET && ph.len <= RAKSHA_PHOTO_MAX_BYTES, "  %zu bytes: over the budget, within %u KiB", ph.len,
	   RAKSHA_PHOTO_MAX_BYTES / 1024);
	raksha_photo_free(&ph);
	free(noise.data);
	struct bytes busy = camera_jpeg(RAKSHA_PHOTO_SIDE, RAKSHA_PHOTO_SIDE * 3 / 4, NULL, 0, 16);
	r = raksha_photo_normalise(busy.data, busy.len, &ph, why, sizeof(why));
	is_int(r, 0, "a grainy %d x %d photo of %zu bytes normalised (%s)", RAKSHA_PHOTO_SIDE, RAKSHA_PHOTO_SIDE * 3 / 4, busy.len, why);
	ok(ph.quality < RAKSHA_PHOTO_QUALITY && ph.quality > RAKSHA_PHOTO_BUDGET_QUALITY, "  at quality %d, below %d", ph.quality,
	   RAKSHA_PHOTO_QUALITY);
	ok(ph.len <= RAKSHA_PHOTO_BUDGET, "  %zu bytes, within the budget's %u KiB", ph.len, RAKSHA_PHOTO_BUDGET / 1024);
	raksha_photo_free(&ph);
	free(busy.data);
}

/* A 200 x 100 RGBA PNG: transparent on the left half, opaque blue right. */
static struct bytes alpha_png(void)
{
	struct bytes b = {NULL, 0};
	png_structp png;
	png_infop info;
	png_bytes_begin(&b, &png, &info, 200, 100, PNG_COLOR_TYPE_RGB_ALPHA);
	uint8_t row[200 * 4];
	for (int x = 0; x < 200; x++) {
		memcpy(row + 4 * x, x < 100 ? CAMERA_RED : CAMERA_BLUE, 3);
		row[4 * x + 3] = x < 100 ? 0 : 255;
	}
	for (int y = 0; y < 100; y++)
		png_write_row(png, row);
	png_bytes_end(png, info);
	return b;
}

/* @in normalised (a check named @name) and decoded; its bytes freed. */
static struct rgb normalised(struct bytes in, const char *name)
{
	struct raksha_photo ph;
	char why[256] = "";
	int r = raksha_photo_normalise(in.data, in.len, &ph, why, sizeof(why));
	is_int(r, 0, "%s normalised (%s)", name, why);
	struct rgb d = {0, 0, NULL};
	if (r == 0)
		d = decode(ph.data, ph.len);
	raksha_photo_free(&ph);
	free(in.data);
	return d;
}

static void test_png(void)
{
	static const uint8_t white[3] = {255, 255, 255};
	struct rgb d = normalised(alpha_png(), "a PNG with alpha");
	ok(d.w == 200 && d.h == 100, "  a 200 x 100 JPEG");
	ok(near(&d, 10, 50, white), "  its transparent half white");
	ok(near(&d, 190, 50, CAMERA_BLUE), "  its opaque half blue");
	free(d.px);
}

/* A 200 x 100 greyscale JPEG: black on the left half, white on the right. */
/* Writes @row as every row of the JPEG @c is set up for: its bytes. */
static struct bytes same_rows(struct jpeg_compress_struct *c, const uint8_t *row, unsigned char **out,
			      const unsigned long *n)
{
	jpeg_start_compress(c, TRUE);
	while (c->next_scanline < c->image_height) {
		JSAMPROW r = (JSAMPROW)row;
		jpeg_write_scanlines(c, &r, 1);
	}
	jpeg_finish_compress(c);
	jpeg_destroy_compress(c);
	return (struct bytes){*out, *n};
}

static struct bytes grey_jpeg(void)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	uint8_t row[200];
	jpeg_bytes_begin(&c, &e, &out, &n, 200, 100);
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	for (int x = 0; x < 200; x++)
		row[x] = x < 100 ? 0 : 255;
	return same_rows(&c, row, &out, &n);
}

static void test_grey(void)
{
	static const uint8_t black[3] = {0, 0, 0}, white[3] = {255, 255, 255};
	struct rgb d = normalised(grey_jpeg(), "a greyscale JPEG");
	ok(d.w == 200 && d.h == 100 && near(&d, 10, 50, black) && near(&d, 190, 50, white),
	   "  200 x 100, black and white where they were");
	free(d.px);
}

/* A 200 x 100 JPEG in inks, @space JCS_CMYK or JCS_YCCK: red ink (M and
 * Y) on the left, half black (K) on the right; stored inverted with an
 * Adobe marker, as Adobe's programs write them, if @adobe. */
static struct bytes cmyk_jpeg(J_COLOR_SPACE space, bool adobe)
{
	static const uint8_t red[4] = {0, 255, 255, 0}, half_black[4] = {0, 0, 0, 128};
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	uint8_t row[200 * 4];
	jpeg_bytes_begin(&c, &e, &out, &n, 200, 100);
	c.input_components = 4;
	c.in_color_space = JCS_CMYK;
	jpeg_set_defaults(&c);
	jpeg_set_colorspace(&c, space);
	c.write_Adobe_marker = adobe;
	for (int i = 0; i < 200 * 4; i++) {
		uint8_t ink = (i / 4 < 100 ? red : half_black)[i % 4];
		row[i] = adobe ? (uint8_t)(255 - ink) : ink;
	}
	return same_rows(&c, row, &out, &n);
}

static void cmyk(J_COLOR_SPACE space, bool adobe, const char *name)
{
	static const uint8_t red[3] = {255, 0, 0}, grey[3] = {127, 127, 127};
	struct rgb d = normalised(cmyk_jpeg(space, adobe), name);
	const uint8_t *l = d.px ? d.px + (50 * 200 + 10) * 3 : red, *r = d.px ? d.px + (50 * 200 + 190) * 3 : grey;
	ok(d.w == 200 && d.h == 100 && near(&d, 10, 50, red) && near(&d, 190, 50, grey),
	   "  200 x 100 RGB, red ink red (%d %d %d), half black grey (%d %d %d)", l[0], l[1], l[2], r[0], r[1], r[2]);
	free(d.px);
}

static void test_cmyk(void)
{
	cmyk(JCS_CMYK, true, "an Adobe CMYK JPEG (inverted)");
	cmyk(JCS_YCCK, true, "an Adobe YCCK JPEG");
	cmyk(JCS_CMYK, false, "a CMYK JPEG without an Adobe marker");
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Normalising @in fails with @want, @why containing @words, nothing out. */
static void refused(const uint8_t *in, size_t len, int want, const char *words, const char *name)
{
	struct raksha_photo ph;
	char why[256] = "";
	int r = raksha_photo_normalise(in, len, &ph, why, sizeof(why));
	is_int(r, want, "%s: refused", name);
	ok(strstr(why, words) != NULL, "  saying '%s' (%s)", words, why);
	ok(ph.data == NULL && ph.len == 0, "  nothing made");
}

/* A 16 x 16 JPEG whose frame header claims @w x @h. */
static void claims(unsigned w, unsigned h, const char *words, const char *name)
{
	struct bytes j = camera_jpeg(16, 16, NULL, 0, 0);
	size_t at = 2;
	while (j.data[at + 1] != 0xc0)
		at += 2 + ((size_t)j.data[at + 2] << 8 | j.data[at + 3]);
	uint8_t sides[4] = {(uint8_t)(h >> 8), (uint8_t)h, (uint8_t)(w >> 8), (uint8_t)w};
	memcpy(j.data + at + 5, sides, sizeof(sides));
	refused(j.data, j.len, -EFBIG, words, name);
	free(j.data);
}

static void test_hostile_images(void)
{
	refused((const uint8_t *)"", 0, -EINVAL, "empty", "zero bytes");
	refused((const uint8_t *)"GIF89a....", 10, -EINVAL, "neither JPEG nor PNG", "a GIF");
	uint8_t *big = calloc(RAKSHA_PHOTO_MAX_INPUT + 1, 1);
	memcpy(big, "\xff\xd8\xff", 3);
	refused(big, RAKSHA_PHOTO_MAX_INPUT + 1, -EMSGSIZE, "more than 20 MiB", "20 MiB and a byte");
	free(big);
	struct bytes j = camera_exif_jpeg(64, 64, 1, 0);
	refused(j.data, j.len / 2, -EBADMSG, "JPEG", "a JPEG cut in half");
	free(j.data);
	/* A PNG whose IHDR (its CRC made anew) claims 100000 x 100000. */
	struct bytes p = alpha_png();
	put_u32(p.data + 16, 100000);
	put_u32(p.data + 20, 100000);
	put_u32(p.data + 29, (uint32_t)crc32(0, p.data + 12, 17));
	refused(p.data, p.len, -EFBIG, "100000 x 100000", "a PNG claiming 100000 x 100000");
	free(p.data);
	claims(16385, 16, "16384 a side", "a JPEG claiming 16385 x 16");
	claims(12000, 12000, "128 M in all", "a JPEG claiming 12000 x 12000 (144 M pixels)");
}

/* A 64 x 64 JPEG with EXIF built by @ifd0, @entries, @next, orientation @o. */
static void exif_refused(uint32_t ifd0, uint16_t entries, unsigned o, const char *words, const char *name)
{
	uint8_t exif[64];
	size_t n = camera_exif(exif, o, ifd0, entries, 0);
	struct bytes j = camera_jpeg(64, 64, exif, n, 0);
	refused(j.data, j.len, -EBADMSG, words, name);
	free(j.data);
}

static void test_hostile_exif(void)
{
	exif_refused(0xfffffff0u, 2, 6, "IFD0 beyond the EXIF block", "IFD0 at offset 4294967280");
	exif_refused(60, 2, 6, "IFD0 beyond the EXIF block", "IFD0 one byte from the end");
	exif_refused(8, 0xffff, 6, "run past the EXIF block", "65535 entries in 56 bytes");
	exif_refused(8, 2, 9, "Orientation is not one SHORT of 1-8", "Orientation 9");
	exif_refused(8, 2, 0, "Orientation is not one SHORT of 1-8", "Orientation 0");
	/* An APP1 claiming 65535 bytes in a file of a few hundred. */
	struct bytes j = camera_exif_jpeg(16, 16, 6, 0);
	size_t at = 2;
	while (j.data[at + 1] != 0xe1)
		at += 2 + ((size_t)j.data[at + 2] << 8 | j.data[at + 3]);
	j.data[at + 2] = 0xff;
	j.data[at + 3] = 0xff;
	refused(j.data, j.len, -EBADMSG, "longer than the file", "an APP1 longer than the file");
	free(j.data);
	/* IFD0's next-IFD offset is itself: only IFD0 is read, once. */
	uint8_t exif[64];
	size_t n = camera_exif(exif, 6, 8, 2, 8);
	struct bytes loop = camera_jpeg(64, 32, exif, n, 0);
	upright(loop, 6, 32, 64, 31 - 4, 4, "IFD0 whose next IFD is itself");
	free(loop.data);
}

int main(void)
{
	/* First, while this process's peak memory is small enough to show
	 * what decoding costs. */
	test_fifty_megapixels();
	test_orientations();
	test_quality_falls();
	test_png();
	test_grey();
	test_cmyk();
	test_hostile_images();
	test_hostile_exif();
	return tap_done();
}
