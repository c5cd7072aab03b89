#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include <raksha/photo.h>

#include "publisher/photo.h"
#include "publisher/publish.h"

static char *base64(const unsigned char *b, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(cap);
	if (s != NULL)
		sodium_bin2base64(s, cap, b, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

static json_t *photo_json(const unsigned char *b, size_t n, const char *type)
{
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(sum, b, n);
	char *data = base64(b, n), *hash = base64(sum, sizeof(sum));
	json_t *j = data && hash ? json_pack("{s:s, s:s, s:s}", "media_type", type, "data", data,
					     "sha256", hash) : NULL;
	free(data);
	free(hash);
	return j;
}

/* The photo @path held, @n bytes at @b, made fit to send
 * (raksha_photo_normalise()), as the schema's Photo; NULL with *@code set
 * if it cannot be. Its size before and after goes to stderr. */
static json_t *photo_check(const char *path, const unsigned char *b, size_t n, int *code)
{
	struct raksha_photo ph;
	char why[256];
	int r = raksha_photo_normalise(b, n, &ph, why, sizeof(why));
	if (r == -ENOMEM) {
		*code = fail(EX_OSERR, "--photo %s: out of memory", path);
		return NULL;
	}
	if (r < 0) {
		*code = fail(EX_DATAERR, "--photo %s: %s", path, why);
		return NULL;
	}
	fprintf(stderr, "raksha-publish: --photo %s: %zu bytes, sent as %d x %d JPEG of %zu bytes "
		"(quality %d, EXIF orientation %d applied, no metadata)\n",
		path, n, ph.width, ph.height, ph.len, ph.quality, ph.orientation);
	json_t *j = photo_json(ph.data, ph.len, "image/jpeg");
	raksha_photo_free(&ph);
	if (j == NULL)
		*code = fail(EX_OSERR, "--photo %s: out of memory", path);
	return j;
}

json_t *photo_load(const char *path, int *code)
{
	FILE *f = fopen(path, "rbe");
	if (f == NULL) {
		*code = fail(EX_NOINPUT, "--photo %s: %s", path, strerror(errno));
		return NULL;
	}
	/* One byte more than the library takes, so that it names a file too large. */
	unsigned char *b = malloc(RAKSHA_PHOTO_MAX_INPUT + 1);
	size_t n = b ? fread(b, 1, RAKSHA_PHOTO_MAX_INPUT + 1, f) : 0;
	int err = b == NULL || ferror(f);
	fclose(f);
	json_t *j = NULL;
	if (err)
		*code = fail(EX_NOINPUT, "--photo %s: cannot read it", path);
	else
		j = photo_check(path, b, n, code);
	free(b);
	return j;
}
