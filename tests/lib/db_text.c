/* One answer of SQLite as text, for the unit tests' checks. */
#include <stdio.h>

#include "tests/lib/db_text.h"

const char *db_text(sqlite3 *db, const char *sql)
{
	static char out[512];
	sqlite3_stmt *q;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_text(q, 0) != NULL)
		snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return out;
}

const char *db_file_text(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	const char *out = db_text(db, sql);
	sqlite3_close(db);
	return out;
}
