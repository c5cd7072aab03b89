/* The photo thread (desk_photo_queue.h). */
#define _GNU_SOURCE /* pthread_setname_np */
#include <errno.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "desk/desk_photo_queue.h"
#include "desk/desk_report.h"

#define STOP_WAIT_MS 2000

/* Outside the lock: only this thread touches @u until it is resumed. */
static void make(struct desk_upload *u)
{
	for (size_t i = 0; i < u->n_files; i++) {
		const struct desk_upload_file *f = &u->files[i];
		struct desk_upload_made *m = &u->made[i];
		m->r = -EFBIG;
		if (f->too_big)
			continue;
		m->r = raksha_photo_normalise(f->data, f->len, &m->photo, m->why, sizeof(m->why));
		if (desk_rf_photo_sides(f->data, f->len, &m->taken_width, &m->taken_height) < 0)
			m->taken_height = 0;
		if (m->taken_height == 0)
			m->taken_width = 0;
	}
}

/* Under the lock. */
static struct desk_photo_job next_job(struct desk_photo_queue *q)
{
	struct desk_photo_job j = q->jobs[0];
	q->n_jobs--;
	memmove(q->jobs, q->jobs + 1, q->n_jobs * sizeof(q->jobs[0]));
	return j;
}

/* Under the lock: what is still queued when the desk stops. */
static void resume_queued(struct desk_photo_queue *q)
{
	for (size_t i = 0; i < q->n_jobs; i++) {
		q->jobs[i].u->photos = DESK_PHOTOS_STOPPED;
		MHD_resume_connection(q->jobs[i].conn);
	}
	q->n_jobs = 0;
}

static void *run(void *arg)
{
	struct desk_photo_queue *q = arg;
	pthread_mutex_lock(&q->lock);
	while (!q->stopping) {
		if (q->n_jobs == 0) {
			pthread_cond_wait(&q->wake, &q->lock);
			continue;
		}
		struct desk_photo_job j = next_job(q);
		pthread_mutex_unlock(&q->lock);
		int64_t begun_ms = clock_mono_ms();
		make(j.u);
		log_line(LOG_INFO, "raksha-desk: %zu photo(s) of a form made fit to send in %.2f s, after %.2f s queued",
			 j.u->n_files, (double)(clock_mono_ms() - begun_ms) / 1e3, (double)(begun_ms - j.queued_ms) / 1e3);
		pthread_mutex_lock(&q->lock);
		j.u->photos = DESK_PHOTOS_MADE;
		MHD_resume_connection(j.conn);  /* under the lock: never before its suspension */
	}
	resume_queued(q);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

int desk_photo_queue_start(struct desk_photo_queue *q)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	int r = clock_cond_init(&q->wake);
	if (r != 0)
		return -r;
	for (; q->n_threads < DESK_PHOTO_THREADS; q->n_threads++) {
		r = pthread_create(&q->threads[q->n_threads], NULL, run, q);
		if (r != 0) {
			desk_photo_queue_stop(q);
			return -r;
		}
		pthread_setname_np(q->threads[q->n_threads], "desk-photo");
	}
	return 0;
}

void desk_photo_queue_stop(struct desk_photo_queue *q)
{
	if (q->n_threads == 0)
		return;
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_broadcast(&q->wake);
	pthread_mutex_unlock(&q->lock);
	for (size_t i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
	q->n_threads = 0;
	struct timespec until = clock_deadline(STOP_WAIT_MS);  /* each answered by libmicrohttpd's thread */
	pthread_mutex_lock(&q->lock);
	while (q->out > 0 && pthread_cond_timedwait(&q->wake, &q->lock, &until) == 0)
		continue;
	pthread_mutex_unlock(&q->lock);
}

int desk_photo_queue_submit(struct desk_photo_queue *q, struct desk_upload *u, struct MHD_Connection *conn)
{
	int r = -ECANCELED;
	pthread_mutex_lock(&q->lock);
	if (q->stopping || q->n_threads == 0)
		goto unlock;
	r = -EBUSY;
	if (q->n_jobs >= DESK_UPLOADS_MAX)
		goto unlock;
	r = 0;
	q->jobs[q->n_jobs++] = (struct desk_photo_job){u, conn, clock_mono_ms()};
	q->out++;
	u->photos = DESK_PHOTOS_QUEUED;
	MHD_suspend_connection(conn);  /* under the lock: resumed only after it */
	pthread_cond_broadcast(&q->wake);
unlock:
	pthread_mutex_unlock(&q->lock);
	return r;
}

enum desk_upload_photos desk_photo_queue_state(struct desk_photo_queue *q, const struct desk_upload *u)
{
	pthread_mutex_lock(&q->lock);
	enum desk_upload_photos s = u->photos;
	pthread_mutex_unlock(&q->lock);
	return s;
}

void desk_photo_queue_done(struct desk_photo_queue *q, struct desk_upload *u)
{
	pthread_mutex_lock(&q->lock);
	if (u->photos != DESK_PHOTOS_TAKEN && !u->back) {
		u->back = true;
		q->out--;
		pthread_cond_broadcast(&q->wake);
	}
	pthread_mutex_unlock(&q->lock);
}
