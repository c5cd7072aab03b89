/* The hooks' runs and failures, added to the database's meta (hooks_run,
 * hooks_failed) once a step, so that the metrics (subscriber/metrics/),
 * which read only the database, can count them for the desk too. A crash
 * loses at most the last second's. */
#include <sqlite3.h>

#include "agent/escalator_impl.h"
#include "agent/hooks.h"

static int add(struct store *s, const char *key, uint64_t n)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), "INSERT INTO meta VALUES (?1, ?2)"
				    " ON CONFLICT (key) DO UPDATE SET value = value + excluded.value", -1, &st,
				    NULL);
	if (rc != SQLITE_OK)
		return store_errno(rc);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

static int add_both(struct store *s, void *ctx)
{
	const struct escalator *e = ctx;
	int r = add(s, "hooks_run", e->hooks_ran);
	if (r < 0)
		return r;
	return add(s, "hooks_failed", e->hooks_failed);
}

int escalator_hook_counts(struct escalator *e)
{
	uint64_t ran, failed;
	hooks_take_counts(e->hooks, &ran, &failed);
	e->hooks_ran += ran;  /* kept until a commit takes them */
	e->hooks_failed += failed;
	if (e->hooks_ran == 0 && e->hooks_failed == 0)
		return 0;
	int r = escalator_sync(e, true);  /* counts no later look makes again */
	if (r == 0)
		r = store_transaction(e->store, add_both, e);
	if (r < 0)
		return r;
	e->hooks_ran = 0;
	e->hooks_failed = 0;
	return 0;
}
