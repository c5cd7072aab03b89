/* The agent database's tables. Bump SCHEMA_VERSION (PRAGMA user_version) when
 * they change, with a migration in store.c. */
#ifndef RAKSHA_AGENT_STORE_SCHEMA_H
#define RAKSHA_AGENT_STORE_SCHEMA_H

#include "agent/store.h"

#define SCHEMA_VERSION 5

/* What a rejected row @r costs against its bounds: its bytes, topic and
 * reason, and REJECTED_ROW_OVERHEAD for the rest of the row. */
#define SCHEMA_TEXT(x) #x
#define SCHEMA_NUMBER(x) SCHEMA_TEXT(x)
#define REJECTED_COST(r) "(length(" r ".bytes) + length(CAST(" r ".topic AS BLOB))" \
	" + length(CAST(" r ".reason AS BLOB)) + " SCHEMA_NUMBER(REJECTED_ROW_OVERHEAD) ")"

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
	"CREATE INDEX IF NOT EXISTS messages_agent ON messages(seq) WHERE kind = 'agent';" /* presence */
	/* What was refused, and why; sender (schema 3) is the one whose bounds
	 * it counts against (store_rejected.c). */
	"CREATE TABLE IF NOT EXISTS rejected ("
	" seq INTEGER PRIMARY KEY,"
	" received_at_ms INTEGER NOT NULL,"
	" topic TEXT NOT NULL,"
	" cause TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" bytes BLOB NOT NULL,"
	" sender TEXT NOT NULL DEFAULT '',"
	" report_id BLOB);"                /* schema 4: the case a refused change was for */
	"CREATE INDEX IF NOT EXISTS rejected_report ON rejected(report_id) WHERE report_id IS NOT NULL;"
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
	" escalation_level INTEGER NOT NULL DEFAULT 0,"
	" status_by TEXT,"                 /* schema 4: who set status by an update (store_owner.c) */
	/* Schema 5: a found child (a sighting without report_id) is a case of
	 * its own, keyed by its sighting_id, kind 'found' (store_found.c): its
	 * place's description and whether its finder holds it; the other names
	 * of either kind, ", "-joined, for the board's search. */
	" kind TEXT NOT NULL DEFAULT 'report',"
	" other_names TEXT,"
	" place TEXT,"
	" in_custody INTEGER,"
	" match_facts TEXT);"              /* what matching compares (escalator_match.c) */
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
	"INSERT OR IGNORE INTO meta VALUES ('scanned_seq', (SELECT coalesce(max(seq), 0) FROM messages));"
	/* Schema 3: rejected input bounded per sender and in total. Per
	 * sender, what its rows in rejected cost (kept by the triggers below,
	 * whoever adds, cuts or deletes a row), and what was refused but not
	 * kept for being over a bound: counted, with the first of them. */
	"CREATE TABLE IF NOT EXISTS rejected_senders ("
	" sender TEXT PRIMARY KEY,"
	" rows INTEGER NOT NULL DEFAULT 0,"
	" bytes INTEGER NOT NULL DEFAULT 0,"
	" dropped INTEGER NOT NULL DEFAULT 0,"
	" dropped_bytes INTEGER NOT NULL DEFAULT 0,"   /* their sizes */
	" dropped_clock INTEGER NOT NULL DEFAULT 0,"   /* of them refused for their time alone */
	" first_dropped_ms INTEGER, last_dropped_ms INTEGER,"
	" first_topic TEXT, first_cause TEXT, first_reason TEXT, first_size INTEGER,"
	" first_bytes BLOB);"
	"CREATE INDEX IF NOT EXISTS rejected_received ON rejected(received_at_ms);"
	"CREATE TRIGGER IF NOT EXISTS rejected_kept AFTER INSERT ON rejected BEGIN"
	" INSERT OR IGNORE INTO rejected_senders (sender) VALUES (NEW.sender);"
	" UPDATE rejected_senders SET rows = rows + 1, bytes = bytes + " REJECTED_COST("NEW")
	" WHERE sender = NEW.sender; END;"
	"CREATE TRIGGER IF NOT EXISTS rejected_gone AFTER DELETE ON rejected BEGIN"
	" UPDATE rejected_senders SET rows = rows - 1, bytes = bytes - " REJECTED_COST("OLD")
	" WHERE sender = OLD.sender; END;"
	"CREATE TRIGGER IF NOT EXISTS rejected_changed AFTER UPDATE ON rejected BEGIN"
	" UPDATE rejected_senders SET bytes = bytes - " REJECTED_COST("OLD")
	" WHERE sender = OLD.sender;"
	" INSERT OR IGNORE INTO rejected_senders (sender) VALUES (NEW.sender);"
	" UPDATE rejected_senders SET bytes = bytes + " REJECTED_COST("NEW")
	" WHERE sender = NEW.sender; END;";

