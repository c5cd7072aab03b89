/* A child's photo made fit to send: a phone's 4000 x 3000 JPEG of 3-6 MB,
 * its EXIF holding the GPS position of whoever took it, becomes a JPEG of
 * at most 1600 pixels a side, upright, with nothing in it but pixels. The
 * desk, raksha-publish --photo and integrators all send what this makes. */
#ifndef RAKSHA_PHOTO_H
#define RAKSHA_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most bytes of JPEG or PNG taken in: more than any phone's photo. */
#define RAKSHA_PHOTO_MAX_INPUT (20u << 20)
/* The longer side of a photo made here, in pixels: a face stays
 * recognisable (a head and shoulders a few hundred pixels tall) and a
 * phone's photo of a scene is about 118 KiB, under 5 s at 256 kbit/s
 * (docs/benchmarks.md, Issue 19, part 2). */
#define RAKSHA_PHOTO_SIDE 1024
/* The longer side of a photo taken as normal (raksha_photo_is_normal()),
 * in pixels: what publishers before RAKSHA_PHOTO_SIDE made, which
 * receivers keep accepting. */
#define RAKSHA_PHOTO_MAX_SIDE 1600
/* The most bytes of a photo sent: two photos and the rest of a report fit
 * the schema's 2 MiB envelope (docs/schema.md, Photo). */
#define RAKSHA_PHOTO_MAX_BYTES (900u * 1024u)
/* The largest JPEG taken, by what its frame header claims: a 50 M pixel
 * phone's 8160 x 6120, a 12000 x 9000 camera's 108 M pixels. libjpeg
 * scales it down while decoding (to the smallest n/8 of it still at least
 * RAKSHA_PHOTO_SIDE on the longer side), so a baseline JPEG this large
 * takes a few tens of MiB; a progressive one keeps every coefficient (2
 * bytes a sample) and is refused past RAKSHA_PHOTO_JPEG_MEMORY. */
#define RAKSHA_PHOTO_JPEG_MAX_SIDE 16384u
#define RAKSHA_PHOTO_JPEG_MAX_PIXELS (128u << 20)
/* libjpeg's memory for one photo: a 50 M pixel progressive JPEG of a
 * phone (4:2:0) needs 143 MiB of coefficients. */
#define RAKSHA_PHOTO_JPEG_MEMORY (160L << 20)
/* The largest PNG taken: a PNG has no scaling while decoding, so it is
 * decoded whole, 4 bytes a pixel (64 MiB at this bound). */
#define RAKSHA_PHOTO_PNG_MAX_SIDE 8192u
#define RAKSHA_PHOTO_PNG_MAX_PIXELS (16u << 20)
/* The JPEG quality tried first, and the lowest tried, in steps of 10. */
#define RAKSHA_PHOTO_QUALITY 85
#define RAKSHA_PHOTO_QUALITY_MIN 45
/* The bytes a photo made here aims at, and the lowest quality tried for
 * them: a busy scene, over the budget at RAKSHA_PHOTO_QUALITY, falls to
 * 75 or 65 and still crosses a 256 kbit/s link in under 5 s (128 KiB is
 * 4.1 s of the wire; docs/benchmarks.md, Issue 19, part 2); below 65 a
 * face's features blur, so lower qualities are only for
 * RAKSHA_PHOTO_MAX_BYTES. */
#define RAKSHA_PHOTO_BUDGET (128u * 1024u)
#define RAKSHA_PHOTO_BUDGET_QUALITY 65

/* A photo made by raksha_photo_normalise(). */
struct raksha_photo {
	uint8_t *data;  /* the baseline JPEG (malloc'd; raksha_photo_free()) */
	size_t len;
	int width, height;  /* its sides, upright */
	int orientation;    /* the input's EXIF orientation, 1-8 (1: none) */
	int quality;        /* the JPEG quality it was encoded at */
};

/* Decodes @len bytes of JPEG or PNG (told by their first bytes), turns it
 * upright by its EXIF Orientation, scales it to at most
 * RAKSHA_PHOTO_SIDE pixels on the longer side (box averaging; a
 * smaller photo keeps its size), flattens transparency on white, and
 * encodes it as a baseline JPEG with no metadata (no EXIF, ICC profile nor
 * comment; libjpeg's JFIF header only), at RAKSHA_PHOTO_QUALITY, lower in
 * steps of 10 while it is over RAKSHA_PHOTO_BUDGET (down to
 * RAKSHA_PHOTO_BUDGET_QUALITY) or over RAKSHA_PHOTO_MAX_BYTES (down to
 * RAKSHA_PHOTO_QUALITY_MIN). Sizes are checked
 * from the headers before any pixel is decoded. The caller computes the
 * SHA-256 of @out->data. On failure @why (@whylen bytes) says what is
 * wrong, naming the sides, byte or offset, and @out is empty.
 * Returns 0, or:
 *   -EINVAL    empty, or neither JPEG nor PNG
 *   -EMSGSIZE  more than RAKSHA_PHOTO_MAX_INPUT bytes
 *   -EBADMSG   damaged or truncated, or its EXIF is (an offset out of range,
 *              an Orientation outside 1-8)
 *   -EFBIG     its header claims more than RAKSHA_PHOTO_JPEG_MAX_SIDE
 *              pixels a side or RAKSHA_PHOTO_JPEG_MAX_PIXELS in all (a
 *              JPEG), RAKSHA_PHOTO_PNG_MAX_SIDE or _PNG_MAX_PIXELS (a PNG),
 *              or a JPEG needs more than RAKSHA_PHOTO_JPEG_MEMORY to decode
 *              or has more than 100 scans (a decompression bomb)
 *   -E2BIG     still over RAKSHA_PHOTO_MAX_BYTES at RAKSHA_PHOTO_QUALITY_MIN
 *   -ENOMEM    out of memory */
int raksha_photo_normalise(const uint8_t *data, size_t len, struct raksha_photo *out, char *why,
			   size_t whylen);

/* Whether @len bytes are a photo as raksha_photo_normalise() makes it, so
 * that it can be sent byte for byte as it is (a photo sent before, passed
 * again in a revision or a JSON document): a JPEG of at most
 * RAKSHA_PHOTO_MAX_BYTES whose markers are, in order, SOI, one APP0 JFIF
 * header without a thumbnail (16 bytes), DQT, DHT and one SOF0 (baseline,
 * 8-bit, 1 or 3 components, 1 to RAKSHA_PHOTO_MAX_SIDE pixels a side) in
 * any order, one SOS, its entropy-coded data with no marker in it (no
 * restart interval), and EOI as the last two bytes. Nothing else: no EXIF
 * or XMP (APP1), ICC profile (APP2), other APPn, comment, progressive or
 * other frame, second scan, or bytes after EOI. Only the markers are read,
 * never the pixels: a damaged scan is not found here (receivers decode
 * within their own limits). @why (@whylen bytes; nothing written when
 * @whylen is 0) says what is not normal, naming the marker and its byte.
 * Returns true when the photo is normal, false otherwise (a PNG, anything
 * not a JPEG, fewer than 4 bytes). */
bool raksha_photo_is_normal(const uint8_t *data, size_t len, char *why, size_t whylen);

/* Frees @photo's data and empties it. */
void raksha_photo_free(struct raksha_photo *photo);

#ifdef __cplusplus
}
#endif

#endif
