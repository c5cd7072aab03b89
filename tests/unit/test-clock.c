/* The two clocks and their waits (common/clock.c): the carry of a
 * timespec, deadlines and what is left of them, and a condition variable
 * whose timed waits count on the monotonic clock, as every relative wait
 * of the programs and libraksha does (a step of the wall clock neither
 * stretches nor cuts them). */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "common/clock.h"
#include "tests/lib/tap.h"

static void carry(void)
{
	struct timespec t = {.tv_sec = 10, .tv_nsec = 999999999L};
	struct timespec u = clock_add_ns(t, 1);
	ok(u.tv_sec == 11 && u.tv_nsec == 0, "a nanosecond past the second carries: %lld.%09ld",
	   (long long)u.tv_sec, u.tv_nsec);
	u = clock_add_ns(t, 2500000001LL);
	ok(u.tv_sec == 13 && u.tv_nsec == 500000000L, "2.5 s and 1 ns: %lld.%09ld", (long long)u.tv_sec,
	   u.tv_nsec);
	u = clock_add_ns((struct timespec){5, 0}, 0);
	ok(u.tv_sec == 5 && u.tv_nsec == 0, "0 ns changes nothing");
}

static void deadlines(void)
{
	struct timespec d = clock_deadline(60000);
	int64_t left = clock_remaining_ms(&d);
	ok(left > 59000 && left <= 60000, "a minute's deadline has about a minute left: %lld ms",
	   (long long)left);
	ok(!clock_passed(&d), "and has not passed");
	struct timespec past = clock_deadline(0);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ok(clock_passed(&past), "a deadline of 0 ms has passed");
	is_int(clock_remaining_ms(&past), 0, "and has 0 ms left, never less");
	ok(past.tv_sec <= now.tv_sec + 1, "deadlines are on CLOCK_MONOTONIC (%lld s, now %lld s)",
	   (long long)past.tv_sec, (long long)now.tv_sec);
	int64_t wall = clock_wall_ms();
	ok(wall > INT64_C(1700000000000), "wall ms are Unix ms: %lld", (long long)wall);
	int64_t m0 = clock_mono_ms();
	nanosleep(&(struct timespec){0, 20000000L}, NULL);
	int64_t m1 = clock_mono_ms();
	ok(m1 - m0 >= 20 && m1 - m0 < 5000, "monotonic ms advance with a 20 ms sleep: %lld",
	   (long long)(m1 - m0));
}

/* Waits on @cond for a deadline 100 ms away; returns the ms it took. */
static int64_t timed_wait(pthread_cond_t *cond, int *rc)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct timespec until = clock_deadline(100);
	int64_t t0 = clock_mono_ms();
	pthread_mutex_lock(&lock);
	do
		*rc = pthread_cond_timedwait(cond, &lock, &until);
	while (*rc == 0);
	pthread_mutex_unlock(&lock);
	return clock_mono_ms() - t0;
}

static void waits(void)
{
	pthread_cond_t mono, wall;
	int rc;
	is_int(clock_cond_init(&mono), 0, "clock_cond_init");
	int64_t took = timed_wait(&mono, &rc);
	is_int(rc, ETIMEDOUT, "a monotonic wait times out");
	ok(took >= 90 && took < 5000, "after its 100 ms: %lld ms", (long long)took);
	/* The same deadline on a condition variable of the wall clock is in
	 * 1970: it returns at once. This is the mix of clocks that
	 * clock_cond_init() exists to prevent, shown to be observable. */
	pthread_cond_init(&wall, NULL);
	took = timed_wait(&wall, &rc);
	ok(rc == ETIMEDOUT && took < 50, "a wall-clock condition variable misreads it (%lld ms)",
	   (long long)took);
	pthread_cond_destroy(&mono);
	pthread_cond_destroy(&wall);
}

int main(void)
{
	carry();
	deadlines();
	waits();
	return tap_done();
}
