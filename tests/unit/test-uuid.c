/* UUIDv7: version and variant bits, time, uniqueness and order, text form. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <raksha/uuid.h>

#include "tests/lib/tap.h"

#define MANY 100000
#define THREADS 4
#define PER_THREAD 20000

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, RAKSHA_UUID_LEN);
}

static void test_order_and_uniqueness(void)
{
	static uint8_t ids[MANY][RAKSHA_UUID_LEN];
	int ordered = 1, shape = 1;
	for (int i = 0; i < MANY; i++) {
		if (raksha_uuid7(ids[i]) < 0)
			shape = 0;
		if ((ids[i][6] >> 4) != 7 || (ids[i][8] & 0xc0) != 0x80)
			shape = 0;
		if (i > 0 && memcmp(ids[i - 1], ids[i], RAKSHA_UUID_LEN) >= 0)
			ordered = 0;
	}
	ok(shape, "%d ids: version 7 and RFC 9562 variant", MANY);
	ok(ordered, "%d ids made in a row are strictly increasing", MANY);
}

static void *make_some(void *arg)
{
	uint8_t (*out)[RAKSHA_UUID_LEN] = arg;
	for (int i = 0; i < PER_THREAD; i++)
		raksha_uuid7(out[i]);
	return NULL;
}

static void test_threads_unique(void)
{
	static uint8_t ids[THREADS * PER_THREAD][RAKSHA_UUID_LEN];
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, make_some, ids[i * PER_THREAD]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	qsort(ids, THREADS * PER_THREAD, RAKSHA_UUID_LEN, cmp_id);
	int dup = 0;
	for (int i = 1; i < THREADS * PER_THREAD; i++)
		dup += memcmp(ids[i - 1], ids[i], RAKSHA_UUID_LEN) == 0;
	is_int(dup, 0, "%d ids from %d threads: no duplicates", THREADS * PER_THREAD, THREADS);
}

static void test_time(void)
{
	uint8_t id[RAKSHA_UUID_LEN];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t before = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	raksha_uuid7(id);
	int64_t t = raksha_uuid7_time_ms(id);
	ok(t >= before && t < before + 1000, "timestamp is now (%lld vs %lld)", (long long)t,
	   (long long)before);
	id[6] = 0x40;
	is_int(raksha_uuid7_time_ms(id), -1, "a version 4 UUID has no v7 time");
}

static void test_text(void)
{
	static const uint8_t id[16] = {0x01, 0x93, 0x6e, 0x2a, 0x7b, 0x40, 0x71, 0x23,
				       0x8a, 0xbc, 0x01, 0x02, 0x03, 0x04, 0x05, 0xff};
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	uint8_t back[16];
	raksha_uuid_format(id, text);
	is_str(text, "01936e2a-7b40-7123-8abc-0102030405ff", "canonical lowercase text");
	ok(raksha_uuid_parse(text, back) == 0 && memcmp(id, back, 16) == 0, "text round trip");
	ok(raksha_uuid_parse("01936E2A-7B40-7123-8ABC-0102030405FF", back) == 0 &&
	   memcmp(id, back, 16) == 0, "upper case parses");
	static const char *const bad[] = {
		"01936e2a7b4071238abc0102030405ff",       /* no hyphens */
		"01936e2a-7b40-7123-8abc-0102030405f",    /* short */
		"01936e2a-7b40-7123-8abc-0102030405fff",  /* long */
		"01936e2a-7b40-7123-8abc_0102030405ff",   /* wrong separator */
		"01936e2a-7b40-7123-8abc-0102030405fg",   /* not hex */
		"0193-6e2a7b40-7123-8abc-0102030405ff",   /* hyphen misplaced */
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(raksha_uuid_parse(bad[i], back), -EINVAL, "'%s' rejected", bad[i]);
	is_int(raksha_uuid_parse(NULL, back), -EINVAL, "NULL rejected");
}

int main(void)
{
	test_order_and_uniqueness();
	test_threads_unique();
	test_time();
	test_text();
	return tap_done();
}
