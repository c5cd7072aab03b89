/* make-photo W H ORIENTATION NOISE FILE: writes a camera JPEG
 * (tests/lib/camera_jpeg.h) with EXIF GPS tags and Orientation
 * ORIENTATION, each sample moved by up to NOISE, for the suites that
 * publish a phone's photo. */
#include <stdio.h>
#include <stdlib.h>

#include "tests/lib/camera_jpeg.h"

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: make-photo W H ORIENTATION NOISE FILE\n");
		return 64;
	}
	struct bytes j = camera_exif_jpeg(atoi(argv[1]), atoi(argv[2]), (unsigned)atoi(argv[3]), atoi(argv[4]));
	int r = bytes_write_file(&j, argv[5]);
	free(j.data);
	return r;
}
