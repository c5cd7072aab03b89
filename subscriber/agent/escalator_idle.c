/* How long the escalator sleeps between steps. It used to step each
 * second whatever there was: 1,000 idle agents took 0.4-0.7 of a core for
 * nothing (docs/benchmarks.md, issue 19, part 1). What makes a step due is
 * either said (a kick of the committer for what it stored, the board's
 * dismissal by the folder's watch, the stop) or known here: the earliest
 * timer, the passes of retention, retake and checkpoint. */
#include "agent/escalator_impl.h"
#include "common/minmax.h"

/* The longest sleep: the retake's pass comes each minute anyway. */
#define IDLE_MAX_MS 60000

int64_t escalator_idle_ms(struct escalator *e, int64_t now_ms, bool failed)
{
	int64_t due;
	if (escalator_timers_next(e->store, &due) < 0)
		return ESCALATOR_TICK_MS;
	int64_t ms = MIN(IDLE_MAX_MS, due - now_ms);
	ms = MIN(ms, e->retaken_ms + ESCALATOR_RETAKE_INTERVAL_MS - now_ms);
	ms = MIN(ms, e->pruned_ms + ESCALATOR_PRUNE_INTERVAL_MS - now_ms);
	if (e->c->durability == DURABILITY_POWER && e->scanned_seq != e->checkpoint_seq)
		ms = MIN(ms, e->checkpoint_ms + ESCALATOR_CHECKPOINT_INTERVAL_MS - now_ms);
	/* A retry, the hooks' counts and runs, a pass of the clock's
	 * rejections under way, or dismissals no watch tells of: each second. */
	if (failed || e->watch_fd < 0 || e->retake_mark != 0 || hooks_busy(e->hooks))
		ms = MIN(ms, ESCALATOR_TICK_MS);
	return MAX(ms, 0);
}
