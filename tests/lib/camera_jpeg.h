/* Photos as a phone's camera writes them, for the photo tests (test-photo,
 * tests/tools/make-photo): JPEGs of four coloured quarters with an EXIF
 * APP1 (Orientation, a GPS IFD), an ICC APP2 and a comment. */
#ifndef RAKSHA_TESTS_CAMERA_JPEG_H
#define RAKSHA_TESTS_CAMERA_JPEG_H

#include <stddef.h>
#include <stdint.h>

#include "tests/lib/image_bytes.h"

/* The quarters: top left, top right, bottom left, bottom right. */
extern const uint8_t CAMERA_RED[3], CAMERA_GREEN[3], CAMERA_BLUE[3], CAMERA_GREY[3];

/* Writes into @b (64 bytes) an APP1's EXIF block, big-endian TIFF: IFD0 at
 * @ifd0 claiming @entries entries, Orientation @o and a GPS IFD pointer,
 * its next-IFD offset @next; the GPS IFD with a latitude. Returns its
 * length. */
size_t camera_exif(uint8_t *b, unsigned o, uint32_t ifd0, uint16_t entries, uint32_t next);

/* A @w x @h JPEG of the quarters with @exif (@exif_len bytes; none if 0),
 * an ICC APP2 and a comment with a GPS position; each sample moved by up
 * to @noise at random, as a sensor does. */
struct bytes camera_jpeg(int w, int h, const uint8_t *exif, size_t exif_len, int noise);

/* Fills @row (@w RGB samples) with row @y of a @w x @h picture. */
typedef void camera_row_fn(uint8_t *row, int w, int h, int y, void *ctx);

/* A @w x @h JPEG of quality @quality whose rows @fill gives, with @exif
 * (@exif_len bytes; none if 0), an ICC APP2 and a comment with a GPS
 * position: camera_jpeg()'s markers for any picture (bench/phone-photo). */
struct bytes camera_jpeg_of(int w, int h, int quality, const uint8_t *exif, size_t exif_len,
			    camera_row_fn *fill, void *ctx);

/* camera_jpeg() with a well-formed EXIF of Orientation @orientation. */
struct bytes camera_exif_jpeg(int w, int h, unsigned orientation, int noise);

#endif
