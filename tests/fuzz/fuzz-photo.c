/* fuzz-photo: raksha_photo_normalise() (lib/photo.c, lib/photo_exif.c, the
 * board's decoders), on bytes as anyone may give raksha-publish --photo.
 *
 * Oracles: it returns 0 or one of its listed errors; a refusal says why
 * and leaves nothing; a photo made is a baseline JPEG of at most
 * RAKSHA_PHOTO_SIDE a side and RAKSHA_PHOTO_MAX_BYTES, its first
 * marker after SOI libjpeg's JFIF APP0 (no EXIF, ICC or comment), its
 * orientation 1-8, and raksha_photo_is_normal() (lib/photo_normal.c) calls
 * it normal; the input goes through raksha_photo_is_normal() too. The
 * sanitizers catch the rest. */
#include <errno.h>
#include <string.h>

#include <raksha/photo.h>

#include "tests/fuzz/fuzz.h"

static int listed(int r)
{
	return r == 0 || r == -EINVAL || r == -EMSGSIZE || r == -EBADMSG || r == -EFBIG || r == -E2BIG ||
	       r == -ENOMEM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct raksha_photo ph;
	char why[256] = "", normal_why[256];
	(void)raksha_photo_is_normal(data, size, normal_why, sizeof(normal_why));  /* any bytes: the sanitizers judge */
	int r = raksha_photo_normalise(data, size, &ph, why, sizeof(why));
	FUZZ_CHECK(listed(r), "returned %d", r);
	if (r < 0) {
		FUZZ_CHECK(why[0] != '\0' && ph.data == NULL && ph.len == 0, "refused (%d) without a word", r);
		return 0;
	}
	FUZZ_CHECK(ph.width >= 1 && ph.height >= 1 && ph.width <= RAKSHA_PHOTO_SIDE &&
		   ph.height <= RAKSHA_PHOTO_SIDE, "%d x %d", ph.width, ph.height);
	FUZZ_CHECK(ph.len >= 6 && ph.len <= RAKSHA_PHOTO_MAX_BYTES, "%zu bytes", ph.len);
	FUZZ_CHECK(memcmp(ph.data, "\xff\xd8\xff\xe0", 4) == 0, "does not start SOI, APP0");
	FUZZ_CHECK(raksha_photo_is_normal(ph.data, ph.len, normal_why, sizeof(normal_why)), "made, but not normal: %s",
		   normal_why);
	FUZZ_CHECK(ph.orientation >= 1 && ph.orientation <= 8, "orientation %d", ph.orientation);
	raksha_photo_free(&ph);
	return 0;
}
