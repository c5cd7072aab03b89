/* soak-publish URL OUTBOX RATE PHOTO_BYTES LEDGER: the steady publisher of
 * bench/soak.sh. RATE times a second, on a fixed schedule, it queues one
 * fresh report (a case of its own: new message_id and report_id) with one
 * photo of PHOTO_BYTES (a JPEG's magic bytes, then bytes that differ from
 * report to report, so that neither the broker nor SQLite sees two alike)
 * in the outbox OUTBOX with raksha_outbox_put(), as raksha-publish does,
 * and appends its message_id (32 lower-case hex digits, as sqlite3's
 * lower(hex()) shows it) to LEDGER once it is durably queued: the ledger is
 * the list of reports the publisher has acknowledged to its user. A second
 * thread sends the outbox over one libraksha client (which reconnects by
 * itself) with raksha_outbox_flush(), again and again, so that a broker
 * restart or a dead link only makes a backlog. The two threads open the
 * outbox each for itself, as raksha-publish's report and a flush in another
 * process would.
 *
 * SIGTERM stops the queueing; the sender goes on until the outbox is empty
 * (at most 300 s). On stdout, at the end: "queued N left L flushes F". Exit
 * 0 when the outbox is empty, 75 when entries are left, 64 on misuse. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"

static volatile sig_atomic_t stopping;
static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

struct sender {
	struct raksha_outbox *ob;
	struct raksha_client *client;
	atomic_long flushes;
	atomic_int done;  /* the queueing has ended: send what is left, then return */
};

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void on_corrupt(void *ctx, const char *path, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "soak-publish: outbox entry moved aside to %s: %s\n", path, reason);
}

/* Flushes until the queueing has ended and the outbox is empty. */
static void *send_loop(void *arg)
{
	struct sender *s = arg;
	for (;;) {
		int left = raksha_outbox_count(s->ob);
		if (left == 0 && atomic_load(&s->done))
			return NULL;
		if (left == 0 || !raksha_client_is_connected(s->client)) {
			sleep_ms(20);
			continue;
		}
		/* Failures (a lost connection, a timeout) leave the entries
		 * queued; the next pass sends them again. */
		raksha_outbox_flush(s->ob, s->client, 10000, on_corrupt, NULL, NULL);
		atomic_fetch_add(&s->flushes, 1);
	}
}

