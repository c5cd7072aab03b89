/* The two clocks, and timed waits that a step of the wall clock does not
 * stretch.
 *
 * Wall time (CLOCK_REALTIME) is for what leaves the process: envelope
 * timestamps, the database's arrival times, escalation due times that
 * survive a restart. Everything that waits a while or measures how long
 * something took uses the monotonic clock: district PCs' clocks drift and
 * are stepped by NTP (the schema allows a day of skew for that reason), and
 * a wait for a wall-clock deadline grows by the size of a step back. */
#ifndef RAKSHA_COMMON_CLOCK_H
#define RAKSHA_COMMON_CLOCK_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* Milliseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t clock_wall_ms(void);

/* Milliseconds of CLOCK_MONOTONIC: only differences mean anything. */
int64_t clock_mono_ms(void);

/* @t moved on by @ns nanoseconds (>= 0), its tv_nsec kept below a second. */
struct timespec clock_add_ns(struct timespec t, int64_t ns);

/* The CLOCK_MONOTONIC time @ms milliseconds (>= 0) from now: a deadline for
 * pthread_cond_timedwait() on a condition variable made by
 * clock_cond_init(). */
struct timespec clock_deadline(int64_t ms);

/* Milliseconds left until @deadline (a clock_deadline()), 0 once it passed. */
int64_t clock_remaining_ms(const struct timespec *deadline);

/* True once @deadline (a clock_deadline()) has passed. */
int clock_passed(const struct timespec *deadline);

/* Initialises @cond so that its timed waits count on CLOCK_MONOTONIC.
 * Returns 0, or the error number of pthread_cond_init(). */
int clock_cond_init(pthread_cond_t *cond);

#endif
