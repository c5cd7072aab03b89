/* A wall clock a test sets, for LD_PRELOAD: CLOCK_REALTIME (and its coarse
 * form), gettimeofday() and time() run as many milliseconds ahead of the
 * real one (behind, if negative) as the file RAKSHA_CLOCK_OFFSET_FILE says,
 * read again at most every 20 ms, so that a test steps the clock of a
 * running program by writing the file. Every other clock, and every wait on
 * one, is left alone: libfaketime's pthread_cond_timedwait() returns at once
 * on a CLOCK_MONOTONIC condition variable once an offset is set, which
 * turned every bounded wait of the agent into a busy loop. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define REREAD_NS (20 * 1000 * 1000)

static _Atomic int64_t offset_ms;
static _Atomic int64_t read_at_ns = INT64_MIN;

static int real_clock(clockid_t id, struct timespec *ts)
{
	return (int)syscall(SYS_clock_gettime, id, ts);
}

/* The file's number, or the last one read if it cannot be read now (a
 * test writing it at this moment). Plain system calls only: this runs
 * inside any clock call, in any thread. */
static int64_t file_offset(int64_t last)
{
	const char *path = getenv("RAKSHA_CLOCK_OFFSET_FILE");
	char text[32];
	int fd = path != NULL ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return last;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return last;
	text[n] = '\0';
	char *end;
	long long v = strtoll(text, &end, 10);
	return end != text ? v : last;
}

static int64_t current_offset(void)
{
	struct timespec mono;
	real_clock(CLOCK_MONOTONIC, &mono);
	int64_t now_ns = (int64_t)mono.tv_sec * 1000000000 + mono.tv_nsec;
	int64_t at = atomic_load(&read_at_ns);
	if (at == INT64_MIN || now_ns - at >= REREAD_NS) {
		atomic_store(&offset_ms, file_offset(atomic_load(&offset_ms)));
		atomic_store(&read_at_ns, now_ns);
	}
	return atomic_load(&offset_ms);
}

static void shift(struct timespec *ts, int64_t ms)
{
	int64_t ns = (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec + ms * 1000000;
	ts->tv_sec = (time_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int r = real_clock(id, ts);
	if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
		shift(ts, current_offset());
	return r;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tz;
	struct timespec ts;
	int r = clock_gettime(CLOCK_REALTIME, &ts);
	if (r == 0) {
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	return r;
}

time_t time(time_t *out)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (out != NULL)
		*out = ts.tv_sec;
	return ts.tv_sec;
}
