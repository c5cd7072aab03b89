/* The report forms' photos made fit to send (raksha_photo_normalise():
 * about 0.4 s of a core and 40 MB for a phone's 4000x3000 JPEG) by one
 * thread of the desk's own, one photo at a time, so that libmicrohttpd's
 * thread, which answers every page, never waits for one.
 *
 * A form whose body has been read is queued and its connection suspended;
 * the thread makes its photos into the upload (desk_upload.h), then resumes
 * the connection, and the form's route runs again with them. One thread,
 * not more: the desk shares the unit's PC, often of 2 cores, with the agent,
 * whose ingestion must not wait, and each photo at work holds its decoded
 * pixels. The queue holds at most DESK_UPLOADS_MAX forms (no more bodies
 * are read at once), so a form waits at most for 3 others' photos. */
#ifndef RAKSHA_DESK_PHOTO_QUEUE_H
#define RAKSHA_DESK_PHOTO_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

#include "desk/desk_upload.h"

#define DESK_PHOTO_THREADS 1  /* photos made at once (above) */

struct desk_photo_job {
	struct desk_upload *u;
	struct MHD_Connection *conn;
	int64_t queued_ms;  /* monotonic, for the log */
};

struct desk_photo_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t threads[DESK_PHOTO_THREADS];
	size_t n_threads;
	bool stopping;
	struct desk_photo_job jobs[DESK_UPLOADS_MAX];
	size_t n_jobs;  /* queued, not begun */
	size_t out;     /* queued, not yet answered */
};

/* Starts the thread. Returns 0, or a negative errno from pthread. */
int desk_photo_queue_start(struct desk_photo_queue *q);

/* Ends the thread once its photo is made, resumes every form still queued
 * (its photos DESK_PHOTOS_STOPPED) and waits, at most 2 s, for every form
 * queued to have been answered (desk_photo_queue_done()): libmicrohttpd must
 * find no connection suspended when it stops, and would drop an answer not
 * yet sent. Call before MHD_stop_daemon(), from another thread than its. */
void desk_photo_queue_stop(struct desk_photo_queue *q);

/* Queues @u's photos and suspends @conn (in libmicrohttpd's thread, in its
 * request's callback). Returns 0, -ECANCELED if the queue is stopping, or
 * -EBUSY if it is full. */
int desk_photo_queue_submit(struct desk_photo_queue *q, struct desk_upload *u, struct MHD_Connection *conn);

/* In the route that runs again once @u's connection is resumed: its photos'
 * state (DESK_PHOTOS_MADE or DESK_PHOTOS_STOPPED; DESK_PHOTOS_TAKEN if never
 * queued), which the queue no longer touches. */
enum desk_upload_photos desk_photo_queue_state(struct desk_photo_queue *q, const struct desk_upload *u);

/* When @u's request has been answered (libmicrohttpd's completion): a form
 * queued is no longer waited for by desk_photo_queue_stop(). Harmless for a
 * form never queued. */
void desk_photo_queue_done(struct desk_photo_queue *q, struct desk_upload *u);

#endif
