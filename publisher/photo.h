/* --photo FILE: a JPEG or PNG made fit to send by libraksha
 * (raksha_photo_normalise(): upright, at most 1600 px, no metadata), and
 * --photo-as-is FILE: one sent unchanged; each as the schema's Photo in
 * JSON. */
#ifndef RAKSHA_PUBLISH_PHOTO_H
#define RAKSHA_PUBLISH_PHOTO_H

#include <stdbool.h>

#include <jansson.h>

/* Reads @path for --@flag and returns a new JSON object {media_type, data,
 * sha256}: unless @as_is, the photo normalised (at most
 * RAKSHA_PHOTO_MAX_INPUT bytes read; always image/jpeg; its size before and
 * after printed on stderr); if @as_is, the file's bytes (at most
 * RAKSHA_PHOTO_MAX_BYTES), the type told by its first bytes. On failure
 * prints why (naming the flag, file and what is wrong) and sets *@code to
 * EX_NOINPUT, EX_DATAERR or EX_OSERR. */
json_t *photo_load(const char *flag, const char *path, bool as_is, int *code);

#endif
