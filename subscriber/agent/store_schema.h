/* The agent database's tables. Bump SCHEMA_VERSION (PRAGMA user_version) when
 * they change, with a migration in store.c. */
#ifndef RAKSHA_AGENT_STORE_SCHEMA_H
#define RAKSHA_AGENT_STORE_SCHEMA_H

#define SCHEMA_VERSION 2

static const char SCHEMA_SQL[] =
	/* Every envelope, once, in arrival order (seq). */
	"CREATE TABLE IF NOT EXISTS messages ("
	" seq INTEGER PRIMARY KEY,"
	" message_id BLOB NOT NULL UNIQUE,"
	" received_at_ms INTEGER NOT NULL,"
	" sent_at_ms INTEGER NOT NULL,"
	" topic TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" report_id BLOB,"                 /* the case it belongs to, if any */
	" state TEXT NOT NULL, region TEXT NOT NULL, agency TEXT NOT NULL,"
	" envelope BLOB NOT NULL);"
	"CREATE INDEX IF NOT EXISTS messages_received ON messages(received_at_ms);"
	"CREATE INDEX IF NOT EXISTS messages_topic ON messages(topic);"
	"CREATE INDEX IF NOT EXISTS messages_report ON messages(report_id);"
	/* What was refused, and why. */
	"CREATE TABLE IF NOT EXISTS rejected ("
	" seq INTEGER PRIMARY KEY,"
	" received_at_ms INTEGER NOT NULL,"
	" topic TEXT NOT NULL,"
	" cause TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" bytes BLOB NOT NULL);"
	/* The current view of each case. A row may exist before its report
	 * (an update or ack that overtook it); child_name is then NULL. */
	"CREATE TABLE IF NOT EXISTS cases ("
	" report_id BLOB PRIMARY KEY,"
	" revision INTEGER NOT NULL DEFAULT 0,"
	" report_seq INTEGER,"             /* messages.seq of the latest revision */
	" status TEXT NOT NULL DEFAULT 'open',"
	" status_at_ms INTEGER NOT NULL DEFAULT 0,"
	" priority INTEGER NOT NULL DEFAULT 3,"
	" exercise INTEGER NOT NULL DEFAULT 0,"
	" child_name TEXT,"
	" state TEXT, region TEXT, agency TEXT, unit TEXT,"
	" station TEXT, train TEXT, coach TEXT, last_seen_ms INTEGER,"
	" first_seen_ms INTEGER NOT NULL,"
	" updated_ms INTEGER NOT NULL,"
	" sightings INTEGER NOT NULL DEFAULT 0,"
	" escalation_level INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS cases_open ON cases(status, priority, first_seen_ms);"
	/* Who acknowledged which case: one row per unit, its latest state. */
	"CREATE TABLE IF NOT EXISTS acks ("
	" report_id BLOB NOT NULL,"
	" state TEXT NOT NULL, region TEXT NOT NULL, agency TEXT NOT NULL,"
	" unit TEXT NOT NULL,"
	" ack_state TEXT NOT NULL,"
	" at_ms INTEGER NOT NULL,"
	" PRIMARY KEY (report_id, state, region, agency));"
	/* Schema 2: escalation. One timer per case and rule: when it is due
	 * next (NULL once it ended), how far it got, and why it ended. */
	"CREATE TABLE IF NOT EXISTS timers ("
	" report_id BLOB NOT NULL,"
	" rule TEXT NOT NULL,"
	" level INTEGER NOT NULL DEFAULT 0,"
	" armed_ms INTEGER NOT NULL,"
	" due_ms INTEGER,"
	" fired_ms INTEGER,"
	" ended TEXT,"
	" PRIMARY KEY (report_id, rule));"
	"CREATE INDEX IF NOT EXISTS timers_due ON timers(due_ms) WHERE due_ms IS NOT NULL;"
	/* The agent's own envelopes, committed with the step that made them and
	 * deleted once they are in the outbox: a crash between the two sends
	 * them at the next start, with the same message_id. */
	"CREATE TABLE IF NOT EXISTS own_pending ("
	" message_id BLOB PRIMARY KEY,"
	" topic TEXT NOT NULL,"
	" envelope BLOB NOT NULL);"
	/* scanned_seq: the last messages.seq the escalator has looked at. A
	 * database made by schema 1 starts from its end: old messages do not
	 * run hooks or arm timers again. */
	"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"INSERT OR IGNORE INTO meta VALUES ('scanned_seq', (SELECT coalesce(max(seq), 0) FROM messages));";

#endif
