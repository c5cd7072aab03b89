#!/bin/sh
# 08: the agent's database moved away or deleted under a running agent.
# Moved away: the agent notices before its next commit that the path no
# longer names its file, stops acknowledging (what the broker holds waits
# in its session), says so once, keeps what it had acknowledged in its
# journal, and when the file is moved back stores everything, once.
# Deleted: the same, and after a stop and a start on a new, empty database
# the journal that holds the deleted database's acknowledged records is set
# aside (kept, renamed, never written over), and so is the old WAL, which
# SQLite would otherwise replay into the new file.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
fault_suite
DB=$W/agent.db
# The committer's line: it says so whatever else arrives. (The refusal of a
# message that arrives while it cannot store follows only if one does: under
# load all 4 may be acknowledged before the first commit fails.)
MOVED_LINE="acknowledged message(s): the database file was deleted or moved away; they wait in the journal"

agent_conf mp-bhopal-grp-moved "raksha/v1/+/+/+/report" "durability = crash" > "$W/agent.conf"
sed -i '/^\[broker\]/a keepalive = 5' "$W/agent.conf"
start_agent() {
	: > "$W/agent.err"
	"$RAKSHA_AGENT" --config "$W/agent.conf" 2>> "$W/agent.err" &
	AGENT=$!
	wait_until 20 grep -qs "connected;" "$W/agent.err" || bail "the agent did not connect"
}
publish() {  # publish NAME N: N fresh reports, acknowledged by the broker (exit 0)
	"$FILL_CASES" "$S/$1" "$2" > "$W/$1.sent" || bail "fill-cases failed"
	cat "$W/$1.sent" >> "$W/sent"
	"$RAKSHA_PUBLISH" --url "$URL" --outbox "$S/$1" --timeout 20 flush 2>/dev/null
}
# in_file LEDGER FILE: how many of LEDGER's message ids FILE holds (as bytes).
in_file() {
	/usr/bin/python3 -c 'import sys
data = open(sys.argv[2], "rb").read()
print(sum(bytes.fromhex(l.split()[0]) in data for l in open(sys.argv[1])))' "$1" "$2"
}
# in_new LEDGER: how many of LEDGER's message ids the database holds.
in_new() {
	n=0
	for id in $(cut -d' ' -f1 "$1"); do
		n=$((n + $(q "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$id'")))
	done
	echo $n
}
in_db() { sqlite3 "$1" "SELECT count(*) FROM messages WHERE kind = 'report'" 2>/dev/null || echo 0; }

start_agent
publish first 3
ok "3 reports published" true
wait_until 15 at_least 3 reports || bail "the first 3 were not stored"

# Moved away, then back.
mv "$DB" "$DB.away"
publish away 4
ok "4 more published while the database is moved away (the broker took them)" true
wait_until 15 grep -qF "$MOVED_LINE" "$W/agent.err"
ok "the agent says so: $MOVED_LINE" grep -qF "$MOVED_LINE" "$W/agent.err"
is "$(lines_in "$W/agent.err" "$MOVED_LINE")" 1 "  once"
ok "  and keeps running" kill -0 "$AGENT"
sleep 1
is "$(in_db "$DB.away")" 3 "  nothing more went into the moved file"
ok "  no database was made in its place" test ! -e "$DB"
mv "$DB.away" "$DB"
wait_until 20 at_least 7 reports
is "$(reports)" 7 "moved back: all 7 reports stored"
is "$(distinct_reports)" 7 "  once each"
ok "  it says it stores again" grep -q "storing again" "$W/agent.err"

# Deleted, the agent stopped and started again.
rm -f "$DB"
publish gone 2
wait_until 15 at_least 2 lines_in "$W/agent.err" "$MOVED_LINE"
ok "deleted: the agent says so again" test "$(lines_in "$W/agent.err" "$MOVED_LINE")" -ge 1
kill -TERM "$AGENT"
wait "$AGENT"
is "$?" 0 "  it stops cleanly (SIGTERM)"
AGENT=
ok "  its journal is still there" test -s "$DB.ingest"
start_agent
ok "started again: it makes a new database" test -s "$DB"
ok "  and sets the old journal aside" grep -q "holds records of another database" "$W/agent.err"
orphan=$(ls "$DB.ingest.orphan-"* 2>/dev/null | head -n 1)
ok "  kept as $orphan" test -s "$orphan"
kept=$(in_file "$W/gone.sent" "$orphan")
ok "  which holds $kept of the 2 published after the deletion (acknowledged before the agent noticed)" \
	test "$kept" -ge 1
publish after 2
wait_until 15 at_least $((2 + 2 - kept)) reports
is "$(in_new "$W/after.sent")" 2 "the new database stores what comes next"
is "$(in_new "$W/gone.sent")" $((2 - kept)) "  and, from the broker, the $((2 - kept)) never acknowledged: none lost, none in both"
kill -TERM "$AGENT"
wait "$AGENT"
AGENT=

# Killed (no chance to fold its WAL back in), the database deleted, started
# again: the old WAL is kept aside, not replayed into the new file.
start_agent
publish wal 3
wait_until 15 at_least $((4 + 3 - kept)) reports
kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
AGENT=
ok "killed: its WAL is left" test -e "$DB-wal"
rm -f "$DB"
start_agent
ok "a new database beside the old WAL sets the WAL aside" grep -q "the WAL of an earlier one was beside it" "$W/agent.err"
ok "  kept" test -n "$(ls "$DB-wal.orphan-"* 2>/dev/null)"
is "$(q "PRAGMA integrity_check")" "ok" "  the new database is intact"
is "$(reports)" 0 "  and holds none of the old one's reports"
done_testing