static void hex(const uint8_t id[RAKSHA_UUID_LEN], char out[2 * RAKSHA_UUID_LEN + 1])
{
	for (int i = 0; i < RAKSHA_UUID_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

/* Queues report number @n with a photo in @photo (@size bytes, its tail
 * overwritten with @n so that each differs) and writes its id to @ledger. */
static int queue_one(struct raksha_outbox *ob, FILE *ledger, uint8_t *photo, size_t size, long n)
{
	struct sample s;
	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	if (raksha_uuid7(s.report_id) < 0 || raksha_envelope_stamp(env, s.message_id) < 0)
		return -EIO;
	s.place.time_ms = env->sent_at_ms;
	memcpy(photo + size - sizeof(n), &n, sizeof(n));
	crypto_hash_sha256(s.photo_sha256, photo, size);
	s.photo.data = (ProtobufCBinaryData){size, photo};
	uint8_t *buf;
	size_t len;
	struct raksha_problem p;
	if (raksha_envelope_encode(env, s.topic, NULL, &buf, &len, &p) < 0) {
		fprintf(stderr, "soak-publish: %s\n", p.text);
		return -EINVAL;
	}
	int r = raksha_outbox_put(ob, s.topic, buf, len, s.message_id);
	free(buf);
	if (r < 0)
		return r;
	char h[2 * RAKSHA_UUID_LEN + 1];
	hex(s.message_id, h);
	fprintf(ledger, "%s\n", h);
	return fflush(ledger) == 0 ? 0 : -errno;
}

/* Queues RATE reports a second until SIGTERM; the count, or a negative errno. */
static long queue_loop(struct raksha_outbox *ob, FILE *ledger, double rate, size_t photo_bytes)
{
	uint8_t *photo = malloc(photo_bytes);
	if (photo == NULL)
		return -ENOMEM;
	static const uint8_t jpeg_magic[] = {0xff, 0xd8, 0xff, 0xe0};
	randombytes_buf(photo, photo_bytes);
	memcpy(photo, jpeg_magic, sizeof(jpeg_magic));
	long step = (long)(1e9 / rate), n = 0;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stopping) {
		/* A fixed schedule: a late report does not shift the ones after it. */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		next.tv_nsec += step % 1000000000L;
		next.tv_sec += step / 1000000000L + next.tv_nsec / 1000000000L;
		next.tv_nsec %= 1000000000L;
		if (stopping)
			break;
		int r = queue_one(ob, ledger, photo, photo_bytes, n);
		if (r < 0) {
			free(photo);
			return r;
		}
		n++;
	}
	free(photo);
	return n;
}

static int connect_client(const char *url, struct raksha_client **c)
{
	char id[64];
	snprintf(id, sizeof(id), "soak-pub-%ld", (long)getpid());
	struct raksha_client_options o = {.urls = &url, .n_urls = 1, .client_id = id, .keepalive_s = 5};
	int r = raksha_client_new(&o, c);
	if (r < 0)
		return r;
	r = raksha_client_connect(*c);
	if (r < 0)
		return r;
	return raksha_client_wait_connected(*c, 10000);
}

/* Waits for the sender to empty the outbox, at most 300 s; what is left. */
static int drain(struct sender *s, pthread_t t)
{
	atomic_store(&s->done, 1);
	for (int i = 0; i < 3000 && raksha_outbox_count(s->ob) > 0; i++)
		sleep_ms(100);
	int left = raksha_outbox_count(s->ob);
	if (left == 0)
		pthread_join(t, NULL);
	return left;
}

int main(int argc, char **argv)
{
	double rate = argc == 6 ? atof(argv[3]) : 0;
	long photo_bytes = argc == 6 ? atol(argv[4]) : 0;
	if (rate <= 0 || photo_bytes < 16 || photo_bytes > 900 * 1024) {
		fprintf(stderr, "usage: soak-publish URL OUTBOX RATE PHOTO_BYTES LEDGER "
				"(RATE > 0, PHOTO_BYTES 16..921600)\n");
		return EX_USAGE;
	}
	FILE *ledger = fopen(argv[5], "ae");
	struct sender s = {0};
	struct raksha_outbox *queue;
	if (ledger == NULL || sodium_init() < 0 || raksha_outbox_open(argv[2], &s.ob) < 0 ||
	    raksha_outbox_open(argv[2], &queue) < 0) {
		fprintf(stderr, "soak-publish: cannot open the ledger %s or the outbox %s\n", argv[5],
			argv[2]);
		return EX_CANTCREAT;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (connect_client(argv[1], &s.client) < 0) {
		fprintf(stderr, "soak-publish: cannot connect to %s\n", argv[1]);
		return EX_UNAVAILABLE;
	}
	pthread_t t;
	if (pthread_create(&t, NULL, send_loop, &s) != 0)
		return EX_OSERR;
	long n = queue_loop(queue, ledger, rate, (size_t)photo_bytes);
	if (n < 0)
		fprintf(stderr, "soak-publish: cannot queue: %s\n", strerror((int)-n));
	int left = drain(&s, t);
	raksha_outbox_close(queue);
	printf("queued %ld left %d flushes %ld\n", n, left, atomic_load(&s.flushes));
	fflush(stdout);
	if (left == 0) {
		raksha_client_close(s.client, 3000);
		raksha_outbox_close(s.ob);
	}
	fclose(ledger);
	return n >= 0 && left == 0 ? 0 : EX_TEMPFAIL;
}
