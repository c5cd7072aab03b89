#define _XOPEN_SOURCE 700  /* strdup() */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_matches.h"

static const char OF_REPORT_SQL[] =
	"SELECT m.found_id, coalesce(o.child_name, ''), m.score, m.why FROM matches m"
	" LEFT JOIN cases o ON o.report_id = m.found_id WHERE m.report_id = ?1 AND m.state = 'suggested'"
	" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.found_id = m.found_id) ORDER BY m.score DESC";
static const char OF_FOUND_SQL[] =
	"SELECT m.report_id, coalesce(o.child_name, ''), m.score, m.why FROM matches m"
	" LEFT JOIN cases o ON o.report_id = m.report_id WHERE m.found_id = ?1 AND m.state = 'suggested'"
	" AND NOT EXISTS (SELECT 1 FROM links l WHERE l.found_id = m.found_id) ORDER BY m.score DESC";

static char *dup_text(sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	return strdup(s ? s : "");
}

static int add(sqlite3_stmt *q, struct board_matches *out)
{
	struct board_match *more = realloc(out->v, (out->n + 1) * sizeof(*more));
	if (more == NULL)
		return -ENOMEM;
	out->v = more;
	struct board_match *m = &out->v[out->n++];
	*m = (struct board_match){0};
	if (sqlite3_column_bytes(q, 0) == RAKSHA_UUID_LEN)
		memcpy(m->other_id, sqlite3_column_blob(q, 0), RAKSHA_UUID_LEN);
	m->name = dup_text(q, 1);
	m->score = sqlite3_column_int(q, 2);
	m->why = dup_text(q, 3);
	return m->name && m->why ? 0 : -ENOMEM;
}

int board_matches_load(sqlite3 *db, const uint8_t id[RAKSHA_UUID_LEN], bool found, struct board_matches *out)
{
	sqlite3_stmt *q;
	*out = (struct board_matches){0};
	if (sqlite3_prepare_v2(db, found ? OF_FOUND_SQL : OF_REPORT_SQL, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_blob(q, 1, id, RAKSHA_UUID_LEN, SQLITE_STATIC);
	int rc = SQLITE_DONE, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW)
		r = add(q, out);
	sqlite3_finalize(q);
	if (r == 0 && rc != SQLITE_DONE)
		r = -EIO;
	if (r < 0)
		board_matches_free(out);
	return r;
}

void board_matches_free(struct board_matches *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].why);
	}
	free(m->v);
	*m = (struct board_matches){0};
}
