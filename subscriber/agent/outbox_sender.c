#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "agent/outbox_sender.h"
#include "common/clock.h"
#include "common/log.h"

#define PERIOD_S 30
#define SEND_TIMEOUT_MS 20000

struct outbox_sender {
	struct raksha_outbox *ob;
	struct raksha_client *client;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool kicked, stopping;
};

static void on_corrupt(void *ctx, const char *path, const char *reason)
{
	(void)ctx;
	log_line(LOG_ERR, "outbox entry %s: %s", path, reason);
}

static void send_backlog(struct outbox_sender *s)
{
	struct raksha_outbox_flush_stats st;
	if (!raksha_client_is_connected(s->client) || raksha_outbox_count(s->ob) <= 0)
		return;
	int r = raksha_outbox_flush(s->ob, s->client, SEND_TIMEOUT_MS, on_corrupt, NULL, &st);
	if (st.acked > 0)
		log_line(LOG_NOTICE, "sent %u envelope(s) from the local outbox", st.acked);
	/* Each refused one was logged with its topic, by on_corrupt(). */
	if (st.refused > 0)
		log_line(LOG_ERR, "local outbox: the broker refused %u envelope(s); they are set aside, "
			 "not sent again", st.refused);
	if (r < 0 && r != -EWOULDBLOCK && r != -EACCES)
		log_line(LOG_WARNING, "local outbox: %u envelope(s) not acknowledged yet; retrying",
			 st.sent - st.acked);
}

static void *run(void *arg)
{
	struct outbox_sender *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct timespec until = clock_deadline(PERIOD_S * 1000);
		while (!s->kicked && !s->stopping)
			if (pthread_cond_timedwait(&s->wake, &s->lock, &until) == ETIMEDOUT)
				break;
		s->kicked = false;
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock);
		send_backlog(s);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int outbox_sender_start(const char *dir, struct raksha_client *client, struct outbox_sender **out)
{
	struct outbox_sender *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	int r = raksha_outbox_open(dir, &s->ob);
	if (r < 0) {
		free(s);
		return r;
	}
	s->client = client;
	pthread_mutex_init(&s->lock, NULL);
	clock_cond_init(&s->wake);
	if (pthread_create(&s->thread, NULL, run, s) != 0) {
		raksha_outbox_close(s->ob);
		free(s);
		return -EAGAIN;
	}
	*out = s;
	return 0;
}

void outbox_sender_kick(struct outbox_sender *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->kicked = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

void outbox_sender_stop(struct outbox_sender *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	raksha_outbox_close(s->ob);
	free(s);
}
