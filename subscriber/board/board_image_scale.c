/* Pixels scaled down (board_image.h): each pixel the average of its box
 * of the photo, transparency over white. */
#include <stdlib.h>

#include "board/board_image.h"

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

/* The sides of @w x @h scaled to fit @side x @side: the longer one @side. */
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
	if (w < *tw || h < *th) {  /* a photo smaller stays its size */
		*tw = w;
		*th = h;
	}
}

uint8_t *board_image_scale(const struct image *img, int side, int *out_w, int *out_h)
{
	int tw, th;
	fit(img->width, img->height, side, &tw, &th);
	uint8_t *rgb = malloc((size_t)tw * (size_t)th * 3);
	if (rgb == NULL)
		return NULL;
	*out_w = tw;
	*out_h = th;
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

