#!/bin/sh
# bench/agent-lone.sh [N] [GAP]: what one report that arrives alone costs
# an agent, the case of a fan-out to 1,000 agents (issue 19 part 1), where
# each agent gets one report and its threads each wake for it. One agent
# (durability = power, the development configuration) beside mosquitto_sub
# -q 1 on the same broker (the baseline: an MQTT subscriber that does
# nothing with a message); both first left idle as long as the reports
# will take, then N reports (default 20), one every GAP seconds (default
# 0.5: past the escalator's 250 ms pause, so that each is alone). Each
# thread's wake-ups (voluntary and involuntary context switches,
# /proc/PID/task/*/status) and CPU time (schedstat) in both phases; per
# report, the reports' phase less the idle one. Checks that the agent
# committed every report and mosquitto_sub got each before it prints.
# Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
N=${1:-20}
GAP=${2:-0.5}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= SUB_PID=
trap 'for p in $AGENT_PID $SUB_PID; do kill -TERM $p 2>/dev/null; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
agent_conf lone power
agent_start lone
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i bench-lone-sub -t 'raksha/v1/+/+/+/report' > "$W/sub.txt" &
SUB_PID=$!
# One report first: both sides warm (the agent's statements prepared, its
# keyer opened), its commit and its escalator's step over.
sleep 0.5
"$PUB" "$URL" 1 0 > /dev/null
wait_lines "$W/sub.txt" 1 10 || { echo "mosquitto_sub got no report" >&2; exit 1; }
# Its commits: its own presence, then the report.
wait_lines "$W/lone.commits" 2 10 || { echo "the agent committed no report" >&2; exit 1; }
sleep 1
c0=$(wc -l < "$W/lone.commits")

# The phase's length: N gaps and a second for the last report's work.
S=$(awk -v n="$N" -v g="$GAP" 'BEGIN { printf "%.3f", n * g + 1 }')
thread_snap "$AGENT_PID" > "$W/agent.0"
thread_snap "$SUB_PID" > "$W/sub.0"
sleep "$S"
thread_snap "$AGENT_PID" > "$W/agent.1"
thread_snap "$SUB_PID" > "$W/sub.1"
"$PUB" "$URL" "$N" "$(awk -v g="$GAP" 'BEGIN { print 1 / g }')" > /dev/null
sleep 1
thread_snap "$AGENT_PID" > "$W/agent.2"
thread_snap "$SUB_PID" > "$W/sub.2"
kill -0 "$AGENT_PID" && kill -0 "$SUB_PID" || { echo "a process died during the run" >&2; exit 1; }
[ $(($(wc -l < "$W/lone.commits") - c0)) -ge "$N" ] || { echo "the agent did not commit all $N" >&2; exit 1; }
[ "$(wc -l < "$W/sub.txt")" -ge $((N + 1)) ] || { echo "mosquitto_sub did not get all $N" >&2; exit 1; }

# per A B C LABEL: each thread's wake-ups and CPU (us) per report, the
# reports' phase (B to C) less the idle one (A to B), then a line
# "LABEL WAKEUPS CPU_US" of the totals per report.
per() {
	join "$1" "$2" | join - "$3" | awk -v n="$N" -v l="$4" '{
		w = (($9 - $6) - ($6 - $3)) / n; c = (($10 - $7) - ($7 - $4)) / n / 1e3; tw += w; tc += c
		printf "#   %-14s %-16s wake-ups %6.2f  CPU %8.1f us\n", l, $2, w, c }
		END { printf "%s %.2f %.1f\n", l, tw, tc }'
}
per "$W/agent.0" "$W/agent.1" "$W/agent.2" agent > "$W/agent.t"
per "$W/sub.0" "$W/sub.1" "$W/sub.2" mosquitto_sub > "$W/sub.t"
echo "one report alone, $N reports $GAP s apart, less as long idle (load $(cut -d' ' -f1-3 /proc/loadavg)), per report:"
grep '^#' "$W/agent.t" "$W/sub.t" | cut -d: -f2-
set -- $(grep -v '^#' "$W/agent.t")
aw=$2 ac=$3
set -- $(grep -v '^#' "$W/sub.t")
sw=$2 sc=$3
echo "  agent          $aw wake-ups, CPU $ac us"
echo "  mosquitto_sub  $sw wake-ups, CPU $sc us (baseline)"
echo "  agent / mosquitto_sub: wake-ups $(ratio "$aw" "$sw") x, CPU $(ratio "$ac" "$sc") x"