/* Schema 1 or 2 to 3, before SCHEMA_SQL: the rejected rows get their
 * sender (store_sender(), as an SQL function), and after SCHEMA_SQL the
 * sums of what was there (SCHEMA_SUMS_SQL). */
static const char SCHEMA_TO_3_SQL[] =
	"ALTER TABLE rejected ADD COLUMN sender TEXT NOT NULL DEFAULT '';"
	"UPDATE rejected SET sender = raksha_sender(topic);";

/* Schema 4, after SCHEMA_SQL (one string of it would be longer than C11
 * promises to compile). */
static const char SCHEMA_HELD_SQL[] =
	/* Schema 4: a cancel, close or reopen of a case whose report has not
	 * arrived, so whose owner is not known: judged when the report comes
	 * (store_owner.c), in arrival order, and then stored or refused. */
	"CREATE TABLE IF NOT EXISTS held ("
	" seq INTEGER PRIMARY KEY,"
	" message_id BLOB NOT NULL UNIQUE,"
	" report_id BLOB NOT NULL,"
	" sender TEXT NOT NULL,"
	" received_at_ms INTEGER NOT NULL,"
	" topic TEXT NOT NULL,"
	" envelope BLOB NOT NULL);"
	"CREATE INDEX IF NOT EXISTS held_report ON held(report_id);"
	"CREATE INDEX IF NOT EXISTS held_sender ON held(sender);";

/* Schema 5, after SCHEMA_SQL: "found child F is report R" (CaseLink),
 * one row per link message taken (store_found.c), who said it and when:
 * the found child's latest row is its link. */
static const char SCHEMA_LINKS_SQL[] =
	"CREATE TABLE IF NOT EXISTS links ("
	" seq INTEGER PRIMARY KEY,"         /* messages.seq of the link */
	" found_id BLOB NOT NULL,"
	" report_id BLOB NOT NULL,"
	" by TEXT NOT NULL,"                /* STATE/REGION/AGENCY of its sender */
	" unit TEXT NOT NULL,"
	" at_ms INTEGER NOT NULL,"          /* its sent_at_ms */
	" notes TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS links_found ON links(found_id);"
	"CREATE INDEX IF NOT EXISTS links_report ON links(report_id);"
	/* Schema 5: what matching suggested (escalator_match.c), for a person
	 * to confirm (a link, which makes it confirmed) or dismiss; nothing is
	 * linked by it. */
	"CREATE TABLE IF NOT EXISTS matches ("
	" found_id BLOB NOT NULL,"
	" report_id BLOB NOT NULL,"
	" score INTEGER NOT NULL,"
	" why TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'suggested',"  /* suggested, dismissed, confirmed */
	" at_ms INTEGER NOT NULL,"
	" PRIMARY KEY (found_id, report_id));"
	"CREATE INDEX IF NOT EXISTS matches_report ON matches(report_id);"
	/* The found children, which each new report is compared with: few
	 * among many reports, found without reading the rest. */
	"CREATE INDEX IF NOT EXISTS cases_found ON cases(status) WHERE kind = 'found';";

/* Schema 4's new columns, added (before SCHEMA_SQL) to a table of an
 * older file that lacks them: who may change a case. */
struct schema_column {
	const char *table, *column, *type;
};

static const struct schema_column SCHEMA_4_COLUMNS[] = {
	{"rejected", "report_id", "BLOB"},
	{"cases", "status_by", "TEXT"},
};

/* Schema 5's: found cases, and the other names kept in the case view. */
static const struct schema_column SCHEMA_5_COLUMNS[] = {
	{"cases", "kind", "TEXT NOT NULL DEFAULT 'report'"},
	{"cases", "other_names", "TEXT"},
	{"cases", "place", "TEXT"},
	{"cases", "in_custody", "INTEGER"},
	{"cases", "match_facts", "TEXT"},
};

/* Schema 1 to 4 to 5, after SCHEMA_SQL: the other names of the reports
 * already there, from their latest revisions (raksha_other_names(), an SQL
 * function of store_found.c). Found children stored before schema 5 stay
 * in the log only. */
static const char SCHEMA_TO_5_SQL[] =
	"UPDATE cases SET other_names = (SELECT raksha_other_names(m.envelope, m.received_at_ms)"
	" FROM messages m WHERE m.seq = cases.report_seq) WHERE report_seq IS NOT NULL;";

static const char SCHEMA_SUMS_SQL[] =
	"INSERT INTO rejected_senders (sender, rows, bytes)"
	" SELECT sender, count(*), sum(" REJECTED_COST("rejected") ") FROM rejected GROUP BY sender;";

#endif
