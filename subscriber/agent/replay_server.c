/* Answers remote replay requests: ReplayFrame items in arrival order on the
 * response topic at QoS 1 (at most 64 awaiting their PUBACK), then the end
 * frame with the count, or with the reason a request was refused. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <raksha/v1/replay.pb-c.h>

#include "agent/replay_server.h"
#include "common/clock.h"
#include "common/log.h"
#include "history/replay_request.h"

#define MAX_IN_FLIGHT 64
#define PUBACK_TIMEOUT_S 30

struct request {
	char *topic;
	void *payload;
	size_t len;
};

struct replay_server {
	const struct agent_config *c;
	struct raksha_client *client;
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct request queue[REPLAY_QUEUE_MAX];
	size_t head, len;
	bool stopping;
	int in_flight;
	bool lost;          /* a frame was refused or lost: the answer is cut */
	/* The answer under way. */
	char response[RAKSHA_TOPIC_MAX + 96];
	uint64_t count;
};

void replay_server_filter(const struct agent_config *c, char *buf, size_t size)
{
	snprintf(buf, size, REPLAY_TOPIC_ROOT "/%s/request/+", c->id);
}

bool replay_server_is_request(const char *topic)
{
	/* Requests only: an archive subscribed wider (raksha/#) also receives
	 * the answers, its own among them, and taking one for a request would
	 * answer it on its own topic, again and again. */
	return raksha_filter_matches(REPLAY_TOPIC_ROOT "/+/request/+", topic);
}

