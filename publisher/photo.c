#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include <raksha/photo.h>

#include "common/text.h"
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

static json_t *photo_json(const unsigned char *b, size_t n)
{
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(sum, b, n);
	char *data = base64(b, n), *hash = base64(sum, sizeof(sum));
	json_t *j = data && hash ? json_pack("{s:s, s:s, s:s}", "media_type", "image/jpeg", "data", data,
					     "sha256", hash) : NULL;
	free(data);
	free(hash);
	return j;
}

/* "raksha-publish: WHAT: N bytes (WAS), sent as ...", escaped. */
static void say_normalised(const char *what, size_t n, const char *was, const struct raksha_photo *ph)
{
	char where[4200], why[300] = "", shown[256];
	text_escape(what, where, sizeof(where));
	if (was != NULL) {
		text_escape(was, shown, sizeof(shown));
		snprintf(why, sizeof(why), " (%s)", shown);
	}
	fprintf(stderr, "raksha-publish: %s: %zu bytes%s, sent as a %d x %d JPEG of %zu bytes "
		"(quality %d, upright, no metadata)\n", where, n, why, ph->width, ph->height, ph->len, ph->quality);
}

json_t *photo_normalised(const char *what, const unsigned char *b, size_t n, const char *was, int *code)
{
	struct raksha_photo ph;
	char why[256], shown[512];
	int r = raksha_photo_normalise(b, n, &ph, why, sizeof(why));
	if (r == -ENOMEM) {
		*code = fail(EX_OSERR, "%s: out of memory", what);
		return NULL;
	}
	if (r < 0) {
		text_escape(why, shown, sizeof(shown));
		*code = fail(EX_DATAERR, "%s: %s", what, shown);
		return NULL;
	}
	say_normalised(what, n, was, &ph);
	json_t *j = photo_json(ph.data, ph.len);
	raksha_photo_free(&ph);
	if (j == NULL)
		*code = fail(EX_OSERR, "%s: out of memory", what);
	return j;
}

json_t *photo_load(const char *flag, const char *path, int *code)
{
	FILE *f = fopen(path, "rbe");
	if (f == NULL) {
		*code = fail(EX_NOINPUT, "--%s %s: %s", flag, path, strerror(errno));
		return NULL;
	}
	/* One byte more than it takes, so that a file too large is named. */
	unsigned char *b = malloc(RAKSHA_PHOTO_MAX_INPUT + 1);
	size_t n = b ? fread(b, 1, RAKSHA_PHOTO_MAX_INPUT + 1, f) : 0;
	int err = b == NULL || ferror(f);
	fclose(f);
	json_t *j = NULL;
	char what[4200];
	snprintf(what, sizeof(what), "--%s %s", flag, path);
	if (err)
		*code = fail(EX_NOINPUT, "%s: cannot read it", what);
	else
		j = photo_normalised(what, b, n, NULL, code);
	free(b);
	return j;
}
