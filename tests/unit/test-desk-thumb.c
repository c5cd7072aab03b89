/* The desk's thumbnails (subscriber/desk/desk_thumb.c, desk_thumb_cache.c)
 * on photos made here with libjpeg-turbo and libpng: a phone's JPEG with
 * EXIF, an ICC profile and a comment becomes a 96 px JPEG, smaller, of the
 * right sides and colours, with none of those markers; a tall PNG keeps its
 * shape, a small one its size; a PNG whose IHDR claims 60000 x 60000 and a
 * truncated JPEG are refused saying why; the placeholder is a 96 x 96 JPEG;
 * the cache finds what it keeps, evicts the least recently used, and never
 * holds more than its bytes. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "desk/desk_thumb.h"
#include "desk/desk_thumb_cache.h"
#include "tests/lib/image_bytes.h"
#include "tests/lib/tap.h"

/* Whether @len bytes of @data hold "Exif", an EXIF APP1's name. */
static bool has_exif(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++) {
		if (memcmp(data + i, "Exif", 4) == 0)
			return true;
	}
	return false;
}

static const uint8_t RED[3] = {220, 30, 40}, BLUE[3] = {40, 90, 200};

/* A @w x @h JPEG, red on the left half, blue on the right, with an EXIF
 * APP1, an ICC APP2 and a comment, as a phone's camera writes them. */
static struct bytes phone_jpeg(int w, int h)
{
	static const char exif[] = "Exif\0\0MM\0*GPS 23.2599N 77.4126E";
	static const char icc[] = "ICC_PROFILE\0\1\1 a profile";
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	jpeg_bytes_begin(&c, &e, &out, &n, w, h);
	jpeg_start_compress(&c, TRUE);
	jpeg_write_marker(&c, JPEG_APP0 + 1, (const JOCTET *)exif, sizeof(exif));
	jpeg_write_marker(&c, JPEG_APP0 + 2, (const JOCTET *)icc, sizeof(icc));
	jpeg_write_marker(&c, JPEG_COM, (const JOCTET *)"Owner: A. Kumar", 15);
	uint8_t *row = malloc((size_t)w * 3);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < w; x++)
			memcpy(row + 3 * x, x < w / 2 ? RED : BLUE, 3);
		jpeg_write_scanlines(&c, &row, 1);
	}
	free(row);
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	return (struct bytes){out, n};
}

/* A @w x @h RGBA PNG, opaque red. */
static struct bytes red_png(int w, int h)
{
	struct bytes b = {NULL, 0};
	png_structp png;
	png_infop info;
	png_bytes_begin(&b, &png, &info, w, h, PNG_COLOR_TYPE_RGB_ALPHA);
	uint8_t *row = malloc((size_t)w * 4);
	for (int x = 0; x < w; x++) {
		memcpy(row + 4 * x, RED, 3);
		row[4 * x + 3] = 255;
	}
	for (int y = 0; y < h; y++)
		png_write_row(png, row);
	free(row);
	png_bytes_end(png, info);
	return b;
}

/* The markers before the scan, and the decoded sides and first pixels. */
struct seen {
	int w, h, markers;
	bool exif;
	uint8_t left[3], right[3];
};

static bool read_back(const uint8_t *data, size_t len, struct seen *s)
{
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr e;
	*s = (struct seen){0};
	d.err = jpeg_std_error(&e);
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, data, (unsigned long)len);
	jpeg_save_markers(&d, JPEG_COM, 0xffff);
	for (int m = 1; m < 16; m++)
		jpeg_save_markers(&d, JPEG_APP0 + m, 0xffff);
	if (jpeg_read_header(&d, TRUE) != JPEG_HEADER_OK)
		return false;
	for (jpeg_saved_marker_ptr m = d.marker_list; m != NULL; m = m->next)
		s->markers++;
	jpeg_start_decompress(&d);
	s->w = (int)d.output_width;
	s->h = (int)d.output_height;
	uint8_t *row = malloc((size_t)s->w * 3);
	jpeg_read_scanlines(&d, &row, 1);
	memcpy(s->left, row, 3);
	memcpy(s->right, row + (s->w - 1) * 3, 3);
	free(row);
	jpeg_abort_decompress(&d);
	jpeg_destroy_decompress(&d);
	s->exif = has_exif(data, len);
	return true;
}

static bool near(const uint8_t *px, const uint8_t *want)
{
	for (int c = 0; c < 3; c++) {
		if (abs(px[c] - want[c]) > 24)
			return false;
	}
	return true;
}

static void test_phone_jpeg(void)
{
	struct bytes in = phone_jpeg(640, 480);
	uint8_t *out = NULL;
	size_t len = 0;
	char why[256] = "";
	struct seen s;
	ok(has_exif(in.data, in.len), "the phone's JPEG holds EXIF (%zu bytes)", in.len);
	is_int(desk_thumb_make(in.data, in.len, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)), 0,
	       "a 640 x 480 JPEG with EXIF, ICC and a comment: a thumbnail");
	ok(read_back(out, len, &s), "  a JPEG that decodes");
	is_int(s.w, 96, "  96 px wide");
	is_int(s.h, 72, "  72 px high: its shape kept");
	ok(len < in.len, "  smaller than the photo (%zu < %zu bytes)", len, in.len);
	ok(!s.exif, "  no 'Exif' anywhere in its bytes");
	is_int(s.markers, 0, "  no APP1-15 or comment marker at all");
	ok(near(s.left, RED) && near(s.right, BLUE), "  its colours: red on the left, blue on the right");
	free(out);
	free(in.data);
}

