#!/bin/sh
# bench/ingest-profile.sh [N]: where the time of crash-mode ingest goes.
# N reports (default 20,000) wait at QoS 1 in five persistent sessions at
# once; each is then drained alone, one layer of the agent more each time:
#   mosquitto_sub -q 1 > /dev/null      the baseline of bench/agent-ingest.sh
#   drain paho                          bare paho-mqtt-c MQTTAsync, the
#                                       callback frees and returns: paho's ceiling
#   drain client                        + libraksha's client: decode and check
#   drain store                         + the agent's store.c, durability crash,
#                                       one transaction per message
#   raksha-agent (crash)                + escalator, log line, outbox sender
# and, beside them, sqlite3 inserting N rows of 700 B with one transaction
# each in WAL with synchronous = NORMAL (SQLite's own ceiling for one
# commit per message without fsync). Each time runs from the process's
# start to the last message taken (the agent's: to its last commit, from
# bench/commit-stamp.so). Prints rates, µs per message and the ratio to
# mosquitto_sub. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
N=${1:-20000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID=
trap '[ -n "$AGENT_PID" ] && kill -TERM $AGENT_PID 2>/dev/null; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
DRAIN="$B/bench/drain"
F='raksha/v1/+/+/+/report'

# The sessions, then one queue for all of them.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i prof-sub -t "$F" -E
for m in paho client store; do "$DRAIN" setup "$URL" "prof-$m" "$F" 1; done
agent_conf prof-agent crash
agent_start prof-agent
stop "$AGENT_PID"
AGENT_PID=
: > "$W/prof-agent.commits"
"$PUB" "$URL" "$N" 0 > /dev/null

t0=$(now_us)
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i prof-sub -t "$F" -C "$N" > /dev/null
sub_us=$(( $(now_us) - t0 ))
for m in paho client store; do
	t0=$(now_us)
	"$DRAIN" "$m" "$URL" "prof-$m" "$F" "$N" "$W/store.db" > "$W/$m.out"
	eval "${m}_us=$(( $(now_us) - t0 ))"
	read -r _ got _ < "$W/$m.out"
	[ "$got" -eq "$N" ] || { echo "drain $m took $got of $N" >&2; exit 1; }
done
[ "$(sqlite3 "$W/store.db" "SELECT count(*) FROM messages")" -eq "$N" ] || { echo "store: count" >&2; exit 1; }
t0=$(now_us)
agent_start prof-agent nowait
wait_lines "$W/prof-agent.commits" "$N" 300 || { echo "the agent did not store all" >&2; exit 1; }
agent_us=$(( $(tail -n 1 "$W/prof-agent.commits" | cut -d' ' -f2) - t0 ))
stop "$AGENT_PID"
AGENT_PID=
[ "$(sqlite3 "$W/prof-agent.db" "SELECT count(*) FROM messages WHERE kind = 'report'")" -eq "$N" ] ||
	{ echo "agent: count" >&2; exit 1; }

{ echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
  echo "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB);"
  awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) print "INSERT INTO t (b) VALUES (randomblob(700));" }'
} > "$W/rows.sql"
t0=$(now_us)
sqlite3 "$W/normal.db" < "$W/rows.sql" > /dev/null
sql_us=$(( $(now_us) - t0 ))

line() {
	awk -v l="$1" -v n="$N" -v us="$2" -v base="$sub_us" 'BEGIN {
		printf "  %-46s %8.0f/s %7.1f us/msg   %.2f x mosquitto_sub\n", l, n * 1e6 / us, us / n, base / us }'
}
echo "bench/ingest-profile: $N reports queued at QoS 1, drained, one layer at a time"
line "mosquitto_sub -q 1 > /dev/null (baseline)" "$sub_us"
line "bare paho MQTTAsync, callback returns" "$paho_us"
line "+ libraksha client: decode and check" "$client_us"
line "+ store.c (crash), a transaction a message" "$store_us"
line "raksha-agent, durability = crash" "$agent_us"
line "sqlite3: a 700 B row a transaction, NORMAL" "$sql_us"
