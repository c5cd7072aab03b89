#!/bin/sh
# 47: with durability = power, the escalator copies the WAL into the
# database (a checkpoint: two disk flushes, and a third when the next
# commit starts the WAL again) once 64 messages have come since the last
# copy or a minute has gone by, not after every report (issue 19, part 1:
# a fan-out to 1,000 agents on one disk). The database file alone (copied
# without its WAL) shows what was copied: one report, seen by the
# escalator (its case made), is not there two steps later; after 70 more,
# all but at most 63 are. With crash, whose commits reach the disk only by
# a checkpoint, one report is in the file a step after it came.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
# start DURABILITY: an agent on $DB.
start() {
	agent_conf mp-bhopal-grp-1 "raksha/v1/+/+/+/report" "durability = $1" "outbox = $W/outbox" > "$W/agent.conf"
	"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground >> "$W/fg.out" 2>> "$W/fg.err" & AGENT=$!
	wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"
}
trap 'kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null; broker_stop' EXIT
start power
publish() {
	topic=$("$MAKE_SAMPLE" report "$W/r.bin" --fresh) || bail "make-sample failed"
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$topic" -f "$W/r.bin" || bail "mosquitto_pub failed"
}
# in_file SQL: the query on the database file without its WAL.
in_file() {
	cp "$DB" "$W/copy.db"
	rm -f "$W/copy.db-wal" "$W/copy.db-shm"
	sqlite3 "$W/copy.db" "$1"
}
sleep 1.5  # the start's own checkpoint, at the escalator's first step
publish
wait_rows "SELECT count(*) FROM cases" 1 || bail "the report made no case"
sleep 1.2  # the escalator's next steps: a second after each
is "$(in_file "SELECT count(*) FROM messages WHERE kind = 'report'")" 0 \
	"one report: in the WAL, not yet copied into the database file"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 1 "  where a reader sees it"
i=0
while [ $i -lt 70 ]; do
	publish
	i=$((i + 1))
done
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" 71 || bail "70 more reports were not stored"
sleep 1.2
# Fewer than 64 messages are ever left in the WAL alone: of 71 (and the
# presence), at least 8 are in the file.
n=$(in_file "SELECT count(*) FROM messages WHERE kind = 'report'")
ok "after 70 more, the escalator copied them: $n of 71 in the file, at most 63 behind" test "$n" -ge 8
kill "$AGENT"
wait "$AGENT"

DB=$W/crash.db
start crash
sleep 1.5
publish
wait_rows "SELECT count(*) FROM cases" 1 || bail "the crash agent's report made no case"
sleep 1.2
is "$(in_file "SELECT count(*) FROM messages WHERE kind = 'report'")" 1 \
	"durability = crash: one report is in the database file a step after it came"
done_testing
