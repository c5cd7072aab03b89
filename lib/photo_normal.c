/* Whether a photo is already what raksha_photo_normalise() makes
 * (raksha/photo.h), told from its markers alone: nothing is decoded, so a
 * photo sent again (a revision, a dry run fed back) costs a walk over its
 * bytes and keeps every one of them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "raksha/photo.h"

#define MARKER_SOF0 0xc0u
#define MARKER_DHT 0xc4u
#define MARKER_EOI 0xd9u
#define MARKER_SOS 0xdau
#define MARKER_DQT 0xdbu
#define MARKER_APP0 0xe0u
/* The JFIF APP0 libjpeg writes, its length included: "JFIF\0", a version,
 * the density, and a thumbnail of 0 x 0. */
#define JFIF_LEN 16u

struct walk {
	const uint8_t *b;
	size_t len;
	char *why;
	size_t whylen;
	bool frame;  /* SOF0 seen */
};

__attribute__((format(printf, 2, 3))) static bool no(struct walk *w, const char *fmt, ...)
{
	if (w->whylen == 0)
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->why, w->whylen, fmt, ap);
	va_end(ap);
	return false;
}

/* A marker the normaliser never writes, named for a person. */
static bool stray(struct walk *w, unsigned m, size_t at)
{
	bool frame = m > MARKER_SOF0 && m <= 0xcfu && m != MARKER_DHT && m != 0xc8u && m != 0xccu;
	if (m >= MARKER_APP0 && m <= 0xefu)
		return no(w, "an APP%u segment (metadata) at byte %zu", m - MARKER_APP0, at);
	if (m == 0xfeu)
		return no(w, "a comment (COM) at byte %zu", at);
	if (frame)
		return no(w, "a SOF%u frame at byte %zu: not baseline", m - MARKER_SOF0, at);
	return no(w, "a marker FF %02X at byte %zu", m, at);
}

/* libjpeg's JFIF APP0 at @at, @n bytes long: no thumbnail in it. */
static bool jfif(struct walk *w, size_t at, size_t n)
{
	const uint8_t *s = w->b + at;
	if (n == JFIF_LEN && memcmp(s + 4, "JFIF", 5) == 0 && s[16] == 0 && s[17] == 0)
		return true;
	return no(w, "an APP0 at byte %zu that is not a bare JFIF header", at);
}

/* The baseline frame header at @at: 8-bit samples, 1 or 3 components
 * (JFIF's), at most RAKSHA_PHOTO_MAX_SIDE pixels a side. */
static bool sof0(struct walk *w, size_t at, size_t n)
{
	const uint8_t *s = w->b + at;
	if (w->frame)
		return no(w, "a second frame (SOF0) at byte %zu", at);
	w->frame = true;
	if (n < 8 || s[4] != 8 || (s[9] != 1 && s[9] != 3) || n != 8u + 3u * s[9])
		return no(w, "a frame header at byte %zu that is not 8-bit grey or colour", at);
	unsigned h = (unsigned)s[5] << 8 | s[6], wd = (unsigned)s[7] << 8 | s[8];
	if (wd == 0 || h == 0 || wd > RAKSHA_PHOTO_MAX_SIDE || h > RAKSHA_PHOTO_MAX_SIDE)
		return no(w, "%u x %u pixels, not 1 to %d a side", wd, h, RAKSHA_PHOTO_MAX_SIDE);
	return true;
}

/* The segment of marker @m at @at, @n bytes long: one the normaliser writes. */
static bool segment(struct walk *w, unsigned m, size_t at, size_t n)
{
	if (at == 2 && m == MARKER_APP0)
		return jfif(w, at, n);
	if (at == 2)
		return no(w, "no JFIF APP0 at byte 2");
	if (m == MARKER_SOF0)
		return sof0(w, at, n);
	if (m == MARKER_DQT || m == MARKER_DHT)
		return true;
	return stray(w, m, at);
}

/* The entropy-coded data from @at: no marker in it but stuffed 0xFF 00,
 * then EOI as the last two bytes. */
static bool scan(struct walk *w, size_t at)
{
	const uint8_t *p;
	while ((p = memchr(w->b + at, 0xff, w->len - at)) != NULL) {
		at = (size_t)(p - w->b);
		if (at + 1 >= w->len)
			return no(w, "it ends inside its scan");
		unsigned m = w->b[at + 1];
		if (m == MARKER_EOI && at + 2 == w->len)
			return true;
		if (m == MARKER_EOI)
			return no(w, "%zu bytes after its end (EOI at byte %zu)", w->len - at - 2, at);
		if (m != 0)
			return stray(w, m, at);
		at += 2;
	}
	return no(w, "no end (EOI) after its scan");
}

/* The segments from SOI to the one scan (SOS), then the scan. */
static bool segments(struct walk *w)
{
	for (size_t at = 2;;) {
		if (w->len - at < 4 || w->b[at] != 0xff)
			return no(w, "no segment at byte %zu", at);
		unsigned m = w->b[at + 1];
		size_t n = (size_t)w->b[at + 2] << 8 | w->b[at + 3];
		if (n < 2 || n > w->len - at - 2)
			return no(w, "the segment at byte %zu runs past the end", at);
		if (m == MARKER_SOS && at > 2 && !w->frame)
			return no(w, "a scan at byte %zu before any frame", at);
		if (m == MARKER_SOS && at > 2)
			return scan(w, at + 2 + n);
		if (!segment(w, m, at, n))
			return false;
		at += 2 + n;
	}
}

bool raksha_photo_is_normal(const uint8_t *data, size_t len, char *why, size_t whylen)
{
	struct walk w = {data, len, why, whylen, false};
	if (whylen > 0)
		why[0] = '\0';
	if (len < 4 || data[0] != 0xff || data[1] != 0xd8)
		return no(&w, "not a JPEG");
	if (!segments(&w))
		return false;
	if (len > RAKSHA_PHOTO_MAX_BYTES)
		return no(&w, "more than %u KiB", RAKSHA_PHOTO_MAX_BYTES / 1024);
	return true;
}
