/* The EXIF orientation of a JPEG: how the camera was held, which the
 * pixels do not say. Read from the APP1 "Exif" segment's IFD0 by hand,
 * every offset checked against the segment: it comes from anyone. */
#ifndef RAKSHA_LIB_PHOTO_EXIF_H
#define RAKSHA_LIB_PHOTO_EXIF_H

#include <stddef.h>
#include <stdint.h>

/* The Orientation tag (0x0112) of @len bytes of JPEG into *@orientation:
 * 1-8 as TIFF defines them, 1 when there is no EXIF or no such tag. Only
 * the segments before the first scan are read.
 * Returns 0, or -EBADMSG with @why (@whylen bytes) naming the byte or the
 * offset that is wrong: a segment longer than the file, an IFD or entry
 * beyond its segment, an Orientation outside 1-8. */
int photo_exif_orientation(const uint8_t *data, size_t len, int *orientation, char *why, size_t whylen);

#endif
