#!/bin/sh
# bench/agent-idle.sh [SECONDS]: what an idle agent costs the machine while
# nothing happens (issue 19 part 1: 1,000 of them share a site's cores).
# One agent (an empty database, connected, its filters, the demonstration
# escalation rule) beside mosquitto_sub -q 1 on the same broker (the
# baseline: an MQTT subscriber that does nothing), both left SECONDS
# (default 10) after 3 s of start: each thread's wake-ups (voluntary and
# involuntary context switches, /proc/PID/task/*/status) and CPU time
# (schedstat), then the totals a second and the agent's against the
# baseline's. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
S=${1:-10}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= SUB_PID=
trap 'for p in $AGENT_PID $SUB_PID; do kill -TERM $p 2>/dev/null; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
agent_conf idle power
agent_start idle
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i bench-idle-sub -t 'raksha/v1/#' > /dev/null &
SUB_PID=$!
sleep 3

thread_snap "$AGENT_PID" > "$W/agent.a"
thread_snap "$SUB_PID" > "$W/sub.a"
sleep "$S"
thread_snap "$AGENT_PID" > "$W/agent.b"
thread_snap "$SUB_PID" > "$W/sub.b"
kill -0 "$AGENT_PID" && kill -0 "$SUB_PID" || { echo "a process died during the run" >&2; exit 1; }

# totals FILE_A FILE_B LABEL: prints each thread, then "LABEL WAKEUPS_S CPU_MS_S".
totals() {
	join "$1" "$2" | awk -v s="$S" -v l="$3" '{ w = $6 - $3; c = ($7 - $4) / 1e6; tw += w; tc += c
		printf "#   %-10s %-16s wake-ups %5d  CPU %7.2f ms\n", l, $2, w, c }
		END { printf "%s %.2f %.4f\n", l, tw / s, tc / s }'
}
totals "$W/agent.a" "$W/agent.b" agent > "$W/agent.t"
totals "$W/sub.a" "$W/sub.b" sub > "$W/sub.t"
grep '^#' "$W/agent.t" "$W/sub.t" | cut -d: -f2-
set -- $(grep -v "^#" "$W/agent.t")
aw=$2 ac=$3
set -- $(grep -v '^#' "$W/sub.t")
sw=$2 sc=$3
echo "idle $S s (load $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  agent          $aw wake-ups/s, CPU $ac ms/s"
echo "  mosquitto_sub  $sw wake-ups/s, CPU $sc ms/s (baseline)"
echo "  agent / mosquitto_sub: wake-ups $(ratio "$aw" "$sw") x, CPU $(ratio "$ac" "$sc") x"
