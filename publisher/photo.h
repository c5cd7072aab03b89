/* Photos made fit to send by libraksha (raksha_photo_normalise(): upright,
 * at most 1024 px, no metadata), as the schema's Photo in JSON: --photo
 * FILE, and the photos a --from file (or --revise's copy) already holds.
 * There is no way to send a file's bytes unchanged: a phone's photo carries
 * the GPS position of whoever took it. */
#ifndef RAKSHA_PUBLISH_PHOTO_H
#define RAKSHA_PUBLISH_PHOTO_H

#include <jansson.h>

#include "publisher/flags.h"

/* Reads @path (at most RAKSHA_PHOTO_MAX_INPUT bytes) for --@flag and
 * returns a new JSON object {media_type, data, sha256}: the photo
 * normalised, always image/jpeg, its size before and after printed on
 * stderr. On failure prints why (naming the flag, file and what is wrong)
 * and sets *@code to EX_NOINPUT, EX_DATAERR or EX_OSERR. */
json_t *photo_load(const char *flag, const char *path, int *code);

/* @n bytes at @b normalised for @what (the words naming the photo: "--photo
 * FILE", "--from FILE: child.photos[0]"), as a new JSON object {media_type,
 * data, sha256}; "raksha-publish: WHAT: N bytes (WAS), sent as a W x H JPEG
 * of M bytes ..." on stderr (@was: why it was not sent as it is, or NULL).
 * On failure prints why, naming @what, and sets *@code to EX_DATAERR or
 * EX_OSERR. */
json_t *photo_normalised(const char *what, const unsigned char *b, size_t n, const char *was, int *code);

/* Each photo @doc holds at a path of @table's F_PHOTO flags: left byte for
 * byte when raksha_photo_is_normal(), else normalised in place (media_type,
 * data and sha256 replaced, its caption kept), after checking that its
 * sha256 is that of its data. @source ("--from FILE: ", or "") goes before
 * the photo's path ("child.photos[1]") in what is said. A photo that is not
 * an object of base64 data is left to the JSON parser to refuse.
 * Returns 0, or EX_DATAERR or EX_OSERR having said why. */
int photo_given(json_t *doc, const struct flag *table, const char *source);

#endif
