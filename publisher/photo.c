#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include "publisher/photo.h"
#include "publisher/publish.h"

static const char *media_type(const unsigned char *b, size_t n)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return "image/jpeg";
	if (n >= sizeof(png) && memcmp(b, png, sizeof(png)) == 0)
		return "image/png";
	return NULL;
}

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

/* The photo @path held, @n bytes at @b, as the schema's Photo; NULL with
 * *@code set if it is not one. */
static json_t *photo_check(const char *path, const unsigned char *b, size_t n, int *code)
{
	if (n > PHOTO_MAX) {
		*code = fail(EX_DATAERR, "--photo %s: larger than %u KiB; send a smaller photo",
			     path, PHOTO_MAX / 1024);
		return NULL;
	}
	const char *type = media_type(b, n);
	if (type == NULL) {
		*code = fail(EX_DATAERR, "--photo %s: not a JPEG or PNG (it starts with %02x %02x %02x)",
			     path, n > 0 ? b[0] : 0, n > 1 ? b[1] : 0, n > 2 ? b[2] : 0);
		return NULL;
	}
	json_t *j = photo_json(b, n, type);
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
	unsigned char *b = malloc(PHOTO_MAX + 1);
	size_t n = b ? fread(b, 1, PHOTO_MAX + 1, f) : 0;
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
