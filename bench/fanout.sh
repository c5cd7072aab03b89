#!/bin/sh
# bench/fanout.sh [AGENTS] [ROUNDS] [DURABILITY]: one report to AGENTS
# district agents (default 1,000, about India's districts and railway
# divisions: AGENTS raksha-agent processes, each with its own database in a
# temporary folder, durability DURABILITY, default power as in production;
# one mosquitto), the time from its publication until the last agent has
# committed it; against AGENTS mosquitto_sub -q 1 processes receiving it
# (until the last has received it). ROUNDS reports (default 5), one at a
# time, each side in a phase of its own so that the two never compete for
# the CPU.
#
# Times: bench/stream-publish logs the send time (CLOCK_REALTIME, µs);
# each agent runs with bench/commit-stamp.so (the time its COMMIT
# returned, by seq; the report's seq comes from the agent's database after
# the run, since the agent also stores its own presence); each
# mosquitto_sub prints its receive time (-F '%U'). The processes start in
# batches of 20, each batch connected and subscribed before the next; the
# rounds begin once every agent has committed its own presence (its
# committer runs). mosquitto needs a descriptor per client: the script
# raises ulimit -n to its hard limit and checks it exceeds 2 x AGENTS.
# Prints, per side, the median over rounds of the last, the first and the
# median arrival, the worst round, and the ratios agent/mosquitto_sub; the
# agents' memory (RSS, PSS from smaps_rollup) and the machine's available
# memory with them running; the CPU (all threads, from schedstat) the
# agents and the broker spent per round and, for comparison, in as long
# idle. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
A=${1:-1000}
R=${2:-5}
D=${3:-power}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
PIDS=""
trap 'for p in $PIDS; do kill -TERM $p 2>/dev/null || true; done; for p in $PIDS; do wait $p 2>/dev/null || true; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((2 * A + 64)) ] ||
	{ echo "ulimit -n $(ulimit -n) is too low for $A clients" >&2; exit 1; }
bench_broker
TOPIC='raksha/v1/+/+/+/report'
BATCH=20

# lines FILES...: their lines in all.
lines() { cat "$@" | wc -l; }

# round K BASE FILES...: publishes the K-th report and waits (60 s at most)
# until FILES have BASE + K x A lines in all; prints the message_id and
# send time. The first look waits 0.3 s, so that the waiting takes no
# CPU from the subscribers while most of them still work.
round() {
	k=$1 base=$2
	shift 2
	"$PUB" "$URL" 1 0 "$W/pub-$k.log" > /dev/null
	sleep 0.3
	i=0
	until [ "$(lines "$@")" -ge $((base + k * A)) ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "round $k: not everyone got it in 60 s" >&2; exit 1; }
		sleep 0.2
	done
	cat "$W/pub-$k.log"
}

