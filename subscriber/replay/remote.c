/* Remote replay: subscribe to the answer's topic, publish the request,
 * print each item as a local replay would, and check the end frame's count. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <raksha/v1/replay.pb-c.h>

#include "common/clock.h"
#include "common/log.h"
#include "history/replay_request.h"
#include "replay/replay.h"

struct remote {
	const struct args *a;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool ended, broken;
	char error[300];
	uint64_t count, last_seq;
	int64_t last_frame_ms;
};

/* Prints @item as output_row() prints a local row. */
static int print_item(struct remote *rm, const Raksha__V1__ReplayItem *item)
{
	struct history_row row = {
		.seq = (int64_t)item->seq, .received_ms = item->received_at_ms, .topic = item->topic,
		.bytes = item->envelope.data, .len = item->envelope.len,
	};
	if (*item->cause != '\0') {
		row.cause = item->cause;
		row.reason = item->reason;
		row.size = (int64_t)item->size;
	} else {
		row.kind = *item->kind ? item->kind : "unknown";
		row.message_id = item->message_id.len == RAKSHA_UUID_LEN ? item->message_id.data : NULL;
		row.exercise = item->exercise;
	}
	return output_row(stdout, rm->a->format, &row, NULL);
}

/* The answer cannot be trusted (not merely refused): @fmt says why. */
__attribute__((format(printf, 2, 3)))
static void mark_broken(struct remote *rm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rm->error, sizeof(rm->error), fmt, ap);
	va_end(ap);
	rm->broken = true;
}

static void frame(struct remote *rm, const Raksha__V1__ReplayFrame *f)
{
	if (f->frame_case == RAKSHA__V1__REPLAY_FRAME__FRAME_ITEM) {
		if (f->item->seq <= rm->last_seq && rm->count > 0)
			mark_broken(rm, "items out of order");
		rm->last_seq = f->item->seq;
		rm->count++;
		if (print_item(rm, f->item) < 0)
			mark_broken(rm, "cannot write the output");
		return;
	}
	if (f->frame_case != RAKSHA__V1__REPLAY_FRAME__FRAME_END)
		return;
	rm->ended = true;
	if (*f->end->error != '\0')
		snprintf(rm->error, sizeof(rm->error), "the archive refused the request: %s", f->end->error);
	else if (f->end->count != rm->count)
		mark_broken(rm, "the archive sent %llu item(s), %llu arrived",
			    (unsigned long long)f->end->count, (unsigned long long)rm->count);
}

static int on_message(void *ctx, const struct raksha_message *m)
{
	struct remote *rm = ctx;
	Raksha__V1__ReplayFrame *f = raksha__v1__replay_frame__unpack(NULL, m->len, m->payload);
	pthread_mutex_lock(&rm->lock);
	rm->last_frame_ms = clock_mono_ms();
	if (f == NULL)
		mark_broken(rm, "an undecodable frame on %s", m->topic);
	else if (!rm->ended)
		frame(rm, f);
	pthread_cond_signal(&rm->changed);
	pthread_mutex_unlock(&rm->lock);
	raksha__v1__replay_frame__free_unpacked(f, NULL);
	return 0;
}

/* Until the end frame, or a->timeout_s without a frame. */
static void wait_end(struct remote *rm)
{
	pthread_mutex_lock(&rm->lock);
	rm->last_frame_ms = clock_mono_ms();
	while (!rm->ended && !rm->broken && !replay_stop &&
	       clock_mono_ms() - rm->last_frame_ms < rm->a->timeout_s * 1000) {
		struct timespec until = clock_deadline(100);
		pthread_cond_timedwait(&rm->changed, &rm->lock, &until);
	}
	pthread_mutex_unlock(&rm->lock);
}

static int ask(struct remote *rm, struct raksha_client *c, const char *request_topic)
{
	char *json;
	if (replay_request_encode(&rm->a->filter, &json) < 0)
		return EX_OSERR;
	int r = raksha_client_publish(c, request_topic, json, strlen(json), false, NULL, NULL);
	free(json);
	if (r < 0) {
		log_line(LOG_ERR, "raksha-replay: cannot send the request: %s", strerror(-r));
		return EX_UNAVAILABLE;
	}
	wait_end(rm);
	fflush(stdout);
	if (rm->error[0] != '\0') {
		log_line(LOG_ERR, "raksha-replay: %s", rm->error);
		return rm->broken ? EX_PROTOCOL : EX_DATAERR;
	}
	if (!rm->ended) {
		log_line(LOG_ERR, "raksha-replay: no answer from archive '%s' within %d s (%llu item(s) "
			 "came): is it running with role = archive, and may this user ask (broker ACL)?",
			 rm->a->archive, rm->a->timeout_s, (unsigned long long)rm->count);
		return EX_UNAVAILABLE;
	}
	return EX_OK;
}

int replay_remote(const struct args *a)
{
	uint8_t id[RAKSHA_UUID_LEN];
	char corr[RAKSHA_UUID_TEXT_LEN + 1], request[256], response[256];
	raksha_uuid7(id);
	raksha_uuid_format(id, corr);
	snprintf(request, sizeof(request), REPLAY_TOPIC_ROOT "/%s/request/%s", a->archive, corr);
	snprintf(response, sizeof(response), REPLAY_TOPIC_ROOT "/%s/response/%s", a->archive, corr);
	if (!raksha_agent_id_valid(a->archive)) {
		log_line(LOG_ERR, "raksha-replay: --archive '%s': an agent id, [a-z0-9-]{1,64}", a->archive);
		return EX_USAGE;
	}
	struct remote rm = {.a = a};
	pthread_mutex_init(&rm.lock, NULL);
	clock_cond_init(&rm.changed);
	struct raksha_client *c = NULL;
	int r = replay_client_new(a, "remote", &c);
	if (r != 0)
		goto out;
	raksha_client_on_message(c, on_message, &rm);
	raksha_client_subscribe(c, response);
	r = replay_client_connect(a, c);  /* connected: the broker took the SUBSCRIBE */
	if (r != 0)
		goto out_client;
	r = ask(&rm, c, request);
out_client:
	raksha_client_close(c, 2000);
out:
	pthread_mutex_destroy(&rm.lock);
	pthread_cond_destroy(&rm.changed);
	return r;
}
