/* The photos a document already holds (a --from file, --revise's copy of
 * the last revision): a photo as raksha_photo_normalise() makes it is sent
 * byte for byte, so that a dry run fed back with --from and a revision's
 * earlier photos are the same bytes; any other is normalised here, so that
 * no photo raksha-publish sends carries metadata, whoever prepared it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include <raksha/photo.h>

#include "publisher/photo.h"
#include "publisher/publish.h"

/* @s as padded standard base64 (what the JSON parser takes) into a new
 * buffer of *@n bytes; NULL when it is not (the parser then names the
 * field) or out of memory. */
static unsigned char *unbase64(const char *s, size_t *n)
{
	if (s == NULL)
		return NULL;
	size_t len = strlen(s);
	unsigned char *b = malloc(len / 4 * 3 + 3);
	if (b != NULL && sodium_base642bin(b, len / 4 * 3 + 3, s, len, NULL, n, NULL,
					   sodium_base64_VARIANT_ORIGINAL) == 0)
		return b;
	free(b);
	return NULL;
}

/* Whether @photo's sha256 is the SHA-256 of its @n bytes at @b: a photo
 * about to be replaced is checked as the receivers would have checked it. */
static bool sha256_matches(json_t *photo, const unsigned char *b, size_t n)
{
	unsigned char sum[crypto_hash_sha256_BYTES];
	size_t len = 0;
	unsigned char *given = unbase64(json_string_value(json_object_get(photo, "sha256")), &len);
	crypto_hash_sha256(sum, b, n);
	bool same = given != NULL && len == sizeof(sum) && memcmp(given, sum, sizeof(sum)) == 0;
	free(given);
	return same;
}

/* @photo (@n bytes at @b, not normal for the reason @was) normalised in place. */
static int replace(json_t *photo, const char *what, const unsigned char *b, size_t n, const char *was)
{
	if (!sha256_matches(photo, b, n))
		return fail(EX_DATAERR, "%s: sha256 is not the SHA-256 of data", what);
	int code = 0;
	json_t *made = photo_normalised(what, b, n, was, &code);
	if (made == NULL)
		return code;
	json_object_update(photo, made);
	json_decref(made);
	return 0;
}

static int given_photo(json_t *photo, const char *what)
{
	size_t n = 0;
	unsigned char *b = unbase64(json_string_value(json_object_get(photo, "data")), &n);
	if (b == NULL)
		return 0;
	char was[256];
	int r = 0;
	if (!raksha_photo_is_normal(b, n, was, sizeof(was)))
		r = replace(photo, what, b, n, was);
	free(b);
	return r;
}

int photo_given(json_t *doc, const struct flag *table, const char *source)
{
	for (const struct flag *f = table; f->name != NULL; f++) {
		if (f->type != F_PHOTO)
			continue;
		json_t *list = flags_lookup(doc, f->path), *photo;
		size_t i;
		json_array_foreach(list, i, photo) {
			char what[4200];
			snprintf(what, sizeof(what), "%s%s[%zu]", source, f->path, i);
			int r = given_photo(photo, what);
			if (r != 0)
				return r;
		}
	}
	return 0;
}