# cpu_ns PIDS...: the CPU time (ns) all their threads have used.
cpu_ns() {
	for p in "$@"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done | awk '{ s += $1 } END { printf "%.0f\n", s }'
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
		n=0
		until [ "$(grep -c 'as bench-fan-sub-' "$W/broker/mosquitto.log")" -ge $i ]; do
			n=$((n + 1))
			[ $n -gt 1200 ] && { echo "mosquitto_sub $i did not connect in 60 s" >&2; exit 1; }
			sleep 0.05
		done
	fi
done
sleep 1  # the last SUBSCRIBEs
sub_start_ms=$(( ($(now_us) - t0) / 1000 ))
sub_pids=$PIDS
k=1
: > "$W/sub-sent"
while [ $k -le "$R" ]; do
	c0=$(cpu_ns "$BROKER_PID")
	# shellcheck disable=SC2086
	round $k 0 $files > "$W/sent-$k" || exit 1
	echo "$(($(cpu_ns "$BROKER_PID") - c0))" >> "$W/sub-broker-cpu"
	cut -d' ' -f2 "$W/sent-$k" >> "$W/sub-sent"
	k=$((k + 1))
done
for p in $PIDS; do wait "$p" 2>/dev/null || true; done
PIDS=""
# Round K's receive times are the K-th lines.
k=1
while [ $k -le "$R" ]; do
	sent=$(sed -n "${k}p" "$W/sub-sent")
	# shellcheck disable=SC2086
	for f in $files; do sed -n "${k}p" "$f"; done |
		awk -v s="$sent" '{ split($1, a, "."); print a[1] * 1000000 + int(substr(a[2], 1, 6)) - s }' |
		sort -n > "$W/sub-round-$k"
	[ "$(wc -l < "$W/sub-round-$k")" -eq "$A" ] || { echo "round $k: a mosquitto_sub missed it" >&2; exit 1; }
	k=$((k + 1))
done

# The agents.
avail0=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
t0=$(now_us)
files=""
i=0
while [ $i -lt "$A" ]; do
	agent_conf "bench-fan-$i" "$D"
	: > "$W/bench-fan-$i.commits"
	agent_start "bench-fan-$i" nowait
	PIDS="$PIDS $AGENT_PID"
	files="$files $W/bench-fan-$i.commits"
	i=$((i + 1))
	if [ $((i % BATCH)) -eq 0 ] || [ $i -eq "$A" ]; then
		j=$((i - BATCH < 0 ? 0 : i - BATCH))
		while [ $j -lt $i ]; do
			wait_for "connected;" "$W/bench-fan-$j.log" 60 || { echo "agent $j did not connect" >&2; exit 1; }
			j=$((j + 1))
		done
	fi
done
# Each agent has committed its own presence: its committer runs.
for f in $files; do
	wait_lines "$f" 1 30 || { echo "$f: no presence committed" >&2; exit 1; }
done
agent_start_ms=$(( ($(now_us) - t0) / 1000 ))
sleep 1
avail1=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
: > "$W/mem"
for p in $PIDS; do
	echo "$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status") $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup")" >> "$W/mem"
done
# The idle agents' own CPU over 2 s (their timers), to set against a round's.
# shellcheck disable=SC2086
c0=$(cpu_ns $PIDS) b0=$(cpu_ns "$BROKER_PID") t1=$(now_us)
sleep 2
# shellcheck disable=SC2086
idle_ns=$(( $(cpu_ns $PIDS) - c0 )) idle_b=$(( $(cpu_ns "$BROKER_PID") - b0 )) idle_us=$(( $(now_us) - t1 ))
# shellcheck disable=SC2086
base=$(lines $files)
k=1
: > "$W/agent-cpu"
while [ $k -le "$R" ]; do
	# shellcheck disable=SC2086
	c0=$(cpu_ns $PIDS) b0=$(cpu_ns "$BROKER_PID") t1=$(now_us)
	# shellcheck disable=SC2086
	round $k "$base" $files > "$W/sent-$k" || exit 1
	# shellcheck disable=SC2086
	echo "$(( $(cpu_ns $PIDS) - c0 )) $(( $(cpu_ns "$BROKER_PID") - b0 )) $(( $(now_us) - t1 ))" >> "$W/agent-cpu"
	# shellcheck disable=SC2086
	base=$(( $(lines $files) - k * A ))
	k=$((k + 1))
done
for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
for p in $PIDS; do wait "$p" 2>/dev/null || true; done
PIDS=""
# Each database holds the R reports, once; each report's commit time by its seq.
cat "$W"/sent-* > "$W/sent"
: > "$W/commits"
i=0
while [ $i -lt "$A" ]; do
	sqlite3 "$W/bench-fan-$i.db" "SELECT seq, lower(hex(message_id)) FROM messages WHERE kind = 'report'" |
		tr '|' ' ' > "$W/map"
	n=$(wc -l < "$W/map")
	[ "$n" -eq "$R" ] || { echo "agent $i stored $n reports, not $R" >&2; exit 1; }
	awk 'FNR == NR { id[$1] = $2; next } ($1 in id) { print id[$1], $2 }' "$W/map" "$W/bench-fan-$i.commits" >> "$W/commits"
	i=$((i + 1))
