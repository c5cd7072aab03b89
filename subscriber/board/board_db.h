/* The agent's database, read by the board. The agent is its only writer:
 * the board opens it so that it cannot write (read-only, or query_only when
 * read-only is impossible), and never checkpoints it. */
#ifndef RAKSHA_BOARD_DB_H
#define RAKSHA_BOARD_DB_H

#include <stddef.h>

#include <sqlite3.h>

struct board_names;

struct board_db {
	sqlite3 *db;
	sqlite3_stmt *version;   /* PRAGMA data_version */
	long long last_version;  /* -1 before the first look */
	struct board_names *names;  /* board_other_names() for the search */
};

/* Opens the database at @path and checks that the agent has made its
 * tables. On failure @err (@errlen bytes) says what is wrong.
 * Returns 0, or:
 *   -ENOENT  there is no such file yet (the agent has not run)
 *   -EAGAIN  the file is there, its tables not yet (the agent is starting)
 *   -EACCES  it cannot be opened (permissions: it is the agent's, mode 0600)
 *   -EIO     not a database, or damaged
 *   -ENOMEM  out of memory */
int board_db_open(const char *path, struct board_db **out, char *err, size_t errlen);

void board_db_close(struct board_db *db);

/* 1 if the agent committed something since the last call (and on the
 * first call), 0 if not, or -EIO. Cheap: meant to be polled. */
int board_db_changed(struct board_db *db);

#endif
