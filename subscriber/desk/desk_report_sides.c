/* A photo's sides as its header says them (JPEG's SOF, PNG's IHDR), for
 * the sent page's "as taken": what the phone took, before it was made fit
 * to send. Reads the header only, every offset checked. */
#include <errno.h>
#include <string.h>

#include "desk/desk_report.h"

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* A start-of-frame marker: C0-CF but DHT (C4), JPG (C8) and DAC (CC). */
static bool is_sof(uint8_t m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int jpeg_sides(const uint8_t *d, size_t len, int *w, int *h)
{
	size_t at = 2;
	while (at + 4 <= len && d[at] == 0xFF) {
		uint8_t m = d[at + 1];
		if (m == 0xFF) {
			at++;  /* fill byte */
			continue;
		}
		if (m == 0xD9 || m == 0xDA)
			break;  /* the image or its end before any frame */
		if (is_sof(m) && at + 9 <= len) {
			*h = (int)be16(d + at + 5);
			*w = (int)be16(d + at + 7);
			return 0;
		}
		at += 2 + be16(d + at + 2);
	}
	return -EBADMSG;
}

int desk_rf_photo_sides(const uint8_t *d, size_t len, int *w, int *h)
{
	static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return jpeg_sides(d, len, w, h);
	if (len < 24 || memcmp(d, png, sizeof(png)) != 0)
		return -EINVAL;
	if (memcmp(d + 12, "IHDR", 4) != 0)
		return -EBADMSG;
	*w = (int)(be16(d + 16) << 16 | be16(d + 18));
	*h = (int)(be16(d + 20) << 16 | be16(d + 22));
	return 0;
}
