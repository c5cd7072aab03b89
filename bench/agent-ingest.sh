#!/bin/sh
# bench/agent-ingest.sh [N]: durable ingest. N reports wait at QoS 1 in
# four persistent sessions at once; each is drained alone:
#   baseline 1: mosquitto_sub -q 1 to /dev/null (the broker and loopback's pace)
#   baseline 2: bench/drain paho, a bare paho-mqtt-c MQTTAsync subscriber
#               that only frees each message: the ceiling of the client
#               library the agent is built on, and the baseline of crash
#   raksha-agent with durability = crash
#   baseline 3: bench/sync-loop, one 4 KiB pwrite() + fdatasync() a message
#               on a preallocated file in the same folder as the agent's
#               database (the physical limit of acknowledging only after a
#               sync), right before and right after the power run: a disk's
#               sync rate drifts from minute to minute, the mean is the
#               baseline
#   raksha-agent with durability = power
# Each agent run is timed from its start (database open and check, the
# journal's recovery, connection, subscription, as a restarted agent's
# catch-up) to its commit of the last report (bench/commit-stamp.so), and
# checked to have stored all N. Prints rates and the ratios crash / bare
# paho and power / sync loop (issue 19's goals: >= 0.8 each). Needs a
# build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
N=${1:-3000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID=
trap '[ -n "$AGENT_PID" ] && kill -TERM $AGENT_PID 2>/dev/null; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
# RAKSHA_AGENT: another build's agent, for before/after pairs with the same tools.
AGENT=${RAKSHA_AGENT:-$AGENT}
DRAIN="$B/bench/drain"
F='raksha/v1/+/+/+/report'

# The sessions, then one queue for all of them.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i bench-sub -t "$F" -E
"$DRAIN" setup "$URL" bench-paho "$F" 1
for d in crash power; do
	agent_conf "bench-$d" "$d"
	agent_start "bench-$d"
	stop "$AGENT_PID"
	AGENT_PID=
done
rm -rf "$W/ob"
"$B/tests/tools/fill-outbox" "$W/ob" "$N"
"$B/publisher/raksha-publish" --url "$URL" --outbox "$W/ob" --timeout 120 flush 2>/dev/null

t0=$(now_us)
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i bench-sub -t "$F" -C "$N" > /dev/null
sub_us=$(( $(now_us) - t0 ))
t0=$(now_us)
"$DRAIN" paho "$URL" bench-paho "$F" "$N" > "$W/paho.out"
paho_us=$(( $(now_us) - t0 ))
read -r _ got _ < "$W/paho.out"
[ "$got" -eq "$N" ] || { echo "drain paho took $got of $N" >&2; exit 1; }

# agent_drain DURABILITY: the microseconds from the agent's start to its
# commit of the last report.
agent_drain() {
	: > "$W/bench-$1.commits"
	t0=$(now_us)
	agent_start "bench-$1" nowait
	wait_lines "$W/bench-$1.commits" "$N" 120 || { echo "agent $1: not all stored" >&2; exit 1; }
	_w=0
	until [ "$(sqlite3 "$W/bench-$1.db" "SELECT count(*) FROM messages WHERE kind = 'report'")" -ge "$N" ]; do
		_w=$((_w + 1))
		[ $_w -gt 500 ] && { echo "agent $1: count" >&2; exit 1; }
		sleep 0.02
	done
	stop "$AGENT_PID"
	AGENT_PID=
	_last=$(sqlite3 "$W/bench-$1.db" "SELECT max(seq) FROM messages WHERE kind = 'report'")
	_end=$(awk -v s="$_last" '$1 == s { print $2 }' "$W/bench-$1.commits")
	echo $(( _end - t0 ))
}
crash_us=$(agent_drain crash)
# The sync loop's file beside the agents' databases: the same disk.
sync_ms() { "$B/bench/sync-loop" "$W/sync-loop" "$N" | cut -d' ' -f2; }
sync_before_ms=$(sync_ms)
power_us=$(agent_drain power)
sync_after_ms=$(sync_ms)
sync_us=$(( (sync_before_ms + sync_after_ms) * 500 ))

line() {  # LABEL US [BASE_US BASE_NAME]
	awk -v l="$1" -v n="$N" -v us="$2" -v b="${3:-0}" -v bn="${4:-}" 'BEGIN {
		printf "  %-44s %8.0f/s %7.1f us/msg", l, n * 1e6 / us, us / n
		if (b > 0) printf "   %.2f x %s", b / us, bn
		printf "\n" }'
}
echo "bench/agent-ingest: $N reports queued at QoS 1 in a persistent session, drained ($(cut -d' ' -f1-3 /proc/loadavg))"
line "mosquitto_sub -q 1 > /dev/null (baseline)" "$sub_us"
line "bare paho MQTTAsync, frees each (baseline)" "$paho_us" "$sub_us" mosquitto_sub
line "raksha-agent durability=crash" "$crash_us" "$paho_us" "bare paho (goal >= 0.8)"
printf '  %-44s %8s/s %7s us/msg   (before %s/s, after %s/s the power run)\n' \
	"pwrite 4 KiB + fdatasync a message (baseline)" \
	"$(awk -v n="$N" -v us="$sync_us" 'BEGIN { printf "%.0f", n * 1e6 / us }')" \
	"$(awk -v n="$N" -v us="$sync_us" 'BEGIN { printf "%.1f", us / n }')" \
	"$(awk -v n="$N" -v ms="$sync_before_ms" 'BEGIN { printf "%.0f", n * 1e3 / (ms > 0 ? ms : 1) }')" \
	"$(awk -v n="$N" -v ms="$sync_after_ms" 'BEGIN { printf "%.0f", n * 1e3 / (ms > 0 ? ms : 1) }')"
line "raksha-agent durability=power" "$power_us" "$sync_us" "the sync loop (goal >= 0.8)"
