/* --photo FILE: a JPEG or PNG, as the schema's Photo in JSON. */
#ifndef RAKSHA_PUBLISH_PHOTO_H
#define RAKSHA_PUBLISH_PHOTO_H

#include <jansson.h>

/* Largest photo accepted: two photos and the rest fit the 2 MiB envelope. */
#define PHOTO_MAX (900u * 1024u)

/* Reads @path and returns a new JSON object {media_type, data, sha256}, the
 * type told by the file's magic bytes. On failure prints why (naming the
 * flag and file) and sets *@code to EX_NOINPUT or EX_DATAERR. */
json_t *photo_load(const char *path, int *code);

#endif