static void test_pngs(void)
{
	struct bytes tall = red_png(50, 200), small = red_png(16, 16);
	uint8_t *out = NULL;
	size_t len = 0;
	char why[256] = "";
	struct seen s;
	is_int(desk_thumb_make(tall.data, tall.len, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)), 0,
	       "a 50 x 200 PNG: a thumbnail");
	bool read = read_back(out, len, &s);
	ok(read && s.w == 24 && s.h == 96, "  24 x 96 (got %d x %d)", s.w, s.h);
	ok(near(s.left, RED), "  red");
	free(out);
	out = NULL;
	is_int(desk_thumb_make(small.data, small.len, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)), 0,
	       "a 16 x 16 PNG: a thumbnail");
	read = read_back(out, len, &s);
	ok(read && s.w == 16 && s.h == 16, "  its own size, not blown up (got %d x %d)", s.w, s.h);
	free(out);
	free(tall.data);
	free(small.data);
}

static void test_hostile(void)
{
	struct bytes png = red_png(16, 16), jpeg = phone_jpeg(640, 480);
	uint8_t *out = NULL;
	size_t len = 0;
	char why[256] = "";
	png_bytes_claim(png, 60000, 60000);
	is_int(desk_thumb_make(png.data, png.len, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)), -EFBIG,
	       "a PNG whose IHDR claims 60000 x 60000: -EFBIG");
	ok(strstr(why, "60000 x 60000") != NULL, "  saying so: %s", why);
	ok(out == NULL, "  and nothing made");
	is_int(desk_thumb_make(jpeg.data, 300, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)), -EBADMSG,
	       "a JPEG cut in its headers: -EBADMSG");
	ok(strstr(why, "JPEG") != NULL, "  saying so: %s", why);
	struct bytes cut = red_png(300, 300);
	is_int(desk_thumb_make(cut.data, cut.len / 2, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)), -EBADMSG,
	       "a PNG cut in half: -EBADMSG (%s)", why);
	free(cut.data);
	is_int(desk_thumb_make((const uint8_t *)"GIF89a", 6, DESK_THUMB_SIDE, &out, &len, why, sizeof(why)),
	       -EINVAL, "a GIF: -EINVAL (%s)", why);
	struct seen s;
	is_int(desk_thumb_placeholder(DESK_THUMB_SIDE, &out, &len), 0, "the placeholder");
	bool read = read_back(out, len, &s);
	ok(read && s.w == 96 && s.h == 96, "  a 96 x 96 JPEG (%zu bytes)", len);
	free(out);
	free(png.data);
	free(jpeg.data);
}

static void hash_of(unsigned i, uint8_t hash[DESK_THUMB_HASH_LEN])
{
	memset(hash, 0, DESK_THUMB_HASH_LEN);
	memcpy(hash, &i, sizeof(i));
}

static void test_cache(void)
{
	static struct desk_thumb_cache c;
	uint8_t h[DESK_THUMB_HASH_LEN];
	for (unsigned i = 0; i < DESK_THUMB_CACHE_ENTRIES + 2; i++) {
		hash_of(i, h);
		desk_thumb_cache_put(&c, h, malloc(100), 100);
		if (i == 5) {
			hash_of(0, h);
			desk_thumb_cache_find(&c, h);  /* 0 used again: 1 is the oldest now */
		}
	}
	hash_of(0, h);
	ok(desk_thumb_cache_find(&c, h) != NULL, "the cache keeps what was used lately");
	hash_of(1, h);
	ok(desk_thumb_cache_find(&c, h) == NULL, "  evicts the least recently used when full");
	hash_of(2, h);
	ok(desk_thumb_cache_find(&c, h) == NULL, "  and the next oldest");
	hash_of(DESK_THUMB_CACHE_ENTRIES + 1, h);
	ok(desk_thumb_cache_find(&c, h) != NULL, "  and holds the newest");
	hash_of(99999, h);
	const struct desk_thumb_entry *e = desk_thumb_cache_put(&c, h, NULL, 0);
	ok(e != NULL && e->jpeg == NULL && desk_thumb_cache_find(&c, h) == e, "  remembers a refusal");
	bool bounded = true;
	for (unsigned i = 0; i < 20; i++) {
		hash_of(100000 + i, h);
		desk_thumb_cache_put(&c, h, malloc(1u << 20), 1u << 20);
		bounded = bounded && c.bytes <= DESK_THUMB_CACHE_BYTES;
	}
	ok(bounded, "  never holds more than %u bytes (%zu now)", DESK_THUMB_CACHE_BYTES, c.bytes);
	desk_thumb_cache_free(&c);
}

int main(void)
{
	test_phone_jpeg();
	test_pngs();
	test_hostile();
	test_cache();
	return tap_done();
}
