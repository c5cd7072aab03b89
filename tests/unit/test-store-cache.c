/* What the start check leaves in memory (store.c, issue 19 part 6): a
 * database of 4 MiB opened by store_open(), whose PRAGMA quick_check reads
 * every page through the connection's cache, leaves that cache holding
 * less than 256 KiB (SQLITE_DBSTATUS_CACHE_USED), not the 2 MiB the check
 * filled; the store still works after (a row read back). */
#define _DEFAULT_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/store.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

static int cache_used(sqlite3 *db)
{
	int now = 0, high = 0;
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_USED, &now, &high, 0);
	return now;
}

int main(void)
{
	char dir[64], path[300], err[256];
	struct store *s;
	if (!ok(tmpdir_make(dir, "store-cache") == 0, "a temporary folder"))
		return tap_done();
	snprintf(path, sizeof(path), "%s/agent.db", dir);
	if (!ok(store_open(path, DURABILITY_CRASH, &s, err, sizeof(err)) == 0, "a new database"))
		return tap_done();
	/* 4 MiB in 1,024 rows of 4 KiB each: more pages than the default cache holds. */
	ok(sqlite3_exec(store_db(s), "CREATE TABLE pad(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
			"SELECT i + 1 FROM n WHERE i < 1024) INSERT INTO pad SELECT randomblob(4000) FROM n",
			NULL, NULL, NULL) == SQLITE_OK, "4 MiB written into it");
	store_close(s);
	if (!ok(store_open(path, DURABILITY_CRASH, &s, err, sizeof(err)) == 0, "opened again (its check read it all)"))
		return tap_done();
	int used = cache_used(store_db(s));
	ok(used < 256 * 1024, "the check's pages given back: %d bytes of page cache in use", used);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM pad", -1, &q, NULL);
	ok(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1024, "the store reads its file after");
	sqlite3_finalize(q);
	store_close(s);
	tmpdir_remove(dir);
	return tap_done();
}
