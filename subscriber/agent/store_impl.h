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
	ST_ACK, ST_ESCALATION, ST_FOUND, ST_LINK, ST_LINK_MATCH, ST_REJECTED, ST_REJECTED_USE, ST_REJECTED_DROP,
	ST_CASE_OWNER, ST_KNOWN, ST_HOLD, ST_HELD_COUNT, ST_HELD_OF, ST_HELD_DROP, ST_COUNT
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
	/* Refusals of a case's change, said once a minute: a real case's and a
	 * drill's apart ([1]), so that a drill never hides a real one's line. */
	int64_t refused_logged_ms[2], refused_since_log[2];
	store_supervisor_fn supervisor;  /* store_set_supervisors(); or NULL: none */
	void *supervisor_ctx;
	struct {                         /* store_cached() */
		const char *sql;
		sqlite3_stmt *st;
	} cached[STORE_CACHED_MAX];
	int n_cached;
};

extern const char *const STORE_SQL[ST_COUNT];

/* Runs a prepared statement once, and makes it ready for the next. */
int store_run(sqlite3_stmt *st);

/* Stores @env (valid, and judged takeable) and brings its case's view up
 * to date; after a case's first report, judges what was held for it.
 * Returns 1 if new, 0 if its message_id was stored, or -errno. */
int store_take(struct store *s, const char *topic, const raksha_envelope *env, const void *bytes,
	       size_t len, int64_t received_ms);

/* Who may change a case (store_owner.c). Returns 0 if @env is to be
 * taken; 1 if it was held (its case has no report yet) or refused (kept
 * in rejected); or -errno. */
int store_owner_judge(struct store *s, const char *topic, const raksha_envelope *env, const void *bytes,
		      size_t len, int64_t received_ms);

/* Judges, in arrival order, what was held for the case @report_id, whose
 * first report was just taken. Returns 0 or -errno. */
int store_owner_release(struct store *s, const ProtobufCBinaryData *report_id);

/* As store_rejected(), for a change refused for the case @report_id (NULL
 * for none), which the case's timeline shows. */
int store_refused(struct store *s, const char *topic, const ProtobufCBinaryData *report_id, const void *bytes,
		  size_t len, const struct raksha_problem *why, int64_t received_ms);

/* "STATE/REGION/AGENCY" of @o into @out (STORE_SENDER_MAX bytes): the
 * unit that set a case's status (cases.status_by). */
void store_unit_name(const Raksha__V1__Origin *o, char *out);

/* The case view of the found child @env (store_is_found()), inside the
 * transaction, at @now (store_found.c). Returns 0 or -errno. */
int store_found_view(struct store *s, const raksha_envelope *env, int64_t now);

/* Records the link @env (inside the transaction, right after its message
 * row): who said which found child is which report, and when. Returns 0
 * or -errno. */
int store_link_view(struct store *s, const raksha_envelope *env);

/* The other names of @c (NULL: none) joined by ", ", as cases.other_names
 * keeps them; NULL if out of memory. */
char *store_other_names(const Raksha__V1__Child *c);

/* The SQL function raksha_other_names(envelope, received_at_ms), for the
 * schema's migration to 5. Returns 0 or -errno. */
int store_found_function(struct store *s);

/* The SQL function raksha_sender(topic), for the schema's migration. */
int store_sender_function(struct store *s);

#endif
