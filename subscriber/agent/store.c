/* The agent's SQLite log. One transaction per envelope: the message row and
 * the case view change together or not at all. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent/store.h"
#include "common/clock.h"
#include "common/log.h"
#include "agent/store_impl.h"
#include "agent/store_schema.h"

const char *const STORE_SQL[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_MESSAGE] = "INSERT INTO messages (message_id, received_at_ms, sent_at_ms, topic, kind,"
		" report_id, state, region, agency, envelope) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT (message_id) DO NOTHING",
	/* A newer or equal revision replaces the details; an older one that
	 * arrives late changes nothing. The owner (state, region, agency,
	 * unit) is the first report's: a supervisor's revision keeps it. A
	 * report says the status until an update has (status_by), and after
	 * that only when it says other than open: reopening is an update's. */
	[ST_REPORT] = "INSERT INTO cases (report_id, revision, report_seq, status, status_at_ms, priority,"
		" exercise, child_name, state, region, agency, unit, station, train, coach, last_seen_ms,"
		" first_seen_ms, updated_ms, other_names) VALUES (?1, ?2, last_insert_rowid(), ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?18)"
		" ON CONFLICT (report_id) DO UPDATE SET revision = excluded.revision,"
		" report_seq = excluded.report_seq, priority = excluded.priority, exercise = excluded.exercise,"
		" child_name = excluded.child_name, other_names = excluded.other_names, state = coalesce(cases.state, excluded.state),"
		" region = coalesce(cases.region, excluded.region), agency = coalesce(cases.agency, excluded.agency),"
		" unit = coalesce(cases.unit, excluded.unit), station = excluded.station,"
		" train = excluded.train, coach = excluded.coach, last_seen_ms = excluded.last_seen_ms,"
		" updated_ms = excluded.updated_ms,"
		" status = iif(cases.status_by IS NULL OR excluded.status <> 'open', excluded.status, cases.status),"
		" status_at_ms = iif(cases.status_by IS NULL OR excluded.status <> 'open', excluded.status_at_ms,"
		" cases.status_at_ms),"
		" status_by = iif(excluded.status <> 'open', ?17, cases.status_by)"
		" WHERE excluded.revision >= cases.revision AND cases.kind = 'report'",
	/* A found child: its case's details are the first sighting's, or a
	 * later one's with the same sighting_id from the same unit (its
	 * finder's correction); a case whose row an update or escalation made
	 * before (child_name NULL) becomes the found child's. The status is
	 * an update's. */
	[ST_FOUND] = "INSERT INTO cases (report_id, kind, revision, report_seq, status_at_ms, priority, exercise,"
		" child_name, other_names, state, region, agency, unit, station, train, coach, last_seen_ms, place,"
		" in_custody, first_seen_ms, updated_ms) VALUES (?1, 'found', 1, last_insert_rowid(), ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)"
		" ON CONFLICT (report_id) DO UPDATE SET kind = 'found', revision = 1, report_seq = excluded.report_seq,"
		" priority = excluded.priority, exercise = excluded.exercise, child_name = excluded.child_name,"
		" other_names = excluded.other_names, state = excluded.state, region = excluded.region,"
		" agency = excluded.agency, unit = excluded.unit, station = excluded.station, train = excluded.train,"
		" coach = excluded.coach, last_seen_ms = excluded.last_seen_ms, place = excluded.place,"
		" in_custody = excluded.in_custody, updated_ms = excluded.updated_ms"
		" WHERE cases.child_name IS NULL OR (cases.kind = 'found' AND cases.state = excluded.state"
		" AND cases.region = excluded.region AND cases.agency = excluded.agency)",
	[ST_SIGHTING] = "INSERT INTO cases (report_id, sightings, first_seen_ms, updated_ms)"
		" VALUES (?1, 1, ?2, ?2) ON CONFLICT (report_id) DO UPDATE SET"
		" sightings = cases.sightings + 1, updated_ms = excluded.updated_ms",
	/* A taken update sets the status: the last to arrive, whatever the
	 * sender's clock says (store_owner.c judged who may send it). */
	[ST_STATUS] = "INSERT INTO cases (report_id, status, status_at_ms, status_by, first_seen_ms, updated_ms)"
		" VALUES (?1, ?2, ?3, ?5, ?4, ?4) ON CONFLICT (report_id) DO UPDATE SET"
		" status = excluded.status, status_at_ms = excluded.status_at_ms,"
		" status_by = excluded.status_by, updated_ms = excluded.updated_ms",
	[ST_ACK] = "INSERT INTO acks (report_id, state, region, agency, unit, ack_state, at_ms)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (report_id, state, region, agency)"
		" DO UPDATE SET unit = excluded.unit, ack_state = excluded.ack_state, at_ms = excluded.at_ms"
		" WHERE excluded.at_ms >= acks.at_ms",
	[ST_ESCALATION] = "INSERT INTO cases (report_id, escalation_level, first_seen_ms, updated_ms)"
		" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (report_id) DO UPDATE SET"
		" escalation_level = max(cases.escalation_level, excluded.escalation_level),"
		" updated_ms = excluded.updated_ms",
	[ST_REJECTED] = ("INSERT INTO rejected (received_at_ms, topic, cause, reason, size, bytes, sender,"
		" report_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),  /* in parentheses: one string (clang asks) */
	/* All senders' cost, @1's, how many senders there are, whether @1 is one. */
	[ST_REJECTED_USE] = "SELECT coalesce(sum(bytes), 0), coalesce(sum(bytes) FILTER (WHERE sender = ?1), 0),"
		" count(*), count(*) FILTER (WHERE sender = ?1) FROM rejected_senders",
	/* One more refusal not kept; the first one's topic, cause, reason,
	 * size and first bytes stay until the count is pruned. */
	[ST_REJECTED_DROP] = "INSERT INTO rejected_senders (sender, dropped, dropped_bytes, dropped_clock,"
		" first_dropped_ms, last_dropped_ms, first_topic, first_cause, first_reason, first_size,"
		" first_bytes) VALUES (?1, 1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?2, ?8) ON CONFLICT (sender) DO UPDATE"
		" SET dropped = dropped + 1, dropped_bytes = dropped_bytes + excluded.dropped_bytes,"
		" dropped_clock = dropped_clock + excluded.dropped_clock,"
		" last_dropped_ms = max(coalesce(last_dropped_ms, 0), excluded.last_dropped_ms),"
		" first_dropped_ms = iif(dropped = 0, excluded.first_dropped_ms, first_dropped_ms),"
		" first_topic = iif(dropped = 0, excluded.first_topic, first_topic),"
		" first_cause = iif(dropped = 0, excluded.first_cause, first_cause),"
		" first_reason = iif(dropped = 0, excluded.first_reason, first_reason),"
		" first_size = iif(dropped = 0, excluded.first_size, first_size),"
		" first_bytes = iif(dropped = 0, excluded.first_bytes, first_bytes)",
	[ST_LINK] = "INSERT INTO links (seq, found_id, report_id, by, unit, at_ms, notes)"
		" VALUES (last_insert_rowid(), ?1, ?2, ?3, ?4, ?5, ?6)",
	/* A person linked them: what matching suggested is confirmed. */
	[ST_LINK_MATCH] = "UPDATE matches SET state = 'confirmed' WHERE found_id = ?1 AND report_id = ?2",
	[ST_CASE_OWNER] = "SELECT state, region, agency, revision, exercise FROM cases WHERE report_id = ?1 AND state IS NOT NULL",
	[ST_KNOWN] = "SELECT 1 FROM messages WHERE message_id = ?1",
	[ST_HOLD] = "INSERT INTO held (message_id, report_id, sender, received_at_ms, topic, envelope)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (message_id) DO NOTHING",
	[ST_HELD_COUNT] = "SELECT count(*) FROM held WHERE sender = ?1",
	[ST_HELD_OF] = "SELECT topic, envelope, received_at_ms FROM held WHERE report_id = ?1 ORDER BY seq",
	[ST_HELD_DROP] = "DELETE FROM held WHERE report_id = ?1",
};

