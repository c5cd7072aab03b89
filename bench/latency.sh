#!/bin/sh
# bench/latency.sh [N] [RATE]: end-to-end latency, publish -> committed at
# the district agent, for N reports (default 3000) paced at RATE a second
# (default 1000), against mosquitto_sub -q 1 receiving the same stream at
# the same time (the broker's and the loopback's own latency).
#
# bench/stream-publish (libraksha's client) publishes each report on a fixed
# schedule and logs its message_id and send time (CLOCK_REALTIME, µs, just
# before the client gets it). The agent runs with bench/commit-stamp.so,
# which logs the time each message's COMMIT returned (µs; before the
# callback returns and paho sends the PUBACK); the agent's own
# messages.received_at_ms is only a millisecond, taken before the
# transaction begins. mosquitto_sub prints each message's receive time
# (-F '%U', ns) and payload (%x), whose first bytes are the message_id.
# Each durability (crash, power) is a phase of its own, with its own
# mosquitto_sub. Prints p50, p99 and max per side and the ratios
# agent/mosquitto_sub. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
N=${1:-3000}
RATE=${2:-1000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= sub=
trap 'for p in $AGENT_PID $sub; do kill -TERM $p 2>/dev/null; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
TOPIC='raksha/v1/+/+/+/report'

# phase DURABILITY: one paced stream, watched by the agent and mosquitto_sub.
phase() {
	d=$1 name="bench-lat-$1"
	agent_conf "$name" "$d"
	agent_start "$name"
	# One report first: both sides subscribed and warm; then the stream.
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i "bench-lat-sub-$d" -t "$TOPIC" \
		-F '%U %x' -C $((N + 1)) > "$W/sub-$d.txt" &
	sub=$!
	sleep 0.5
	"$PUB" "$URL" 1 0 > /dev/null
	wait_lines "$W/$name.commits" 1 10 && wait_lines "$W/sub-$d.txt" 1 10 ||
		{ echo "the first report did not arrive" >&2; exit 1; }
	"$PUB" "$URL" "$N" "$RATE" "$W/pub-$d.log" > "$W/pub-$d.out"
	wait_lines "$W/$name.commits" $((N + 1)) 60 || { echo "agent $d: not all committed" >&2; exit 1; }
	wait "$sub"
	sub=
	stop "$AGENT_PID"
	AGENT_PID=

	# Join on message_id: send time, receive time, commit time, received_at_ms.
	sqlite3 "$W/$name.db" "SELECT seq, lower(hex(message_id)), received_at_ms FROM messages
		WHERE kind = 'report'" | tr '|' ' ' > "$W/rows-$d.txt"
	awk -v sub_out="$W/sub-lat-$d.txt" -v ag_out="$W/ag-lat-$d.txt" -v rcv_out="$W/rcv-lat-$d.txt" '
		FILENAME ~ /pub-/ { sent[$1] = $2; next }
		FILENAME ~ /sub-/ { id = substr($2, 5, 32); if (id in sent) {
			split($1, t, "."); us = t[1] * 1000000 + int(substr(t[2], 1, 6))
			print us - sent[id] > sub_out; ns++ } next }
		FILENAME ~ /commits/ { commit[$1] = $2; next }
		{ if (($2 in sent) && ($1 in commit)) { print commit[$1] - sent[$2] > ag_out
			print $3 * 1000 - sent[$2] > rcv_out; na++ } }
		END { print ns + 0, na + 0 }' \
		"$W/pub-$d.log" "$W/sub-$d.txt" "$W/$name.commits" "$W/rows-$d.txt" > "$W/counts-$d"
	read -r ns na < "$W/counts-$d"
	[ "$ns" -eq "$N" ] && [ "$na" -eq "$N" ] ||
		{ echo "$d: mosquitto_sub matched $ns, the agent $na of $N reports" >&2; exit 1; }
}

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
report() {
	d=$1
	s50=$(pct "$W/sub-lat-$d.txt" 50) s99=$(pct "$W/sub-lat-$d.txt" 99) smax=$(pct "$W/sub-lat-$d.txt" 100)
	a50=$(pct "$W/ag-lat-$d.txt" 50) a99=$(pct "$W/ag-lat-$d.txt" 99) amax=$(pct "$W/ag-lat-$d.txt" 100)
	r50=$(pct "$W/rcv-lat-$d.txt" 50)
	read -r _ _ _ _ _ size _ first _ last _ < "$W/pub-$d.out"
	printf '  durability = %s (stream: %s reports of %s B sent over %s s)\n' "$d" "$N" "$size" \
		"$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')"
	printf '    %-40s p50 %7s ms  p99 %7s ms  max %7s ms\n' "mosquitto_sub -q 1, received (baseline)" \
		"$(ms "$s50")" "$(ms "$s99")" "$(ms "$smax")"
	printf '    %-40s p50 %7s ms  p99 %7s ms  max %7s ms   %s x / %s x mosquitto_sub\n' \
		"raksha-agent, committed" "$(ms "$a50")" "$(ms "$a99")" "$(ms "$amax")" \
		"$(ratio "$a50" "$s50")" "$(ratio "$a99" "$s99")"
	printf '    %-40s p50 %7s ms  (received_at_ms, 1 ms resolution, before the commit)\n' \
		"raksha-agent, received" "$(ms "$r50")"
}

phase crash
phase power
printf 'bench/latency: %d reports at %s/s, publish (libraksha) -> received / committed\n' "$N" "$RATE"
report crash
report power
