#ifndef RAKSHA_TESTS_DB_TEXT_H
#define RAKSHA_TESTS_DB_TEXT_H

#include <sqlite3.h>

/* The first column of the first row @sql gives on @db, as text: "" for no
 * row, NULL or an error. The buffer is static: one answer at a time. */
const char *db_text(sqlite3 *db, const char *sql);

/* The same on the database file @path, opened read-only for the one query
 * (what another process, the sqlite3 shell say, would read). */
const char *db_file_text(const char *path, const char *sql);

#endif
