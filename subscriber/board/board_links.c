#define _XOPEN_SOURCE 700  /* strdup() */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_links.h"

/* The other case's columns are the same either way: for a report its
 * found children (each by its latest link), for a found child its report. */
#define COLUMNS "SELECT o.report_id IS NOT NULL, coalesce(o.child_name, ''), coalesce(o.place, '')," \
	" coalesce(o.station, ''), coalesce(o.in_custody, 0), coalesce(o.unit || ' (' || o.state || '/'" \
	" || o.region || '/' || o.agency || ')', ''), l.unit || ' (' || l.by || ')', l.notes, l.at_ms, "
static const char OF_REPORT_SQL[] = COLUMNS "l.found_id FROM links l LEFT JOIN cases o"
	" ON o.report_id = l.found_id WHERE l.report_id = ?1"
	" AND l.seq = (SELECT max(seq) FROM links x WHERE x.found_id = l.found_id) ORDER BY l.seq";
static const char OF_FOUND_SQL[] = COLUMNS "l.report_id FROM links l LEFT JOIN cases o"
	" ON o.report_id = l.report_id WHERE l.found_id = ?1 ORDER BY l.seq DESC LIMIT 1";

static char *dup_text(sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	return strdup(s ? s : "");
}

/* One row into @k; false if out of memory. */
static bool read_link(sqlite3_stmt *q, struct board_link *k)
{
	*k = (struct board_link){0};
	k->other_known = sqlite3_column_int(q, 0) != 0;
	k->name = dup_text(q, 1);
	k->place = dup_text(q, 2);
	k->station = dup_text(q, 3);
	k->in_custody = sqlite3_column_int(q, 4) != 0;
	k->holder = dup_text(q, 5);
	k->by = dup_text(q, 6);
	k->notes = dup_text(q, 7);
	k->at_ms = sqlite3_column_int64(q, 8);
	if (sqlite3_column_bytes(q, 9) == RAKSHA_UUID_LEN)
		memcpy(k->other_id, sqlite3_column_blob(q, 9), RAKSHA_UUID_LEN);
	return k->name && k->place && k->station && k->holder && k->by && k->notes;
}

static void free_link(struct board_link *k)
{
	free(k->name);
	free(k->place);
	free(k->station);
	free(k->holder);
	free(k->by);
	free(k->notes);
}

int board_links_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, struct board_links *out)
{
	sqlite3_stmt *q;
	*out = (struct board_links){0};
	if (sqlite3_prepare_v2(db, found ? OF_FOUND_SQL : OF_REPORT_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc = SQLITE_DONE, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct board_link *more = realloc(out->v, (out->n + 1) * sizeof(*more));
		if (more == NULL) {
			r = -ENOMEM;
			break;
		}
		out->v = more;
		if (!read_link(q, &out->v[out->n++]))
			r = -ENOMEM;
	}
	sqlite3_finalize(q);
	if (r == 0 && rc != SQLITE_DONE)
		r = -EIO;
	if (r < 0)
		board_links_free(out);
	return r;
}

void board_links_free(struct board_links *l)
{
	for (size_t i = 0; i < l->n; i++)
		free_link(&l->v[i]);
	free(l->v);
	*l = (struct board_links){0};
}
