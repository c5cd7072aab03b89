#!/bin/sh
# bench/agent-ingest.sh [N]: durable ingest. N reports wait at QoS 1 in a
# persistent session; measure how fast each drains it:
#   baseline 1: mosquitto_sub -q 1 to /dev/null (the broker and network's pace)
#   baseline 2: sqlite3 inserting N rows, one fsynced WAL transaction each
#               (the disk's pace for the "power" guarantee), right before
#               and right after the power run, averaged
#   raksha-agent with durability = crash, and with durability = power.
# Prints rates and the ratios agent/baseline. Needs a build in build/.
set -eu
cd "$(dirname "$0")/.."
RAKSHA_SOURCE_ROOT=$(pwd)
N=${1:-3000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
. scripts/dev-broker.sh
trap 'dev_broker_stop; rm -rf "$W"' EXIT
dev_broker_start "$W/broker" >/dev/null || { echo "no broker" >&2; exit 1; }
URL="mqtt://127.0.0.1:$BROKER_PORT"
ms() { date +%s%3N; }

# queue: puts N fresh reports into the broker for the session(s) made before.
queue() {
	rm -rf "$W/ob"
	"$B/tests/tools/fill-outbox" "$W/ob" "$N"
	"$B/publisher/raksha-publish" --url "$URL" --outbox "$W/ob" --timeout 120 flush 2>/dev/null
}

# Baseline 1: mosquitto_sub on a persistent session.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i bench-sub -t 'raksha/v1/#' -E
queue
t0=$(ms)
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i bench-sub -t 'raksha/v1/#' -C "$N" > /dev/null
sub_ms=$(( $(ms) - t0 ))

# Baseline 2: one fsynced WAL transaction per row, the physical limit of
# durability = power. A disk's fsync rate drifts from minute to minute, so
# it is measured right before and right after the power run's drain, and
# the mean of the two times is the baseline.
{ echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
  echo "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB);"
  i=0; while [ $i -lt "$N" ]; do echo "INSERT INTO t (b) VALUES (randomblob(700));"; i=$((i + 1)); done
} > "$W/rows.sql"
fsync_rows() {  # prints the milliseconds it took
	rm -f "$W/fsync.db" "$W/fsync.db-wal" "$W/fsync.db-shm"
	t0=$(ms)
	sqlite3 "$W/fsync.db" < "$W/rows.sql" > /dev/null
	echo $(( $(ms) - t0 ))
}

# The agent, one durability at a time.
agent_drain() {  # DURABILITY
	db="$W/agent-$1.db"
	sed -e "s|@PORT@|$BROKER_PORT|" -e "s|@STATE_DIR@|$W|" broker-config/dev/agent.conf.in |
		sed -e "s|^database = .*|database = $db|" -e "s|^durability = .*|durability = $1|" \
		    -e "s|^id = .*|id = bench-$1|" > "$W/agent-$1.conf"
	# First run: the broker learns the session and its subscriptions.
	"$B/subscriber/agent/raksha-agent" --config "$W/agent-$1.conf" 2> "$W/agent.log" &
	pid=$!
	until grep -q "connected;" "$W/agent.log" 2>/dev/null; do sleep 0.05; done
	kill -TERM $pid; wait $pid || true
	queue
	[ "$1" = power ] && fsync_rows > "$W/before.ms"
	t0=$(ms)
	"$B/subscriber/agent/raksha-agent" --config "$W/agent-$1.conf" 2>/dev/null &
	pid=$!
	until [ "$(sqlite3 "$db" "SELECT count(*) FROM messages WHERE kind='report'" 2>/dev/null || echo 0)" -ge "$N" ]; do
		sleep 0.02
	done
	echo $(( $(ms) - t0 ))
	kill -TERM $pid; wait $pid || true
}
crash_ms=$(agent_drain crash)
power_ms=$(agent_drain power)
sql_before_ms=$(cat "$W/before.ms")
sql_after_ms=$(fsync_rows)
sql_ms=$(( (sql_before_ms + sql_after_ms) / 2 ))

rate() { echo "$N $1" | awk '{ printf "%.0f", $1 * 1000 / ($2 > 0 ? $2 : 1) }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $2 : 1) / ($1 > 0 ? $1 : 1) }'; }
printf 'bench/agent-ingest: %d reports queued in a persistent session, drained\n' "$N"
printf '  mosquitto_sub -q 1 (baseline)            %8s/s\n' "$(rate "$sub_ms")"
printf '  sqlite3, one fsynced transaction a row   %8s/s   (before %s/s, after %s/s the power run)\n' \
	"$(rate "$sql_ms")" "$(rate "$sql_before_ms")" "$(rate "$sql_after_ms")"
printf '  raksha-agent durability=crash            %8s/s   %s x mosquitto_sub  (goal >= 0.8)\n' \
	"$(rate "$crash_ms")" "$(ratio "$crash_ms" "$sub_ms")"
printf '  raksha-agent durability=power            %8s/s   %s x sqlite3 fsync  (goal >= 0.7)\n' \
	"$(rate "$power_ms")" "$(ratio "$power_ms" "$sql_ms")"
