/* The two clocks (clock.h). */
#include "common/clock.h"

#define NS_PER_S 1000000000L
#define NS_PER_MS 1000000L

static int64_t ms_of(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / NS_PER_MS;
}

int64_t clock_wall_ms(void)
{
	return ms_of(CLOCK_REALTIME);
}

int64_t clock_mono_ms(void)
{
	return ms_of(CLOCK_MONOTONIC);
}

struct timespec clock_add_ns(struct timespec t, int64_t ns)
{
	t.tv_sec += (time_t)(ns / NS_PER_S);
	t.tv_nsec += (long)(ns % NS_PER_S);
	if (t.tv_nsec >= NS_PER_S) {
		t.tv_sec++;
		t.tv_nsec -= NS_PER_S;
	}
	return t;
}

struct timespec clock_deadline(int64_t ms)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return clock_add_ns(now, ms * NS_PER_MS);
}

int64_t clock_remaining_ms(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000 +
		     (deadline->tv_nsec - now.tv_nsec) / NS_PER_MS;
	return ms > 0 ? ms : 0;
}

int clock_passed(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != deadline->tv_sec)
		return now.tv_sec > deadline->tv_sec;
	return now.tv_nsec >= deadline->tv_nsec;
}

int clock_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int e = pthread_condattr_init(&attr);
	if (e != 0)
		return e;
	e = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (e != 0)
		goto out;
	e = pthread_cond_init(cond, &attr);
out:
	pthread_condattr_destroy(&attr);
	return e;
}