int store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL: return -ENOSPC;
	case SQLITE_NOMEM: return -ENOMEM;
	default: return -EIO;
	}
}

static int exec(struct store *s, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK && err != NULL)
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : store_errno(rc);
}

/* The first line of PRAGMA quick_check, "ok" for a healthy file. */
static int check_integrity(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &q, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
		return -EIO;
	}
	rc = sqlite3_step(q);
	const char *verdict = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
	int r = verdict && strcmp(verdict, "ok") == 0 ? 0 : -EIO;
	if (r < 0)
		snprintf(err, errlen, "damaged: %s", verdict ? verdict : sqlite3_errmsg(s->db));
	sqlite3_finalize(q);
	/* The check read every page of the file through this connection's
	 * cache, which it leaves full of pages nothing else will want (2 MiB
	 * by default on a large history: docs/benchmarks.md, issue 19 part 6). */
	sqlite3_db_release_memory(s->db);
	return r;
}

/* Adds @c to its table if the table is there without it: a table that is
 * not there yet, SCHEMA_SQL makes whole. */
static int add_column(struct store *s, const struct schema_column *c, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*), count(*) FILTER (WHERE name = ?2)"
			       " FROM pragma_table_info(?1)", -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(q, 1, c->table, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->column, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	bool wanted = rc == SQLITE_ROW && sqlite3_column_int(q, 0) > 0 && sqlite3_column_int(q, 1) == 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_errno(rc);
	if (!wanted)
		return 0;
	char sql[200];
	snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s", c->table, c->column, c->type);
	return exec(s, sql, err, errlen);
}

