/* raksha-replay stats: the statistics of the selection (history/stats.h),
 * printed. */
#include <stdlib.h>
#include <sysexits.h>

#include "common/clock.h"
#include "common/log.h"
#include "replay/replay.h"
#include "replay/stats.h"

int replay_stats(const struct args *a)
{
	sqlite3 *db;
	int r = replay_open_db(a, &db);
	if (r != 0)
		return r;
	struct stats *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		log_line(LOG_ERR, "raksha-replay: out of memory");
		sqlite3_close(db);
		return EX_OSERR;
	}
	s->from_ms = a->filter.since_ms;
	s->to_ms = a->filter.until_ms ? a->filter.until_ms : clock_wall_ms();
	r = stats_gather(db, &a->filter, s) < 0 ? EX_DATAERR : EX_OK;
	if (r != EX_OK)
		log_line(LOG_ERR, "raksha-replay: cannot read %s", a->db);
	else if (a->format == FORMAT_JSON && stats_print_json(s) < 0)
		r = EX_OSERR;  /* not "0 and nothing printed" */
	else if (a->format != FORMAT_JSON)
		stats_print_text(s);
	stats_free(s);
	sqlite3_close(db);
	return r;
}
