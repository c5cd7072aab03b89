/* UUIDv7 by RFC 9562 section 6.2, method 1: after the 48-bit millisecond
 * timestamp, a 42-bit counter (the 12 bits of rand_a and the top 30 of rand_b)
 * seeded at random each new millisecond with its top bit clear, so that it
 * can count up ~2^41 times before it would need the next millisecond. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>

#include <raksha/uuid.h>

#include "common/clock.h"
#include "common/hex.h"

#define COUNTER_BITS 42
#define COUNTER_MAX ((UINT64_C(1) << COUNTER_BITS) - 1)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t last_ms;
static uint64_t counter;

static int fill_random(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Picks the (ms, counter) pair for the next id: strictly after the last one. */
static int next_stamp(uint64_t *ms, uint64_t *ctr)
{
	uint64_t now = (uint64_t)clock_wall_ms();
	pthread_mutex_lock(&lock);
	if (now > last_ms) {
		uint64_t seed;
		if (fill_random(&seed, sizeof(seed)) < 0) {
			pthread_mutex_unlock(&lock);
			return -EIO;
		}
		last_ms = now;
		counter = seed & (COUNTER_MAX >> 1);
	} else if (counter == COUNTER_MAX) {
		/* Counter spent (or the clock stepped back): borrow the next ms. */
		last_ms++;
		counter = 0;
	} else {
		counter++;
	}
	*ms = last_ms;
	*ctr = counter;
	pthread_mutex_unlock(&lock);
	return 0;
}

int raksha_uuid7(uint8_t out[RAKSHA_UUID_LEN])
{
	uint64_t ms, ctr;
	uint8_t tail[4];
	if (next_stamp(&ms, &ctr) < 0 || fill_random(tail, sizeof(tail)) < 0)
		return -EIO;
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)(ms >> (40 - 8 * i));
	/* ver(4) | ctr[41..30] ; var(2) | ctr[29..0] ; 32 random bits */
	out[6] = (uint8_t)(0x70 | ((ctr >> 38) & 0x0f));
	out[7] = (uint8_t)(ctr >> 30);
	out[8] = (uint8_t)(0x80 | ((ctr >> 24) & 0x3f));
	out[9] = (uint8_t)(ctr >> 16);
	out[10] = (uint8_t)(ctr >> 8);
	out[11] = (uint8_t)ctr;
	memcpy(out + 12, tail, sizeof(tail));
	return 0;
}

void raksha_uuid_format(const uint8_t id[RAKSHA_UUID_LEN], char out[RAKSHA_UUID_TEXT_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	/* Where each byte's two digits go: after 4, 6, 8 and 10 bytes a '-'.
	 * A table, not a test a byte: an export formats two or three ids a row
	 * (docs/benchmarks.md, issue 19 part 5). */
	static const uint8_t at[RAKSHA_UUID_LEN] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
	for (int i = 0; i < RAKSHA_UUID_LEN; i++) {
		out[at[i]] = hex[id[i] >> 4];
		out[at[i] + 1] = hex[id[i] & 0x0f];
	}
	out[8] = '-';
	out[13] = '-';
	out[18] = '-';
	out[23] = '-';
	out[RAKSHA_UUID_TEXT_LEN] = '\0';
}

int raksha_uuid_parse(const char *text, uint8_t out[RAKSHA_UUID_LEN])
{
	if (text == NULL || strlen(text) != RAKSHA_UUID_TEXT_LEN)
		return -EINVAL;
	uint8_t id[RAKSHA_UUID_LEN];
	size_t n = 0;
	for (size_t i = 0; i < RAKSHA_UUID_TEXT_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return -EINVAL;
			continue;
		}
		int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		id[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	memcpy(out, id, sizeof(id));
	return 0;
}

int64_t raksha_uuid7_time_ms(const uint8_t id[RAKSHA_UUID_LEN])
{
	if ((id[6] >> 4) != 7)
		return -1;
	int64_t ms = 0;
	for (int i = 0; i < 6; i++)
		ms = ms << 8 | id[i];
	return ms;
}
