/* raksha_photo_is_normal() (lib/photo_normal.c): what raksha_photo_normalise()
 * makes is normal, and so is libjpeg's plain baseline output at 1600 px;
 * that output with an EXIF APP1, a comment or an ICC APP2 spliced in, a
 * thumbnail in its JFIF header, bytes after its end, its end cut off or
 * 900 KiB of tables is not, nor a progressive (SOF2) JPEG, a
 * 1601 px one, a camera's JPEG, a PNG or nothing; each refusal names the
 * marker (or the sides) and its byte. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include <raksha/photo.h>

#include "tests/lib/camera_jpeg.h"
#include "tests/lib/image_bytes.h"
#include "tests/lib/tap.h"

/* A @w x @h grey-blue RGB JPEG as libjpeg writes it by default (baseline,
 * JFIF APP0 only), or progressive. */
static struct bytes plain_jpeg(int w, int h, bool progressive)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	jpeg_bytes_begin(&c, &e, &out, &n, w, h);
	if (progressive)
		jpeg_simple_progression(&c);
	uint8_t *row = malloc((size_t)w * 3);
	for (int x = 0; x < w; x++)
		memcpy(row + 3 * x, x % 2 ? CAMERA_BLUE : CAMERA_GREY, 3);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW r = (JSAMPROW)row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	return (struct bytes){out, n};
}

/* @in with @n bytes of @seg put at byte @at. */
static struct bytes spliced(struct bytes in, size_t at, const void *seg, size_t n)
{
	struct bytes b = {malloc(in.len + n), in.len + n};
	memcpy(b.data, in.data, at);
	memcpy(b.data + at, seg, n);
	memcpy(b.data + at + n, in.data + at, in.len - at);
	return b;
}

/* @b is not normal, and says @words; @b freed. */
static void not_normal(struct bytes b, const char *words, const char *name)
{
	char why[256] = "";
	ok(!raksha_photo_is_normal(b.data, b.len, why, sizeof(why)), "%s: not normal", name);
	ok(strstr(why, words) != NULL, "  says '%s' (%s)", words, why);
	free(b.data);
}

static struct bytes normalised(void)
{
	struct bytes cam = camera_exif_jpeg(800, 600, 6, 0);
	struct raksha_photo ph;
	char why[256] = "";
	int r = raksha_photo_normalise(cam.data, cam.len, &ph, why, sizeof(why));
	is_int(r, 0, "a camera JPEG with EXIF normalised (%s)", why);
	not_normal(cam, "APP1 segment (metadata) at byte", "the camera's JPEG, its EXIF in an APP1");
	return (struct bytes){ph.data, ph.len};
}

static void test_normal(struct bytes n)
{
	char why[256] = "x";
	ok(raksha_photo_is_normal(n.data, n.len, why, sizeof(why)), "raksha_photo_normalise()'s output is normal");
	is_str(why, "", "  and why is left empty");
	ok(raksha_photo_is_normal(n.data, n.len, NULL, 0), "  with no why buffer too");
	struct bytes edge = plain_jpeg(1600, 8, false);
	ok(raksha_photo_is_normal(edge.data, edge.len, why, sizeof(why)),
	   "libjpeg's own baseline 1600 x 8 JPEG is normal (%s)", why);
	free(edge.data);
	/* What publishers made before RAKSHA_PHOTO_SIDE: receivers keep it. */
	struct bytes old = plain_jpeg(1200, 1600, false);
	ok(raksha_photo_is_normal(old.data, old.len, why, sizeof(why)),
	   "a 1200 x 1600 photo from a publisher before RAKSHA_PHOTO_SIDE is normal (%s)", why);
	free(old.data);
}

static void test_markers(struct bytes n)
{
	static const uint8_t exif[] = {0xff, 0xe1, 0, 16, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8};
	static const uint8_t com[] = {0xff, 0xfe, 0, 9, 'G', 'P', 'S', ' ', '2', '3', 'N'};
	static const uint8_t icc[] = {0xff, 0xe2, 0, 14, 'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0};
	/* SOI and libjpeg's 16-byte JFIF APP0 come first: byte 20 is after them. */
	not_normal(spliced(n, 20, exif, sizeof(exif)), "an APP1 segment (metadata) at byte 20", "an APP1 Exif spliced in");
	not_normal(spliced(n, 20, com, sizeof(com)), "a comment (COM) at byte 20", "a COM spliced in");
	not_normal(spliced(n, 20, icc, sizeof(icc)), "an APP2 segment (metadata) at byte 20", "an APP2 ICC profile spliced in");
	not_normal(spliced(n, 2, exif, sizeof(exif)), "no JFIF APP0 at byte 2", "an APP1 before the JFIF APP0");
	not_normal(spliced(n, n.len, "PK\3\4", 4), "4 bytes after its end", "bytes after EOI");
	struct bytes thumb = spliced(n, 0, "", 0);
	thumb.data[18] = 1;  /* the JFIF header's thumbnail width */
	not_normal(thumb, "an APP0 at byte 2 that is not a bare JFIF header", "a JFIF APP0 claiming a thumbnail");
	/* 15 tables of 64 KiB: every marker one the normaliser writes, but too many bytes. */
	uint8_t *dqt = calloc(15, 65537);
	for (size_t i = 0; i < 15; i++)
		memcpy(dqt + i * 65537, "\xff\xdb\xff\xff", 4);
	not_normal(spliced(n, 20, dqt, 15 * 65537), "more than 900 KiB", "a JPEG of 983 KB, its markers all normal");
	free(dqt);
	struct bytes cut = {malloc(n.len - 2), n.len - 2};
	memcpy(cut.data, n.data, cut.len);
	not_normal(cut, "no end (EOI)", "its EOI cut off");
}

static void test_frames(void)
{
	not_normal(plain_jpeg(64, 48, true), "a SOF2 frame at byte", "a progressive JPEG");
	not_normal(plain_jpeg(1601, 8, false), "1601 x 8 pixels, not 1 to 1600 a side", "1601 px wide");
	not_normal(plain_jpeg(8, 1601, false), "8 x 1601 pixels", "1601 px high");
}

static void test_not_jpeg(void)
{
	static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
	char why[256] = "";
	ok(!raksha_photo_is_normal(png, sizeof(png), why, sizeof(why)), "a PNG is not normal");
	is_str(why, "not a JPEG", "  says so");
	ok(!raksha_photo_is_normal(NULL, 0, why, sizeof(why)), "no bytes are not normal");
	ok(!raksha_photo_is_normal(png, 3, NULL, 0), "3 bytes are not normal");
}

int main(void)
{
	struct bytes n = normalised();
	test_normal(n);
	test_markers(n);
	test_frames();
	test_not_jpeg();
	free(n.data);
	return tap_done();
}