static void on_published(void *ctx, int status)
{
	struct replay_server *s = ctx;
	pthread_mutex_lock(&s->lock);
	s->in_flight--;
	s->lost = s->lost || status != 0;
	pthread_cond_signal(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

/* Waits until at most @max frames await their PUBACK. */
static int wait_in_flight(struct replay_server *s, int max)
{
	struct timespec until = clock_deadline(PUBACK_TIMEOUT_S * 1000);
	pthread_mutex_lock(&s->lock);
	int r = 0;
	while (s->in_flight > max && r == 0 && !s->stopping)
		r = pthread_cond_timedwait(&s->changed, &s->lock, &until);
	bool cut = s->lost || s->stopping || r != 0;
	pthread_mutex_unlock(&s->lock);
	return cut ? -ECONNRESET : 0;
}

static int send_frame(struct replay_server *s, const Raksha__V1__ReplayFrame *frame)
{
	size_t len = raksha__v1__replay_frame__get_packed_size(frame);
	uint8_t *buf = malloc(len ? len : 1);
	if (buf == NULL)
		return -ENOMEM;
	raksha__v1__replay_frame__pack(frame, buf);
	int r = wait_in_flight(s, MAX_IN_FLIGHT - 1);
	if (r == 0) {
		pthread_mutex_lock(&s->lock);
		s->in_flight++;
		pthread_mutex_unlock(&s->lock);
		r = raksha_client_publish(s->client, s->response, buf, len, false, on_published, s);
		if (r < 0)
			on_published(s, r);
	}
	free(buf);
	return r;
}

static int send_item(void *ctx, const struct history_row *row)
{
	struct replay_server *s = ctx;
	Raksha__V1__ReplayItem item = RAKSHA__V1__REPLAY_ITEM__INIT;
	item.seq = (uint64_t)row->seq;
	s->count++;
	item.topic = (char *)row->topic;
	item.received_at_ms = row->received_ms;
	item.envelope = (ProtobufCBinaryData){row->len, (uint8_t *)row->bytes};
	item.cause = (char *)(row->cause ? row->cause : "");
	item.reason = (char *)(row->reason ? row->reason : "");
	item.size = row->kind == NULL ? (uint64_t)row->size : 0;
	/* What the archive stored, so that the asker prints what a local replay
	 * prints even for an envelope that no longer passes the checks. */
	item.kind = (char *)(row->kind ? row->kind : "");
	if (row->message_id != NULL)
		item.message_id = (ProtobufCBinaryData){RAKSHA_UUID_LEN, (uint8_t *)row->message_id};
	item.exercise = row->exercise;
	Raksha__V1__ReplayFrame frame = RAKSHA__V1__REPLAY_FRAME__INIT;
	frame.frame_case = RAKSHA__V1__REPLAY_FRAME__FRAME_ITEM;
	frame.item = &item;
	return send_frame(s, &frame);
}

static void send_end(struct replay_server *s, const char *error)
{
	Raksha__V1__ReplayEnd end = RAKSHA__V1__REPLAY_END__INIT;
	end.count = s->count;
	end.error = (char *)(error ? error : "");
	Raksha__V1__ReplayFrame frame = RAKSHA__V1__REPLAY_FRAME__INIT;
	frame.frame_case = RAKSHA__V1__REPLAY_FRAME__FRAME_END;
	frame.end = &end;
	send_frame(s, &frame);
	wait_in_flight(s, 0);
}

/* The response topic: the request's, with "response" for "request". */
static int response_topic(struct replay_server *s, const char *request)
{
	const char *corr = strrchr(request, '/');
	if (corr == NULL || corr[1] == '\0')
		return -EINVAL;
	snprintf(s->response, sizeof(s->response), REPLAY_TOPIC_ROOT "/%s/response/%s", s->c->id, corr + 1);
	return 0;
}

static void answer(struct replay_server *s, const struct request *q)
{
	struct history_filter f;
	char err[256];
	s->count = 0;
	s->lost = false;
	if (response_topic(s, q->topic) < 0)
		return;  /* nowhere to answer: the asker's topic had no correlation level */
	if (replay_request_decode(q->payload, q->len, &f, err, sizeof(err)) < 0) {
		log_line(LOG_WARNING, "replay request on %s refused: %s", q->topic, err);
		send_end(s, err);
		return;
	}
	int64_t n = history_each(s->db, &f, send_item, s);
	history_filter_free(&f);
	if (n == -ECONNRESET) {
		log_line(LOG_WARNING, "replay on %s cut after %llu item(s): the broker stopped taking "
			 "them", s->response, (unsigned long long)s->count);
		return;
	}
	send_end(s, n < 0 ? "the archive could not read its database" : NULL);
	log_line(LOG_INFO, "replay on %s: %llu item(s)", s->response, (unsigned long long)s->count);
}

static void *run(void *arg)
{
	struct replay_server *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->len == 0 && !s->stopping)
			pthread_cond_wait(&s->changed, &s->lock);
		if (s->stopping)
			break;
		struct request q = s->queue[s->head];
		s->head = (s->head + 1) % REPLAY_QUEUE_MAX;
		s->len--;
		pthread_mutex_unlock(&s->lock);
		answer(s, &q);
		free(q.topic);
		free(q.payload);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int replay_server_start(const struct agent_config *c, struct raksha_client *client,
			struct replay_server **out)
{
	struct replay_server *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->c = c;
	s->client = client;
	pthread_mutex_init(&s->lock, NULL);
	clock_cond_init(&s->changed);
	char err[256];
	int r = history_open(c->database, &s->db, err, sizeof(err));
	if (r < 0)
		log_line(LOG_ERR, "replay: database %s: %s", c->database, err);
	else if ((r = -pthread_create(&s->thread, NULL, run, s)) < 0)
		log_line(LOG_ERR, "replay: no thread: %s", strerror(-r));
	if (r < 0) {
		sqlite3_close(s->db);
		free(s);
		return r;
	}
	*out = s;
	return 0;
}

void replay_server_take(struct replay_server *s, const char *topic, const void *payload, size_t len)
{
	struct request q = {strdup(topic), malloc(len ? len : 1), len};
	if (q.topic == NULL || q.payload == NULL) {
		free(q.topic);
		free(q.payload);
		return;
	}
	memcpy(q.payload, payload, len);
	pthread_mutex_lock(&s->lock);
	bool full = s->len == REPLAY_QUEUE_MAX;
	if (!full) {
		s->queue[(s->head + s->len) % REPLAY_QUEUE_MAX] = q;
		s->len++;
		pthread_cond_signal(&s->changed);
	}
	pthread_mutex_unlock(&s->lock);
	if (full) {
		log_line(LOG_WARNING, "replay request on %s refused: %d already waiting", topic,
			 REPLAY_QUEUE_MAX);
		free(q.topic);
		free(q.payload);
	}
}

void replay_server_stop(struct replay_server *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
}

void replay_server_free(struct replay_server *s)
{
	if (s == NULL)
		return;
	while (s->len > 0) {
		free(s->queue[s->head].topic);
		free(s->queue[s->head].payload);
		s->head = (s->head + 1) % REPLAY_QUEUE_MAX;
		s->len--;
	}
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->changed);
	free(s);
}
