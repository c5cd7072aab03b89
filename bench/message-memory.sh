#!/bin/sh
# bench/message-memory.sh [N] [SIZE]: what large and hostile messages cost
# the district agent in memory. N reports (default 50) of about SIZE bytes
# (default 2,000,000, under the broker's 2 MiB max_packet_size), written by
# Python's protobuf (tests/tools/publish-padded.py), in each of four
# streams, each to a fresh agent (development configuration, power) on a
# fresh database:
#   none  normal reports of about 100 bytes (the baseline: the same agent,
#         the same count, nothing unusual);
#   one   each with one field of SIZE bytes that raksha.v1 does not know
#         (a newer schema's photo, say): stored whole;
#   many  each padded with SIZE/2 unknown two-byte fields (Envelope field 4);
#   deep  the same, three bytes each, inside the report (Report field 1000).
# Beside the agent, mosquitto_sub -q 1 on the same broker takes the "many"
# stream too (a second baseline: what only receiving such messages costs).
# Peak memory from /proc/PID/status (VmHWM), after every report was stored
# or rejected; VmRSS then too. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
N=${1:-50}
SIZE=${2:-2000000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= SUB_PID=
trap 'for p in $AGENT_PID $SUB_PID; do kill -TERM $p 2>/dev/null; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
mkdir "$W/py"
protoc --python_out="$W/py" --proto_path=schemas raksha/v1/raksha.proto

kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
publish() {  # STYLE
	PADDED_PY=$W/py /usr/bin/python3 tests/tools/publish-padded.py "$BROKER_PORT" "$N" "$1" "$SIZE" > /dev/null
}
# kept DB: what the agent has stored or rejected (its own presence aside).
kept() { sqlite3 "$1" "SELECT (SELECT count(*) FROM messages WHERE kind = 'report') +
	(SELECT count(*) FROM rejected)" 2>/dev/null || echo 0; }

echo "bench/message-memory: $N reports of about $SIZE bytes in each stream"
for style in none one many deep; do
	agent_conf "mm-$style" power
	agent_start "mm-$style"
	if [ "$style" = many ]; then
		mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i mm-sub -t 'raksha/v1/+/+/+/report' \
			-F '%l' > "$W/sub.out" &
		SUB_PID=$!
		sleep 0.5
	fi
	publish "$style"
	w=0
	while [ "$(kept "$W/mm-$style.db")" -lt "$N" ]; do
		w=$((w + 1))
		[ $w -le 3000 ] || { echo "$style: not all $N kept" >&2; exit 1; }
		sleep 0.1
	done
	sleep 0.5  # the escalator's look at the last of them
	eval "hwm_$style=$(kib "$AGENT_PID" VmHWM) rss_$style=$(kib "$AGENT_PID" VmRSS)"
	stored=$(sqlite3 "$W/mm-$style.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
	rejected=$(sqlite3 "$W/mm-$style.db" "SELECT count(*) FROM rejected")
	eval "what_$style='stored $stored, rejected $rejected'"
	if [ -n "$SUB_PID" ]; then
		wait_lines "$W/sub.out" "$N" 60 || { echo "mosquitto_sub did not get all $N" >&2; exit 1; }
		sub_hwm=$(kib "$SUB_PID" VmHWM)
		stop "$SUB_PID"
		SUB_PID=
	fi
	stop "$AGENT_PID"
	AGENT_PID=
done
# shellcheck disable=SC2154 # set by eval above
{
	printf '  %-52s VmHWM %6s MiB\n' "mosquitto_sub -q 1, the many stream (baseline)" "$(mib "$sub_hwm")"
	for style in none one many deep; do
		eval "h=\$hwm_$style r=\$rss_$style what=\$what_$style"
		printf '  %-52s VmHWM %6s MiB  VmRSS %6s MiB  %s x none  %s x mosquitto_sub  (%s)\n' \
			"raksha-agent, $style" "$(mib "$h")" "$(mib "$r")" "$(ratio "$h" "$hwm_none")" \
			"$(ratio "$h" "$sub_hwm")" "$what"
	done
}