struct migration {
	int version;  /* the file's: 0 when new */
	char *err;
	size_t errlen;
};

static int add_columns(struct store *s, const struct schema_column *c, size_t n, const struct migration *m)
{
	for (size_t i = 0; i < n; i++) {
		int r = add_column(s, &c[i], m->err, m->errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The schema's one transaction: the file is at one version or the next,
 * never half way. */
static int migrate(struct store *s, void *ctx)
{
	const struct migration *m = ctx;
	int r;
	if (m->version == 1 || m->version == 2) {
		r = exec(s, SCHEMA_TO_3_SQL, m->err, m->errlen);
		if (r < 0)
			return r;
	}
	r = add_columns(s, SCHEMA_4_COLUMNS, sizeof(SCHEMA_4_COLUMNS) / sizeof(SCHEMA_4_COLUMNS[0]), m);
	if (r < 0)
		return r;
	r = add_columns(s, SCHEMA_5_COLUMNS, sizeof(SCHEMA_5_COLUMNS) / sizeof(SCHEMA_5_COLUMNS[0]), m);
	if (r < 0)
		return r;
	r = exec(s, SCHEMA_SQL, m->err, m->errlen);
	if (r < 0)
		return r;
	r = exec(s, SCHEMA_HELD_SQL, m->err, m->errlen);
	if (r < 0)
		return r;
	r = exec(s, SCHEMA_LINKS_SQL, m->err, m->errlen);
	if (r < 0)
		return r;
	if (m->version >= 1 && m->version < 5) {
		r = exec(s, SCHEMA_TO_5_SQL, m->err, m->errlen);
		if (r < 0)
			return r;
	}
	if (m->version < 3) {  /* from 3 on, the triggers kept the sums */
		r = exec(s, SCHEMA_SUMS_SQL, m->err, m->errlen);
		if (r < 0)
			return r;
	}
	char set[64];
	snprintf(set, sizeof(set), "PRAGMA user_version = %d", SCHEMA_VERSION);
	return exec(s, set, m->err, m->errlen);
}

static int schema(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int version = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > SCHEMA_VERSION) {
		snprintf(err, errlen, "made by a newer raksha-agent (schema %d, this one knows %d)",
			 version, SCHEMA_VERSION);
		return -EIO;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	struct migration m = {version, err, errlen};
	err[0] = '\0';
	int r = store_transaction(s, migrate, &m);
	if (r < 0 && err[0] == '\0')
		snprintf(err, errlen, "cannot bring the schema from %d to %d: %s", version, SCHEMA_VERSION,
			 sqlite3_errmsg(s->db));
	return r;
}

/* Statements @from to @to (excluded). */
static int prepare(struct store *s, int from, int to, char *err, size_t errlen)
{
	for (int i = from; i < to; i++) {
		if (sqlite3_prepare_v3(s->db, STORE_SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
			return -EIO;
		}
	}
	return 0;
}

/* Makes the file private before SQLite opens it, also if it was there
 * already: child data. SQLite gives its -wal and -shm files the same mode.
 * An existing file is changed by name, never opened here: closing any
 * descriptor of it would drop the POSIX locks this process's other SQLite
 * connections hold (the escalator has one), and another process could
 * then think itself alone and delete the WAL under them.
 * Returns 1 if it made the file, 0 if it was there, or -errno. */
static int create_private(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (errno != EEXIST)
		return -errno;
	return chmod(path, 0600) < 0 ? -errno : 0;
}

/* A database file made afresh beside the WAL of one that was deleted (its
 * agent killed before it could fold the WAL back in): SQLite would replay
 * that WAL's pages into the new file. The WAL is kept aside, renamed
 * PATH-wal.orphan-MS, for whoever wants the old database back; the shared
 * memory index is only an index of it. */
static int set_aside_wal(const char *path)
{
	char wal[4200], aside[4300];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (access(wal, F_OK) < 0)
		return 0;
	snprintf(aside, sizeof(aside), "%s.orphan-%lld", wal, (long long)clock_wall_ms());
	if (rename(wal, aside) < 0)
		return -errno;
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	log_line(LOG_WARNING, "database %s is new, but the WAL of an earlier one was beside it; kept as %s",
		 path, aside);
	return 0;
}

/* Less than 1 MiB left where @path lives. */
static bool disk_full(const char *path)
{
	struct statvfs v;
	return statvfs(path, &v) == 0 && (uint64_t)v.f_bavail * v.f_frsize < (1u << 20);
}

/* The connection's settings, the file's check and schema, the statements. */
static int set_up(struct store *s, enum durability d, char *err, size_t errlen)
{
	sqlite3_busy_timeout(s->db, 5000);  /* the board reads while we write */
	int r = exec(s, "PRAGMA journal_mode = WAL", err, errlen);
	if (r < 0)
		return r;
	/* The WAL is copied back into the database by the escalator's thread
	 * (store_checkpoint()), off the path that acknowledges messages; this
	 * is only the backstop, at 8 MiB of WAL (ingest keeps it at 4.4 MiB at
	 * most, docs/benchmarks.md). Under commits that never pause, as in a
	 * flood of rejected input, that checkpoint never reaches the end of
	 * the WAL, which only starts again once one has, and would grow until
	 * the disk is full: the committer's own checkpoint, between two of its
	 * commits, reaches it. */
	r = exec(s, "PRAGMA wal_autocheckpoint = 2048", err, errlen);
	if (r < 0)
		return r;
	/* SQLite keeps a WAL at its largest: after a backlog (a link back
	 * after hours) it held tens of MiB for good (bench/soak.sh). Cut back
	 * to 8 MiB when a checkpoint lets the WAL start again. */
	r = exec(s, "PRAGMA journal_size_limit = 8388608", err, errlen);
	if (r < 0)
		return r;
	r = exec(s, d == DURABILITY_POWER ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
		 err, errlen);
	if (r < 0)
		return r;
	r = check_integrity(s, err, errlen);
	if (r < 0)
		return r;
	r = prepare(s, 0, ST_FIRST_TABLE, err, errlen);
	if (r < 0)
		return r;
	r = store_sender_function(s);
	if (r < 0)
		return r;
	r = store_found_function(s);
	if (r < 0)
		return r;
	r = schema(s, err, errlen);
	if (r < 0)
		return r;
	return prepare(s, ST_FIRST_TABLE, ST_COUNT, err, errlen);
}

/* Which file @path names now that the connection has it open: what
 * store_check_file() holds it to. */
static int remember_file(struct store *s, const char *path, char *err, size_t errlen)
{
	struct stat st;
	s->path = strdup(path);
	if (s->path == NULL)
		return -ENOMEM;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -EIO;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

int store_check_file(struct store *s)
{
	struct stat st;
	if (stat(s->path, &st) < 0)
		return errno == ENOENT ? -ESTALE : -EIO;
	return st.st_dev == s->dev && st.st_ino == s->ino ? 0 : -ESTALE;
}

int store_open(const char *path, enum durability d, struct store **out, char *err, size_t errlen)
{
	int r = create_private(path);
	if (r == 1)
		r = set_aside_wal(path);
	if (r < 0) {
		snprintf(err, errlen, "%s", strerror(-r));
		return r == -ENOMEM ? r : -EACCES;
	}
	struct store *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	store_rejected_bounds(s, REJECTED_SENDER_DEFAULT, REJECTED_TOTAL_DEFAULT);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return -EIO;
	}
	r = set_up(s, d, err, errlen);
	if (r == 0)
		r = remember_file(s, path, err, errlen);
	if (r < 0) {
		store_close(s);
		if (r != -ENOMEM && r != -ENOSPC && disk_full(path))
			r = -ENOSPC;  /* SQLite says "disk I/O error" when it cannot make its -shm file */
		if (r == -ENOSPC)
			snprintf(err, errlen, "the disk is full");
		return r == -ENOMEM || r == -ENOSPC ? r : -EIO;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	for (int i = 0; i < s->n_cached; i++)
		sqlite3_finalize(s->cached[i].st);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_errno(rc);
}

static void bind_id(sqlite3_stmt *st, int i, ProtobufCBinaryData id)
{
	if (id.len == RAKSHA_UUID_LEN)
		sqlite3_bind_blob(st, i, id.data, (int)id.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static const char *status_name(int update_status)
{
	static const char *const names[] = {"open", "found", "rescued", "reunited", "closed",
					    "cancelled", "open" /* reopened */};
	return update_status >= 0 && update_status <= 6 ? names[update_status] : "open";
}

static const char *report_status(int case_status)
{
	static const char *const names[] = {"open", "open", "found", "rescued", "reunited",
					    "closed", "cancelled"};
	return case_status >= 0 && case_status <= 6 ? names[case_status] : "open";
}

static int view_report(struct store *s, const raksha_envelope *env, int64_t now)
{
	const Raksha__V1__Report *r = env->report;
	const Raksha__V1__Place *at = r->last_seen;
	sqlite3_stmt *st = s->st[ST_REPORT];
	bind_id(st, 1, r->report_id);
	sqlite3_bind_int64(st, 2, r->revision);
	sqlite3_bind_text(st, 3, report_status(r->status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, env->sent_at_ms);
	sqlite3_bind_int(st, 5, r->priority ? (int)r->priority : RAKSHA__V1__PRIORITY__PRIORITY_HIGH);
	sqlite3_bind_int(st, 6, r->exercise);
	sqlite3_bind_text(st, 7, r->child->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, env->origin->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, env->origin->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, env->origin->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, env->origin->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, at ? at->station_code : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, at ? at->train_number : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, at ? at->coach : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, at ? at->time_ms : 0);
	sqlite3_bind_int64(st, 16, now);
	char by[STORE_SENDER_MAX];
	store_unit_name(env->origin, by);
	sqlite3_bind_text(st, 17, by, -1, SQLITE_TRANSIENT);
	char *names = store_other_names(r->child);
	if (names == NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return -ENOMEM;
	}
	sqlite3_bind_text(st, 18, names, -1, free);
	return store_run(st);
}

void store_unit_name(const Raksha__V1__Origin *o, char *out)
{
	snprintf(out, STORE_SENDER_MAX, "%s/%s/%s", o->state, o->region, o->agency);
}

/* A status update taken: the case's status is now its, and its sender's. */
static int view_status(struct store *s, const raksha_envelope *env, int64_t now)
{
	sqlite3_stmt *st = s->st[ST_STATUS];
	char by[STORE_SENDER_MAX];
	store_unit_name(env->origin, by);
	bind_id(st, 1, env->update->report_id);
	sqlite3_bind_text(st, 2, status_name(env->update->status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, env->sent_at_ms);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, by, -1, SQLITE_TRANSIENT);
	return store_run(st);
}

static int view_ack(struct store *s, const raksha_envelope *env)
{
	const Raksha__V1__Origin *o = env->origin;
	static const char *const states[] = {"received", "received", "acting", "done"};
	int a = env->ack->state;
	sqlite3_stmt *st = s->st[ST_ACK];
	bind_id(st, 1, env->ack->report_id);
	sqlite3_bind_text(st, 2, o->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, a >= 0 && a <= 3 ? states[a] : "received", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, env->sent_at_ms);
	return store_run(st);
}

/* Brings the case view up to date with @env (inside the transaction). */
static int update_view(struct store *s, const raksha_envelope *env, int64_t now)
{
	sqlite3_stmt *st;
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT:
		return view_report(s, env, now);
	case RAKSHA_KIND_SIGHTING:
		if (store_is_found(env))
			return store_found_view(s, env, now);
		st = s->st[ST_SIGHTING];
		bind_id(st, 1, env->sighting->report_id);
		sqlite3_bind_int64(st, 2, now);
		return store_run(st);
	case RAKSHA_KIND_UPDATE:
		return view_status(s, env, now);
	case RAKSHA_KIND_ACK:
		return view_ack(s, env);
	case RAKSHA_KIND_LINK:
		return store_link_view(s, env);
	case RAKSHA_KIND_ESCALATION:
		st = s->st[ST_ESCALATION];
		bind_id(st, 1, env->escalation->report_id);
		sqlite3_bind_int64(st, 2, env->escalation->level);
		sqlite3_bind_int64(st, 3, now);
		return store_run(st);
	default:
		return 0;
	}
}

/* Inserts the message row; 1 if new, 0 if its message_id was there. */
static int insert_message(struct store *s, const char *topic, const raksha_envelope *env,
			  const void *bytes, size_t len, int64_t now)
{
	sqlite3_stmt *st = s->st[ST_MESSAGE];
	bind_id(st, 1, env->message_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, env->sent_at_ms);
	sqlite3_bind_text(st, 4, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, raksha_kind_name(raksha_envelope_kind(env)), -1, SQLITE_STATIC);
	const ProtobufCBinaryData *case_id = store_case_id(env);
	if (case_id != NULL)
		bind_id(st, 6, *case_id);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_text(st, 7, env->origin->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, env->origin->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, env->origin->agency, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, bytes, (int)len, SQLITE_STATIC);
	int r = store_run(st);
	return r < 0 ? r : sqlite3_changes(s->db) == 1;
}

int store_transaction(struct store *s, store_steps_fn steps, void *ctx)
{
	int r = store_run(s->st[ST_BEGIN]);
	if (r < 0)
		return r;  /* nothing is open: nothing to roll back */
	r = steps(s, ctx);
	if (r < 0)
		goto rollback;
	r = store_run(s->st[ST_COMMIT]);
	if (r < 0)
		goto rollback;  /* a COMMIT that failed may leave it open */
	return 0;
rollback:
	store_run(s->st[ST_ROLLBACK]);
	return r;
}

struct sqlite3 *store_db(struct store *s)
{
	return s->db;
}

sqlite3_stmt *store_cached(struct store *s, const char *sql)
{
	for (int i = 0; i < s->n_cached; i++)
		if (s->cached[i].sql == sql)
			return s->cached[i].st;
	bool keep = s->n_cached < STORE_CACHED_MAX;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	if (keep) {
		s->cached[s->n_cached].sql = sql;
		s->cached[s->n_cached].st = st;
		s->n_cached++;
	}
	return st;
}

void store_cached_done(struct store *s, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < s->n_cached; i++) {
		if (s->cached[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	}
	sqlite3_finalize(st);
}

int store_take(struct store *s, const char *topic, const raksha_envelope *env, const void *bytes,
	       size_t len, int64_t received_ms)
{
	int fresh = insert_message(s, topic, env, bytes, len, received_ms);
	if (fresh != 1)
		return fresh;  /* an error, or a redelivery: the view has seen it */
	int r = update_view(s, env, received_ms);
	if (r < 0)
		return r;
	/* A case's first word, report or found child: what was held for it. */
	if (raksha_envelope_kind(env) == RAKSHA_KIND_REPORT && env->report->report_id.len > 0)
		r = store_owner_release(s, &env->report->report_id);
	else if (store_is_found(env))
		r = store_owner_release(s, &env->sighting->sighting_id);
	return r < 0 ? r : 1;
}

int store_envelope_in(struct store *s, const char *topic, const raksha_envelope *env,
		      const void *bytes, size_t len, int64_t received_ms)
{
	int judged = store_owner_judge(s, topic, env, bytes, len, received_ms);
	if (judged != 0)
		return judged < 0 ? judged : 0;  /* held or refused: nothing new in the log */
	return store_take(s, topic, env, bytes, len, received_ms);
}

/* store_envelope()'s one step. */
struct one_envelope {
	const char *topic;
	const raksha_envelope *env;
	const void *bytes;
	size_t len;
	int64_t received_ms;
	int fresh;
};

static int store_one(struct store *s, void *ctx)
{
	struct one_envelope *o = ctx;
	o->fresh = store_envelope_in(s, o->topic, o->env, o->bytes, o->len, o->received_ms);
	return o->fresh < 0 ? o->fresh : 0;
}

int store_envelope(struct store *s, const char *topic, const raksha_envelope *env,
		   const void *bytes, size_t len, int64_t received_ms)
{
	struct one_envelope o = {topic, env, bytes, len, received_ms, 0};
	int r = store_transaction(s, store_one, &o);
	return r < 0 ? r : o.fresh;
}

void store_checkpoint(struct store *s)
{
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

int store_counts(struct store *s, int64_t *messages, int64_t *rejected)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, "SELECT (SELECT count(*) FROM messages),"
				    " (SELECT count(*) FROM rejected)", -1, &q, NULL);
	if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
		*messages = sqlite3_column_int64(q, 0);
		*rejected = sqlite3_column_int64(q, 1);
	} else {
		rc = SQLITE_ERROR;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? 0 : -EIO;
}
