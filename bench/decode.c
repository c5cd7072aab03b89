/* bench/decode: what checking costs on the per-message path.
 *
 * For a report without a photo and one with a 100 KiB photo, measures in the
 * same run: protobuf-c's bare unpack (the baseline: what a subscriber that
 * trusts its input pays), raksha_envelope_decode() (unpack + every rule +
 * topic rules), and raksha_message_to_json(). Prints rates and the ratio of
 * each to the baseline. Usage: decode [ITERATIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include <raksha/raksha.h>

#include "tests/lib/sample.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct payload {
	const char *name;
	uint8_t *buf;
	size_t len;
	const char *topic;
};

static double bare_unpack(const struct payload *p, long n)
{
	double t = now_s();
	for (long i = 0; i < n; i++)
		raksha__v1__envelope__free_unpacked(raksha__v1__envelope__unpack(NULL, p->len, p->buf), NULL);
	return (double)n / (now_s() - t);
}

static double checked_decode(const struct payload *p, long n)
{
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	double t = now_s();
	for (long i = 0; i < n; i++) {
		raksha_envelope *env;
		if (raksha_envelope_decode(p->buf, p->len, p->topic, &o, &env, NULL) < 0)
			abort();
		raksha_envelope_free(env);
	}
	return (double)n / (now_s() - t);
}

static double to_json(const struct payload *p, long n)
{
	raksha_envelope *env = raksha__v1__envelope__unpack(NULL, p->len, p->buf);
	double t = now_s();
	for (long i = 0; i < n; i++) {
		char *json;
		if (raksha_message_to_json(&env->base, RAKSHA_JSON_COMPACT, &json) < 0)
			abort();
		free(json);
	}
	double rate = (double)n / (now_s() - t);
	raksha__v1__envelope__free_unpacked(env, NULL);
	return rate;
}

static void run(const struct payload *p, long n)
{
	double base = bare_unpack(p, n);
	double dec = checked_decode(p, n);
	double json = to_json(p, n);
	printf("%-22s %8zu B  unpack %10.0f/s  decode+check %10.0f/s (%.2fx)  json %10.0f/s (%.2fx)\n",
	       p->name, p->len, base, dec, dec / base, json, json / base);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	static struct sample s;
	static uint8_t photo[100 * 1024];
	struct payload plain = {"report, no photo", NULL, 0, NULL};
	struct payload big = {"report, 100 KiB photo", NULL, 0, NULL};

	raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
	struct raksha_check_options o = {.now_ms = SAMPLE_NOW_MS};
	s.child.n_photos = 0;
	raksha_envelope_encode(env, s.topic, &o, &plain.buf, &plain.len, NULL);
	plain.topic = s.topic;

	randombytes_buf(photo, sizeof(photo));
	photo[0] = 0xff;
	photo[1] = 0xd8;
	photo[2] = 0xff;
	s.photo.data = (ProtobufCBinaryData){sizeof(photo), photo};
	crypto_hash_sha256(s.photo_sha256, photo, sizeof(photo));
	s.child.n_photos = 1;
	if (raksha_envelope_encode(env, s.topic, &o, &big.buf, &big.len, NULL) < 0)
		abort();
	big.topic = s.topic;

	printf("bench/decode: %ld iterations each, ratios against protobuf-c's bare unpack\n", n);
	run(&plain, n);
	run(&big, n / 20 > 0 ? n / 20 : 1);
	free(plain.buf);
	free(big.buf);
	return 0;
}
