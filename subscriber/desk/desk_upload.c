#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "desk/desk_form.h"
#include "desk/desk_upload.h"

bool desk_upload_is_multipart(struct MHD_Connection *conn)
{
	const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	return type != NULL && strncasecmp(type, "multipart/form-data", 19) == 0;
}

uint64_t desk_upload_length(struct MHD_Connection *conn)
{
	const char *n = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return n != NULL ? strtoull(n, NULL, 10) : 0;
}

/* The bytes a buffer holding @n has: a power of two, so that a photo
 * coming in 64 KiB pieces is copied a few times, not once a piece (as
 * realloc() does where it cannot grow in place: under ASan, always). */
static size_t room(size_t n)
{
	size_t c = 64;
	while (c < n)
		c *= 2;
	return c;
}

/* Appends @size bytes to *@buf (*@len long), at most @max in all. */
static int append(uint8_t **buf, size_t *len, const char *data, size_t size, size_t max)
{
	if (*len + size > max)
		return -EFBIG;
	uint8_t *more = *buf;
	if (more == NULL || *len == 0 || room(*len + 1) < *len + size + 1)  /* an empty one may be smaller */
		more = realloc(*buf, room(*len + size + 1));
	if (more == NULL)
		return -ENOMEM;
	memcpy(more + *len, data, size);
	*len += size;
	more[*len] = '\0';
	*buf = more;
	return 0;
}

/* libmicrohttpd calls once for each value before its bytes have come, with
 * 0 bytes at offset 0; the bytes then come at offset 0 again. So a value is
 * new at offset 0 unless it is the last one's, still empty, of its name. */
static bool same_value(const char *last_key, size_t last_len, const char *key, uint64_t off)
{
	return off > 0 || (last_key != NULL && last_len == 0 && strcmp(last_key, key) == 0);
}

static struct desk_upload_file *file_part(struct desk_upload *u, const char *key, uint64_t off)
{
	struct desk_upload_file *last = u->n_files > 0 ? &u->files[u->n_files - 1] : NULL;
	if (last != NULL && same_value(last->field, last->len, key, off))
		return u->skipping ? NULL : last;
	if (off > 0)
		return NULL;
	u->skipping = u->n_files == DESK_UPLOAD_FILES;
	if (u->skipping) {
		u->too_many = true;
		return NULL;
	}
	struct desk_upload_file *f = &u->files[u->n_files];
	u->n_files++;
	strncpy(f->field, key, sizeof(f->field) - 1);
	return f;
}

static void take_file(struct desk_upload *u, const char *key, const char *data, uint64_t off, size_t size)
{
	struct desk_upload_file *f = file_part(u, key, off);
	if (f == NULL || f->too_big)
		return;
	if (append(&f->data, &f->len, data, size, DESK_PHOTO_IN_MAX) < 0) {
		f->too_big = true;  /* what came is dropped; the rest is read past */
		free(f->data);
		f->data = NULL;
	}
}

static void take_field(struct desk_upload *u, const char *key, const char *data, uint64_t off, size_t size)
{
	bool more = u->n > 0 && same_value(u->names[u->n - 1], u->lens[u->n - 1], key, off);
	if (!more && off == 0) {
		u->skipping = u->n == DESK_UPLOAD_FIELDS;
		if (u->skipping) {
			u->too_many = true;
			return;
		}
		u->names[u->n] = strdup(key);
		u->values[u->n] = calloc(1, 1);
		u->n++;
	}
	if (u->skipping || u->n == 0)
		return;
	size_t i = u->n - 1;
	if (u->names[i] == NULL || u->values[i] == NULL ||
	    append((uint8_t **)&u->values[i], &u->lens[i], data, size, DESK_UPLOAD_VALUE_MAX) < 0)
		u->too_many = true;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data,
			       uint64_t off, size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct desk_upload *u = cls;
	if (filename == NULL)
		take_field(u, key, data, off, size);
	else if (filename[0] != '\0' && (size > 0 || off == 0))
		take_file(u, key, data, off, size);  /* a file input left empty sends filename="" */
	return MHD_YES;
}

struct desk_upload *desk_upload_new(struct MHD_Connection *conn)
{
	struct desk_upload *u = calloc(1, sizeof(*u));
	if (u == NULL)
		return NULL;
	u->pp = MHD_create_post_processor(conn, 65536, on_part, u);
	if (u->pp == NULL) {
		free(u);
		return NULL;
	}
	return u;
}

int desk_upload_feed(struct desk_upload *u, const char *data, size_t len)
{
	return MHD_post_process(u->pp, data, len) == MHD_YES ? 0 : -EINVAL;
}

const char *desk_upload_get(const struct desk_upload *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->names[i] != NULL && strcmp(u->names[i], name) == 0)
			return u->values[i];
	return NULL;
}

bool desk_upload_field(const struct desk_upload *u, const char *body, const char *name, char *out,
		       size_t size)
{
	if (u == NULL)
		return desk_form_get(body, name, out, size);
	const char *v = desk_upload_get(u, name);
	if (v == NULL || strlen(v) >= size)
		return false;
	memcpy(out, v, strlen(v) + 1);
	return true;
}

void desk_upload_free(struct desk_upload *u)
{
	if (u == NULL)
		return;
	MHD_destroy_post_processor(u->pp);
	for (size_t i = 0; i < u->n; i++) {
		free(u->names[i]);
		free(u->values[i]);
	}
	for (size_t i = 0; i < u->n_files; i++) {
		free(u->files[i].data);
		raksha_photo_free(&u->made[i].photo);
	}
	free(u);
}
