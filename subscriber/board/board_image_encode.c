/* Pixels to a baseline JPEG (board_image.h): libjpeg writes no marker but
 * its own JFIF header, so nothing of the photo's origin goes with it. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

#include "board/board_image.h"

struct encode_failure {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
};

/* libjpeg's default would exit the process; only this photo fails. */
static void encode_failed(j_common_ptr cinfo)
{
	longjmp(((struct encode_failure *)cinfo->err)->back, 1);
}

int board_image_encode(const uint8_t *rgb, int w, int h, int quality, uint8_t **out, size_t *out_len)
{
	struct jpeg_compress_struct cinfo;
	struct encode_failure f;
	unsigned char *volatile buf = NULL;
	unsigned long size = 0;
	cinfo.err = jpeg_std_error(&f.mgr);
	f.mgr.error_exit = encode_failed;
	if (setjmp(f.back)) {
		jpeg_destroy_compress(&cinfo);
		free(buf);
		return -ENOMEM;
	}
	jpeg_create_compress(&cinfo);
	jpeg_mem_dest(&cinfo, (unsigned char **)&buf, &size);
	cinfo.image_width = (JDIMENSION)w;
	cinfo.image_height = (JDIMENSION)h;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, quality, TRUE);
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		JSAMPROW row = (JSAMPROW)(rgb + (size_t)cinfo.next_scanline * (size_t)w * 3);
		jpeg_write_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	*out = buf;
	*out_len = size;
	return 0;
}