done
k=1
while [ $k -le "$R" ]; do
	read -r id sent < "$W/sent-$k"
	awk -v id="$id" -v s="$sent" '$1 == id { print $2 - s }' "$W/commits" | sort -n > "$W/agent-round-$k"
	[ "$(wc -l < "$W/agent-round-$k")" -eq "$A" ] || { echo "round $k: $(wc -l < "$W/agent-round-$k") commits, not $A" >&2; exit 1; }
	k=$((k + 1))
done

# Per side: per round the last (max), first and median arrival; then the median and worst round.
summary() {  # SIDE -> "median-of-last worst-last median-of-median median-of-first"
	k=1
	: > "$W/$1-last" && : > "$W/$1-mid" && : > "$W/$1-first"
	while [ $k -le "$R" ]; do
		tail -n 1 "$W/$1-round-$k" >> "$W/$1-last"
		head -n 1 "$W/$1-round-$k" >> "$W/$1-first"
		pct "$W/$1-round-$k" 50 >> "$W/$1-mid"
		k=$((k + 1))
	done
	echo "$(pct "$W/$1-last" 50) $(pct "$W/$1-last" 100) $(pct "$W/$1-mid" 50) $(pct "$W/$1-first" 50)"
}
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
read -r sl sw sm sf <<EOF
$(summary sub)
EOF
read -r al aw am af <<EOF
$(summary agent)
EOF
printf 'bench/fanout: one report to %d subscribers, %d rounds (median round; worst round); load %s\n' \
	"$A" "$R" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-36s last %7s ms (worst %7s)  first %6s ms  median %7s ms  started in %s s\n' \
	"$A x mosquitto_sub -q 1 (baseline)" "$(ms "$sl")" "$(ms "$sw")" "$(ms "$sf")" "$(ms "$sm")" \
	"$(awk -v m="$sub_start_ms" 'BEGIN { printf "%.1f", m / 1000 }')"
printf '  %-36s last %7s ms (worst %7s)  first %6s ms  median %7s ms  started in %s s\n' \
	"$A x raksha-agent ($D), committed" "$(ms "$al")" "$(ms "$aw")" "$(ms "$af")" "$(ms "$am")" \
	"$(awk -v m="$agent_start_ms" 'BEGIN { printf "%.1f", m / 1000 }')"
printf '  ratio agent/mosquitto_sub: last %s x, median subscriber %s x\n' "$(ratio "$al" "$sl")" "$(ratio "$am" "$sm")"
awk -v a0="$avail0" -v a1="$avail1" '{ r += $1; p += $2 } END {
	printf "  memory: %d agents RSS %.0f MiB in all (%.1f each), PSS %.0f MiB (%.1f each); MemAvailable %.0f -> %.0f MiB\n",
		NR, r / 1024, r / 1024 / NR, p / 1024, p / 1024 / NR, a0 / 1024, a1 / 1024 }' "$W/mem"
cut -d' ' -f1 "$W/agent-cpu" > "$W/c" && cut -d' ' -f2 "$W/agent-cpu" > "$W/b" && cut -d' ' -f3 "$W/agent-cpu" > "$W/u"
awk -v a="$A" -v c="$(pct "$W/c" 50)" -v b="$(pct "$W/b" 50)" -v u="$(pct "$W/u" 50)" -v sb="$(pct "$W/sub-broker-cpu" 50)" \
	-v in_="$idle_ns" -v ib="$idle_b" -v iu="$idle_us" 'BEGIN {
	printf "  CPU per round (median): agents %.0f ms (%.0f us an agent), broker %.1f ms (%.1f ms to the mosquitto_sub), in %.0f ms;", c / 1e6, c / 1e3 / a, b / 1e6, sb / 1e6, u / 1e3
	printf " idle as long: agents %.0f ms, broker %.1f ms\n", in_ / 1e6 * u / iu, ib / 1e6 * u / iu }'
