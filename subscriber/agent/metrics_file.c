/* The textfile writer's thread (metrics_file.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/metrics_file.h"
#include "common/clock.h"
#include "common/file_replace.h"
#include "common/log.h"
#include "history/history.h"

struct metrics_file {
	const struct agent_config *c;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	bool failing;             /* the last write failed: logged once, and when it works again */
	sqlite3 *db;              /* its own, read-only; NULL until the database can be read */
	struct metrics_link link;
};

struct text {
	const struct metrics *m;
	int64_t now_ms;
};

static int write_text(FILE *f, const void *ctx)
{
	const struct text *t = ctx;
	/* node-exporter reads it as its own user; counts only, no child data. */
	if (fchmod(fileno(f), 0644) < 0)
		return -errno;
	return metrics_write(f, t->m, t->now_ms);
}

int metrics_file_write(const struct agent_config *c, sqlite3 *db, struct metrics_link *link, char *err,
		       size_t errlen)
{
	struct metrics m;
	const char *unit[3] = {c->state, c->region, c->agency};
	int r = metrics_read(db, c->outbox, unit, c->id, link, &m, err, errlen);
	if (r < 0)
		return r;
	struct text t = {.m = &m, .now_ms = clock_wall_ms()};
	return file_replace(c->metrics_textfile, write_text, &t, err, errlen);
}

static int attempt(struct metrics_file *m, char *err, size_t errlen)
{
	if (m->db == NULL) {
		int r = history_open(m->c->database, &m->db, err, errlen);
		if (r < 0)
			return r;
	}
	return metrics_file_write(m->c, m->db, &m->link, err, errlen);
}

static void once(struct metrics_file *m)
{
	char err[512];
	int r = attempt(m, err, sizeof(err));
	if (r < 0 && !m->failing)
		log_line(LOG_WARNING, "metrics_textfile %s: %s; trying again every %lld s", m->c->metrics_textfile,
			 err, (long long)(m->c->metrics_interval_ms / 1000));
	else if (r == 0 && m->failing)
		log_line(LOG_NOTICE, "metrics_textfile %s: written again", m->c->metrics_textfile);
	m->failing = r < 0;
}

static void *run(void *arg)
{
	struct metrics_file *m = arg;
	pthread_mutex_lock(&m->lock);
	while (!m->stopping) {
		pthread_mutex_unlock(&m->lock);
		once(m);
		pthread_mutex_lock(&m->lock);
		struct timespec until = clock_deadline(m->c->metrics_interval_ms);
		while (!m->stopping && pthread_cond_timedwait(&m->wake, &m->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int metrics_file_start(const struct agent_config *c, struct metrics_file **out)
{
	*out = NULL;
	if (c->metrics_textfile == NULL)
		return 0;
	struct metrics_file *m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	m->c = c;
	pthread_mutex_init(&m->lock, NULL);
	clock_cond_init(&m->wake);
	int e = pthread_create(&m->thread, NULL, run, m);
	if (e != 0) {
		pthread_cond_destroy(&m->wake);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -e;
	}
	*out = m;
	return 0;
}

void metrics_file_stop(struct metrics_file *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	sqlite3_close(m->db);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
