/* phone-photo W H GRAIN SEED FILE: a JPEG as a phone's camera writes one
 * (quality 92, 4:2:0, an EXIF APP1 with GPS and Orientation 6, an ICC
 * APP2, a comment), for bench/slowlink.sh. tests/tools/make-photo's four
 * flat quarters with white noise are a test's picture: after scaling down
 * the noise averages out and what is left compresses far better or worse
 * than a scene, by its noise. This one is a scene's statistics instead:
 * fractal value noise (the falling spectrum of natural images) with
 * edges, colours that vary together, and a sensor's grain of up to GRAIN
 * on each sample. At 4000 x 3000 a GRAIN of 10 gives 3.4 MB, a 12 M pixel
 * phone's photo, which raksha_photo_normalise() makes a 768 x 1024 JPEG
 * of about 120 KB (1.2 bits a pixel, as photos of scenes are). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/lib/camera_jpeg.h"

/* Octaves from 2 cells a side to 2048 (2 pixels at 4000 wide); each
 * 0.75 of the last, and the scene's light through tanh(): edges, as a
 * scene has, which cost JPEG bytes at every size. */
#define OCTAVES 11
#define DECAY 0.75f
#define EDGE 60.0f

static float lattice[OCTAVES][4][65][65];

/* One octave's smooth noise at (@x, @y) in [0, 1): the lattice of octave
 * @o (2^(o+1) cells a side) interpolated bilinearly. */
static float octave(int o, int ch, float x, float y)
{
	int cells = 2 << o;
	if (cells > 64)
		cells = 64;
	float fx = x * (float)cells, fy = y * (float)cells;
	int ix = (int)fx, iy = (int)fy;
	float tx = fx - (float)ix, ty = fy - (float)iy;
	float a = lattice[o][ch][iy][ix] * (1 - tx) + lattice[o][ch][iy][ix + 1] * tx;
	float b = lattice[o][ch][iy + 1][ix] * (1 - tx) + lattice[o][ch][iy + 1][ix + 1] * tx;
	return a * (1 - ty) + b * ty;
}

/* Octaves past the lattice's 64 cells repeat it at a finer pitch. */
static float scene(int ch, float x, float y)
{
	float v = 0, amp = 80;
	for (int o = 0; o < OCTAVES; o++) {
		float scale = o < 5 ? 1.0f : (float)(1 << (o - 5));
		float sx = x * scale - (float)(int)(x * scale), sy = y * scale - (float)(int)(y * scale);
		v += amp * octave(o, ch, sx, sy);
		amp *= DECAY;
	}
	return v;
}

static uint8_t sample(float v, int grain)
{
	int s = (int)v + (grain ? rand() % (2 * grain + 1) - grain : 0);
	if (s < 0)
		s = 0;
	if (s > 255)
		s = 255;
	return (uint8_t)s;
}

/* Row @y of the scene, with the sensor's grain of up to *@ctx. */
static void fill_row(uint8_t *row, int w, int h, int y, void *ctx)
{
	int grain = *(int *)ctx;
	for (int x = 0; x < w; x++) {
		float fx = (float)x / (float)w, fy = (float)y / (float)h;
		float luma = 128 + EDGE * tanhf(scene(0, fx, fy) / 25.0f) + 0.5f * scene(3, fx, fy);
		row[3 * x] = sample(luma + 0.4f * scene(1, fx, fy), grain);
		row[3 * x + 1] = sample(luma, grain);
		row[3 * x + 2] = sample(luma + 0.4f * scene(2, fx, fy), grain);
	}
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: phone-photo W H GRAIN SEED FILE\n");
		return 64;
	}
	srand((unsigned)atoi(argv[4]));
	for (int o = 0; o < OCTAVES; o++)
		for (int ch = 0; ch < 4; ch++)
			for (int i = 0; i < 65 * 65; i++)
				lattice[o][ch][i / 65][i % 65] = (float)rand() / (float)RAND_MAX - 0.5f;
	/* A phone's quality, its EXIF saying "turn right" (Orientation 6). */
	uint8_t exif[64];
	size_t exif_len = camera_exif(exif, 6, 8, 2, 0);
	int grain = atoi(argv[3]);
	struct bytes j = camera_jpeg_of(atoi(argv[1]), atoi(argv[2]), 92, exif, exif_len, fill_row, &grain);
	int r = bytes_write_file(&j, argv[5]);
	free(j.data);
	return r;
}
