/* Steps of the wall clock. Due times are wall times (the database keeps
 * them across restarts), so a clock set back an hour would push every
 * timer an hour away, and one set forward would fire them early. The
 * monotonic clock does not step: when the difference between the two
 * moves, the clock was stepped, and every pending timer moves with it, so
 * that what was due in 5 s is due in 5 s, whatever the clock says. */
#include <stdlib.h>

#include "agent/escalator_impl.h"
#include "common/log.h"

/* Said to the nearest second. Smaller moves between two looks (a second or so apart) are drift being
 * slewed (at most 0.5 ms a second). */
#define STEP_MIN_MS 1000

int escalator_follow_clock(struct escalator *e, int64_t wall_ms, int64_t mono_ms)
{
	int64_t offset = wall_ms - mono_ms;
	if (!e->clock_seen) {
		e->clock_offset_ms = offset;
		e->clock_seen = true;
		return 0;
	}
	int64_t step = offset - e->clock_offset_ms;
	if (llabs(step) < STEP_MIN_MS) {
		/* Followed, so that hours of slewing never add up to a step. */
		e->clock_offset_ms = offset;
		return 0;
	}
	int r = escalator_sync(e, true);  /* a step no later look would see again */
	if (r == 0)
		r = escalator_timers_shift(e->store, step);
	if (r < 0)
		return r;  /* the next step tries again, with the same offset */
	e->clock_offset_ms = offset;
	e->retaken_ms = 0;  /* what the clock refused may be allowed now */
	log_line(LOG_WARNING, "the clock was set %s by %lld s; pending escalations keep their time",
		 step < 0 ? "back" : "forward", (llabs(step) + 500) / 1000);
	return 0;
}

bool escalator_clock_moved(const struct escalator *e, int64_t wall_ms, int64_t mono_ms)
{
	return e->clock_seen && llabs(wall_ms - mono_ms - e->clock_offset_ms) >= STEP_MIN_MS;
}
