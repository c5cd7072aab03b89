#!/bin/sh
# bench/fanout.sh [AGENTS] [ROUNDS] [DURABILITY]: one report to AGENTS
# district agents (default 200: AGENTS raksha-agent processes, each with
# its own database in a temporary folder, durability DURABILITY, default
# power as in production; one mosquitto), the time from its publication until the last agent has
# committed it; against AGENTS mosquitto_sub -q 1 processes receiving it
# (until the last has received it). ROUNDS reports (default 5), one at a
# time, each side in a phase of its own so that the two never compete for
# the CPU.
#
# Times: bench/stream-publish logs the send time (CLOCK_REALTIME, µs);
# each agent runs with bench/commit-stamp.so (the time its COMMIT
# returned); each mosquitto_sub prints its receive time (-F '%U'). The
# processes start in batches of 20, each batch connected and subscribed
# before the next. mosquitto needs a descriptor per client: ulimit -n must
# exceed 2 x AGENTS (checked). Prints, per side, the median over rounds of
# the last arrival and of the median arrival, the worst round, and the
# ratios agent/mosquitto_sub. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
A=${1:-200}
R=${2:-5}
D=${3:-power}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
PIDS=""
trap 'for p in $PIDS; do kill -TERM $p 2>/dev/null || true; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((2 * A + 64)) ] ||
	{ echo "ulimit -n $(ulimit -n) is too low for $A clients" >&2; exit 1; }
bench_broker
TOPIC='raksha/v1/+/+/+/report'
BATCH=20

# round K FILES...: publishes the K-th report and waits until each file has
# K lines; prints the send time.
round() {
	k=$1
	shift
	"$PUB" "$URL" 1 0 "$W/pub-$k.log" > /dev/null
	i=0
	until [ "$(cat "$@" | wc -l)" -ge $((k * A)) ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && { echo "round $k: not everyone got it in 60 s" >&2; exit 1; }
		sleep 0.1
	done
	cut -d' ' -f2 "$W/pub-$k.log"
}

# spread K SENT FIELD FILES...: the latencies (µs) of round K, one per file,
# sorted; FIELD is the time's column in the files' K-th lines.
spread() {
	k=$1 sent=$2 field=$3
	shift 3
	for f in "$@"; do sed -n "${k}p" "$f"; done |
		awk -v s="$sent" -v f="$field" '{ t = $f; if (t ~ /\./) { split(t, a, "."); t = a[1] * 1000000 + int(substr(a[2], 1, 6)) } print t - s }' |
		sort -n
}

# The baseline: A mosquitto_sub.
t0=$(now_us)
files=""
i=0
while [ $i -lt "$A" ]; do
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i "bench-fan-sub-$i" -t "$TOPIC" -F '%U' \
		-C "$R" > "$W/sub-$i.txt" &
	PIDS="$PIDS $!"
	files="$files $W/sub-$i.txt"
	i=$((i + 1))
	if [ $((i % BATCH)) -eq 0 ] || [ $i -eq "$A" ]; then
		until [ "$(grep -c 'as bench-fan-sub-' "$W/broker/mosquitto.log")" -ge $i ]; do sleep 0.05; done
	fi
done
sleep 1  # the last SUBSCRIBEs
sub_start_ms=$(( ($(now_us) - t0) / 1000 ))
k=1
while [ $k -le "$R" ]; do
	sent=$(round $k $files) && [ -n "$sent" ] || exit 1
	# shellcheck disable=SC2086
	spread $k "$sent" 1 $files > "$W/sub-round-$k"
	k=$((k + 1))
done
for p in $PIDS; do wait "$p" 2>/dev/null || true; done
PIDS=""

# The agents.
t0=$(now_us)
files=""
i=0
while [ $i -lt "$A" ]; do
	agent_conf "bench-fan-$i" "$D"
	agent_start "bench-fan-$i" nowait
	PIDS="$PIDS $AGENT_PID"
	files="$files $W/bench-fan-$i.commits"
	: > "$W/bench-fan-$i.commits"
	i=$((i + 1))
	if [ $((i % BATCH)) -eq 0 ] || [ $i -eq "$A" ]; then
		j=$((i - BATCH < 0 ? 0 : i - BATCH))
		while [ $j -lt $i ]; do
			wait_for "connected;" "$W/bench-fan-$j.log" 60 || { echo "agent $j did not connect" >&2; exit 1; }
			j=$((j + 1))
		done
	fi
done
agent_start_ms=$(( ($(now_us) - t0) / 1000 ))
rss_kb=0
for p in $PIDS; do
	rss_kb=$((rss_kb + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")))
done
k=1
while [ $k -le "$R" ]; do
	sent=$(round $k $files) && [ -n "$sent" ] || exit 1
	# shellcheck disable=SC2086
	spread $k "$sent" 2 $files > "$W/agent-round-$k"
	k=$((k + 1))
done
for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
for p in $PIDS; do wait "$p" 2>/dev/null || true; done
PIDS=""
# Each database holds the R reports, once.
i=0
while [ $i -lt "$A" ]; do
	n=$(sqlite3 "$W/bench-fan-$i.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
	[ "$n" -eq "$R" ] || { echo "agent $i stored $n reports, not $R" >&2; exit 1; }
	i=$((i + 1))
done

# Per side: per round the last (max) and the median arrival; then the median and worst round.
summary() {  # SIDE -> "median-of-last worst-last median-of-median"
	k=1
	: > "$W/$1-last" && : > "$W/$1-mid"
	while [ $k -le "$R" ]; do
		tail -n 1 "$W/$1-round-$k" >> "$W/$1-last"
		pct "$W/$1-round-$k" 50 >> "$W/$1-mid"
		k=$((k + 1))
	done
	echo "$(pct "$W/$1-last" 50) $(pct "$W/$1-last" 100) $(pct "$W/$1-mid" 50)"
}
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
read -r sl sw sm <<EOF
$(summary sub)
EOF
read -r al aw am <<EOF
$(summary agent)
EOF
printf 'bench/fanout: one report to %d subscribers, %d rounds (median round; worst round)\n' "$A" "$R"
printf '  %-36s last %7s ms (worst %7s)  median subscriber %7s ms  started in %s s\n' \
	"$A x mosquitto_sub -q 1 (baseline)" "$(ms "$sl")" "$(ms "$sw")" "$(ms "$sm")" \
	"$(awk -v m="$sub_start_ms" 'BEGIN { printf "%.1f", m / 1000 }')"
printf '  %-36s last %7s ms (worst %7s)  median subscriber %7s ms  started in %s s, %d MiB RSS in all\n' \
	"$A x raksha-agent ($D), committed" "$(ms "$al")" "$(ms "$aw")" "$(ms "$am")" \
	"$(awk -v m="$agent_start_ms" 'BEGIN { printf "%.1f", m / 1000 }')" $((rss_kb / 1024))
printf '  ratio agent/mosquitto_sub: last %s x, median subscriber %s x\n' "$(ratio "$al" "$sl")" "$(ratio "$am" "$sm")"
