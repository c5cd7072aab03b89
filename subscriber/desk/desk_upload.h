/* A form posted as multipart/form-data (the report forms, with photos):
 * its fields and files, read by libmicrohttpd's post processor as the body
 * arrives, each bounded. A body whose Content-Length is over
 * DESK_UPLOAD_MAX is refused before any of it is read; a photo over
 * DESK_PHOTO_IN_MAX is read past, not kept, and named. */
#ifndef RAKSHA_DESK_UPLOAD_H
#define RAKSHA_DESK_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>
#include <raksha/photo.h>

#define DESK_PHOTO_IN_MAX (12u << 20)  /* a phone's photo as taken: 3-6 MB, some 10 */
#define DESK_UPLOAD_FILES 3            /* photos a form takes at once */
#define DESK_UPLOAD_MAX (DESK_UPLOAD_FILES * DESK_PHOTO_IN_MAX + (1u << 20))
#define DESK_UPLOADS_MAX 4          /* read at once: at most 4 x DESK_UPLOAD_MAX in memory */
#define DESK_BUSY_RETRY_S 60        /* a form refused for that: Retry-After */
#define DESK_UPLOAD_FIELDS 128
#define DESK_UPLOAD_VALUE_MAX 16384    /* the validator's limit of a string */

struct desk_upload_file {
	char field[32];     /* the input's name */
	uint8_t *data;
	size_t len;
	bool too_big;       /* over DESK_PHOTO_IN_MAX: read past, not kept */
};

/* Where a form's photos are (desk_photo_queue.h). */
enum desk_upload_photos {
	DESK_PHOTOS_TAKEN,    /* as the phone sent them */
	DESK_PHOTOS_QUEUED,   /* with the photo thread, the connection suspended */
	DESK_PHOTOS_MADE,     /* made fit to send, each into made[] */
	DESK_PHOTOS_STOPPED,  /* not made: the desk is stopping */
};

/* A photo as raksha_photo_normalise() made it, or why not. */
struct desk_upload_made {
	int r;                           /* its return: 0, or a negative errno */
	struct raksha_photo photo;       /* freed with the upload */
	char why[200];                   /* when r < 0 */
	int taken_width, taken_height;   /* its header's sides; 0 if it has none */
};

struct desk_upload {
	struct MHD_PostProcessor *pp;
	char *names[DESK_UPLOAD_FIELDS], *values[DESK_UPLOAD_FIELDS];
	size_t lens[DESK_UPLOAD_FIELDS], n;
	struct desk_upload_file files[DESK_UPLOAD_FILES];
	size_t n_files;
	bool skipping;      /* the part being read is not kept */
	bool too_many;      /* more fields or files than kept, or a value over its limit */
	enum desk_upload_photos photos;
	bool back;          /* answered, after the photo queue (desk_photo_queue_done()) */
	struct desk_upload_made made[DESK_UPLOAD_FILES];  /* once DESK_PHOTOS_MADE */
};

/* Whether @conn's request is a multipart/form-data POST. */
bool desk_upload_is_multipart(struct MHD_Connection *conn);

/* Its Content-Length, 0 if not given. */
uint64_t desk_upload_length(struct MHD_Connection *conn);

/* A new upload reading @conn's body. NULL: out of memory, or libmicrohttpd
 * cannot parse the Content-Type. */
struct desk_upload *desk_upload_new(struct MHD_Connection *conn);

/* The next @len bytes of the body. Returns 0, or -EINVAL if they do not
 * parse. */
int desk_upload_feed(struct desk_upload *u, const char *data, size_t len);

/* The first field @name, NUL-terminated (a file is not a field); NULL if
 * none. */
const char *desk_upload_get(const struct desk_upload *u, const char *name);

/* Field @name of the POST: from @u if it was multipart, else from the
 * urlencoded @body (desk_form_get()), into @out (@size bytes). False if
 * there is none, or it does not fit. */
bool desk_upload_field(const struct desk_upload *u, const char *body, const char *name, char *out,
		       size_t size);

void desk_upload_free(struct desk_upload *u);

#endif
