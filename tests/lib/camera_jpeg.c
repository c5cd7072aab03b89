/* Camera photos made for the photo tests (camera_jpeg.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "tests/lib/camera_jpeg.h"

const uint8_t CAMERA_RED[3] = {230, 20, 30}, CAMERA_GREEN[3] = {20, 200, 40}, CAMERA_BLUE[3] = {30, 60, 220},
	      CAMERA_GREY[3] = {128, 128, 128};

/* An EXIF block, big-endian TIFF: IFD0 with Orientation @o and a GPS IFD
 * pointer, its next-IFD offset @next; the GPS IFD with a latitude. */
size_t camera_exif(uint8_t *b, unsigned o, uint32_t ifd0, uint16_t entries, uint32_t next)
{
	static const uint8_t head[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42};
	static const uint8_t gps[] = {0, 1, 0, 2, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0, 0, 0, 0, 0};
	memset(b, 0, 64);
	memcpy(b, head, sizeof(head));
	uint8_t *t = b + 6;
	t[4] = (uint8_t)(ifd0 >> 24);
	t[5] = (uint8_t)(ifd0 >> 16);
	t[6] = (uint8_t)(ifd0 >> 8);
	t[7] = (uint8_t)ifd0;
	uint8_t ifd[] = {(uint8_t)(entries >> 8), (uint8_t)entries,
			 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (uint8_t)o, 0, 0,    /* Orientation SHORT */
			 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38,           /* GPSInfo at 38 */
			 (uint8_t)(next >> 24), (uint8_t)(next >> 16), (uint8_t)(next >> 8), (uint8_t)next};
	memcpy(t + 8, ifd, sizeof(ifd));
	memcpy(t + 38, gps, sizeof(gps));
	return 6 + 38 + sizeof(gps);
}

/* The colour of (x, y) of the test picture: red, green, blue and grey
 * quarters (top left, top right, bottom left, bottom right), each sample
 * moved by up to @noise at random, as a camera's sensor does. */
static const uint8_t *colour(int x, int y, int w, int h, int noise, uint8_t px[3])
{
	const uint8_t *base = x < w / 2 ? CAMERA_BLUE : CAMERA_GREY;
	if (y < h / 2)
		base = x < w / 2 ? CAMERA_RED : CAMERA_GREEN;
	if (noise == 0)  /* 50 M pixels are made quickly */
		return base;
	for (int c = 0; c < 3; c++) {
		int v = base[c] + rand() % (2 * noise + 1) - noise;
		if (v < 0)
			v = 0;
		if (v > 255)
			v = 255;
		px[c] = (uint8_t)v;
	}
	return px;
}

struct bytes camera_jpeg_of(int w, int h, int quality, const uint8_t *exif, size_t exif_len,
			    camera_row_fn *fill, void *ctx)
{
	static const char icc[] = "ICC_PROFILE\0\1\1 a profile";
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	jpeg_bytes_begin(&c, &e, &out, &n, w, h);
	jpeg_set_quality(&c, quality, TRUE);
	jpeg_start_compress(&c, TRUE);
	if (exif_len > 0)
		jpeg_write_marker(&c, JPEG_APP0 + 1, exif, (unsigned)exif_len);
	jpeg_write_marker(&c, JPEG_APP0 + 2, (const JOCTET *)icc, sizeof(icc));
	jpeg_write_marker(&c, JPEG_COM, (const JOCTET *)"GPS 23.2599N 77.4126E", 21);
	uint8_t *row = malloc((size_t)w * 3);
	while (c.next_scanline < c.image_height) {
		fill(row, w, h, (int)c.next_scanline, ctx);
		jpeg_write_scanlines(&c, &row, 1);
	}
	free(row);
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	return (struct bytes){out, n};
}

/* The quarters' row @y, each sample moved by up to *@ctx (the noise). */
static void quarters_row(uint8_t *row, int w, int h, int y, void *ctx)
{
	uint8_t px[3];
	for (int x = 0; x < w; x++)
		memcpy(row + 3 * x, colour(x, y, w, h, *(int *)ctx, px), 3);
}

struct bytes camera_jpeg(int w, int h, const uint8_t *exif, size_t exif_len, int noise)
{
	return camera_jpeg_of(w, h, 95, exif, exif_len, quarters_row, &noise);
}

struct bytes camera_exif_jpeg(int w, int h, unsigned orientation, int noise)
{
	uint8_t exif[64];
	size_t n = camera_exif(exif, orientation, 8, 2, 0);
	return camera_jpeg(w, h, exif, n, noise);
}

