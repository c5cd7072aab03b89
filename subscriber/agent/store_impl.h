/* The store's insides (store.h), shared by store.c (the log, the case
 * view, the schema) and store_rejected.c (rejected input and its bounds). */
#ifndef RAKSHA_AGENT_STORE_IMPL_H
#define RAKSHA_AGENT_STORE_IMPL_H

#include <stdint.h>
#include <sys/types.h>

#include <sqlite3.h>

#include "agent/store.h"

enum stmt {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_MESSAGE, ST_REPORT, ST_SIGHTING, ST_STATUS,
	ST_ACK, ST_ESCALATION, ST_REJECTED, ST_REJECTED_USE, ST_REJECTED_DROP, ST_COUNT
};

/* The first statement that needs the schema: those before it run the
 * schema's own transaction. */
#define ST_FIRST_TABLE ST_MESSAGE

/* Rejections not kept, said at most once a minute: two kinds, as a
 * message refused for its time alone was a report to take later. */
enum store_drop_kind { STORE_DROP_INPUT, STORE_DROP_CLOCK, STORE_DROP_KINDS };

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	char *path;
	dev_t dev;   /* the file the connection opened, as @path named it then */
	ino_t ino;
	int64_t rejected_sender_max, rejected_total_max;  /* bytes (store_rejected_bounds()) */
	int64_t drop_logged_ms[STORE_DROP_KINDS];        /* monotonic */
	int64_t drops_since_log[STORE_DROP_KINDS];
};

extern const char *const STORE_SQL[ST_COUNT];

/* Runs a prepared statement once, and makes it ready for the next. */
int store_run(sqlite3_stmt *st);

/* The SQL function raksha_sender(topic), for the schema's migration. */
int store_sender_function(struct store *s);

#endif
