/* What metrics.h's files share. */
#ifndef RAKSHA_METRICS_IMPL_H
#define RAKSHA_METRICS_IMPL_H

#include "metrics/metrics.h"

#define METRICS_TEXT(x) #x
#define METRICS_NUMBER(x) METRICS_TEXT(x)

/* -EIO, with @err saying which statement (@what) failed and SQLite's why. */
int metrics_sql_error(sqlite3 *db, const char *what, char *err, size_t errlen);

/* The first row of @sql, its first @n columns into *@out[i] (left as they
 * were when there is no row). Returns 0 or -EIO. */
int metrics_row(sqlite3 *db, const char *sql, int64_t *out[], int n, char *err, size_t errlen);

/* Reads the presence of agent @id of @unit stored since @link's last look
 * (metrics_link.c). Returns 0, -EIO or -ENOMEM. */
int metrics_link_update(sqlite3 *db, const char *const unit[3], const char *id, struct metrics_link *link,
			char *err, size_t errlen);

#endif
