/* --photo FILE: a JPEG or PNG made fit to send by libraksha
 * (raksha_photo_normalise(): upright, at most 1600 px, no metadata), as the
 * schema's Photo in JSON. There is no way to send a file's bytes unchanged:
 * a phone's photo carries the GPS position of whoever took it. */
#ifndef RAKSHA_PUBLISH_PHOTO_H
#define RAKSHA_PUBLISH_PHOTO_H

#include <jansson.h>

/* Reads @path (at most RAKSHA_PHOTO_MAX_INPUT bytes) for --@flag and
 * returns a new JSON object {media_type, data, sha256}: the photo
 * normalised, always image/jpeg, its size before and after printed on
 * stderr. On failure prints why (naming the flag, file and what is wrong)
 * and sets *@code to EX_NOINPUT, EX_DATAERR or EX_OSERR. */
json_t *photo_load(const char *flag, const char *path, int *code);

#endif
