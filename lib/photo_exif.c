/* EXIF Orientation (photo_exif.h). Only IFD0 is read, never a chained IFD
 * or a sub-IFD, so an offset loop has nothing to loop through. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/photo_exif.h"

#define TAG_ORIENTATION 0x0112u
#define TYPE_SHORT 3u
#define MARKER_SOS 0xdau
#define MARKER_EOI 0xd9u
#define MARKER_APP1 0xe1u

/* A TIFF block: the APP1 after "Exif\0\0", in its own byte order. */
struct tiff {
	const uint8_t *b;
	size_t len;
	bool big;  /* "MM": Motorola, big-endian */
};

static unsigned u16(const struct tiff *t, size_t at)
{
	if (t->big)
		return (unsigned)t->b[at] << 8 | t->b[at + 1];
	return (unsigned)t->b[at + 1] << 8 | t->b[at];
}

static uint32_t u32(const struct tiff *t, size_t at)
{
	uint32_t hi = u16(t, t->big ? at : at + 2), lo = u16(t, t->big ? at + 2 : at);
	return hi << 16 | lo;
}

static int bad(char *why, size_t whylen, const char *what, size_t at)
{
	snprintf(why, whylen, "EXIF: %s (offset %zu)", what, at);
	return -EBADMSG;
}

/* The Orientation entry of IFD0, if any, into *@orientation. */
static int read_ifd0(const struct tiff *t, int *orientation, char *why, size_t whylen)
{
	uint32_t ifd = u32(t, 4);
	if (ifd > t->len || t->len - ifd < 2)
		return bad(why, whylen, "IFD0 beyond the EXIF block", ifd);
	unsigned n = u16(t, ifd);
	if ((t->len - ifd - 2) / 12 < n)
		return bad(why, whylen, "IFD0's entries run past the EXIF block", ifd);
	for (unsigned i = 0; i < n; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;
		if (u16(t, e) != TAG_ORIENTATION)
			continue;
		unsigned v = u16(t, e + 8);
		if (u16(t, e + 2) != TYPE_SHORT || u32(t, e + 4) != 1 || v < 1 || v > 8)
			return bad(why, whylen, "Orientation is not one SHORT of 1-8", e);
		*orientation = (int)v;
		return 0;
	}
	return 0;
}

static int read_exif(const uint8_t *seg, size_t len, int *orientation, char *why, size_t whylen)
{
	static const uint8_t name[6] = {'E', 'x', 'i', 'f', 0, 0};
	if (len < sizeof(name) || memcmp(seg, name, sizeof(name)) != 0)
		return 0;  /* another APP1 (XMP): no orientation in it */
	struct tiff t = {seg + sizeof(name), len - sizeof(name), false};
	if (t.len < 8 || !(memcmp(t.b, "II*\0", 4) == 0 || memcmp(t.b, "MM\0*", 4) == 0))
		return bad(why, whylen, "no TIFF header after its name", 0);
	t.big = t.b[0] == 'M';
	return read_ifd0(&t, orientation, why, whylen);
}

int photo_exif_orientation(const uint8_t *data, size_t len, int *orientation, char *why, size_t whylen)
{
	*orientation = 1;
	size_t at = 2;  /* after SOI */
	while (at + 4 <= len) {
		if (data[at] != 0xff) {
			snprintf(why, whylen, "JPEG: byte %zu is not a marker", at);
			return -EBADMSG;
		}
		unsigned marker = data[at + 1];
		if (marker == 0xff) {  /* fill byte */
			at++;
			continue;
		}
		if (marker == MARKER_SOS || marker == MARKER_EOI)
			return 0;
		size_t seg = (size_t)data[at + 2] << 8 | data[at + 3];
		if (seg < 2) {
			snprintf(why, whylen, "JPEG: the segment at byte %zu has a length of %zu, less than 2", at, seg);
			return -EBADMSG;
		}
		if (seg > len - at - 2) {
			snprintf(why, whylen, "JPEG: the segment at byte %zu is longer than the file", at);
			return -EBADMSG;
		}
		if (marker == MARKER_APP1) {
			int r = read_exif(data + at + 4, seg - 2, orientation, why, whylen);
			if (r < 0 || *orientation != 1)
				return r;
		}
		at += 2 + seg;
	}
	return 0;
}
