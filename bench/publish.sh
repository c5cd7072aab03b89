#!/bin/sh
# bench/publish.sh [M] [N]: publishing rate at QoS 1, ours against
# mosquitto_pub with payloads of the same size, on one broker:
#   1. one process per report, M times (default 200): raksha-publish report
#      (flags as a desk gives them; the outbox written, the report kept for
#      revisions, the PUBACK awaited) against mosquitto_pub -q 1 -f FILE;
#   2. a batch of N (default 20,000) queued reports: raksha-publish flush
#      of an outbox filled by tests/tools/fill-outbox (64 in flight, each
#      file removed at its PUBACK) against mosquitto_pub -q 1 -l reading N
#      lines (one message each);
#   3. the library: bench/stream-publish, N fresh reports encoded and
#      published through raksha_client as fast as the broker acknowledges
#      them (64 in flight), against the same mosquitto_pub -l, and against
#      the same tool sending the same envelopes straight through paho-mqtt-c
#      (MQTTAsync_sendMessage, 64 in flight): the transport's own pace.
# A mosquitto_sub -q 1 on the topic counts what arrives: each step checks
# that the broker delivered exactly what was published. Prints rates and
# ratios ours/mosquitto_pub. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
M=${1:-200}
N=${2:-20000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
SUB_PID=
trap '[ -n "$SUB_PID" ] && kill $SUB_PID 2>/dev/null; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
RP="$B/publisher/raksha-publish"
TOPIC=raksha/v1/mp/bhopal/grp/report
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$TOPIC" -F '%l' > "$W/arrived" &
SUB_PID=$!
sleep 0.5
expect=0
# arrived K: waits until K more messages arrived (60 s at most).
arrived() {
	expect=$((expect + $1))
	wait_lines "$W/arrived" "$expect" 60 || { echo "arrived $(wc -l < "$W/arrived"), not $expect" >&2; exit 1; }
}
rate() { awk -v n="$1" -v us="$2" 'BEGIN { r = n * 1e6 / us; printf (r < 100 ? "%.1f" : "%.0f"), r }'; }

# 1. One process per report.
report() {
	"$RP" --url "$URL" --outbox "$W/ob1" --state mp --region bhopal --agency grp \
		--unit "GRP Post Bhopal Jn" --sender-id mp-bhopal-grp-desk1 --officer-name "SI Anita Verma" \
		report --name "सीमा कुमारी" --other-name "Seema Kumari" --age 9 --gender female \
		--clothing "red frock, blue school sweater" --marks "mole under left eye" --language hi \
		--last-seen-place "platform 1, near the tea stall" --district bhopal --station BPL \
		--train 12627 --coach S4 --priority urgent > /dev/null
}
report && arrived 1  # warm-up; its size is the payload size of the baseline
SIZE=$(tail -n 1 "$W/arrived")
head -c "$SIZE" /dev/urandom > "$W/payload"
t0=$(now_us)
i=0; while [ $i -lt "$M" ]; do report; i=$((i + 1)); done
rp_one=$(( $(now_us) - t0 ))
arrived "$M"
t0=$(now_us)
i=0; while [ $i -lt "$M" ]; do
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$TOPIC" -f "$W/payload"
	i=$((i + 1))
done
mp_one=$(( $(now_us) - t0 ))
arrived "$M"

# 2. A batch: flush of a filled outbox, against mosquitto_pub -l.
"$B/tests/tools/fill-outbox" "$W/ob2" "$N"
t0=$(now_us)
"$RP" --url "$URL" --outbox "$W/ob2" --timeout 120 flush 2> /dev/null
rp_flush=$(( $(now_us) - t0 ))
arrived "$N"
[ -z "$(find "$W/ob2" -maxdepth 1 -type f -name '*.msg')" ] || { echo "flush left envelopes behind" >&2; exit 1; }
BSIZE=$(tail -n 1 "$W/arrived")
awk -v n="$N" -v s="$BSIZE" 'BEGIN { l = sprintf("%*s", s, ""); gsub(/ /, "x", l); for (i = 0; i < n; i++) print l }' > "$W/lines"
t0=$(now_us)
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$TOPIC" -l < "$W/lines"
mp_lines=$(( $(now_us) - t0 ))
arrived "$N"
[ "$(tail -n 1 "$W/arrived")" = "$BSIZE" ] || { echo "mosquitto_pub -l sent another size" >&2; exit 1; }

# 3. The library at full speed.
"$PUB" "$URL" "$N" 0 > "$W/lib.out"
read -r _ _ _ acked _ LSIZE _ _ _ _ _ lib_us < "$W/lib.out"
[ "$acked" -eq "$N" ] || { echo "stream-publish: $acked of $N acknowledged" >&2; exit 1; }
arrived "$N"
"$PUB" "$URL" "$N" 0 - 64 bare > "$W/bare.out"
read -r _ _ _ acked _ _ _ _ _ _ _ bare_us < "$W/bare.out"
[ "$acked" -eq "$N" ] || { echo "bare paho: $acked of $N acknowledged" >&2; exit 1; }
arrived "$N"

echo "bench/publish: QoS 1, one broker on loopback; ours against mosquitto_pub, the same payload size"
printf '  one process per message, %d messages of %d B\n' "$M" "$SIZE"
printf '    %-42s %8s/s\n' "mosquitto_pub -q 1 -f (baseline)" "$(rate "$M" "$mp_one")"
printf '    %-42s %8s/s   %s x mosquitto_pub\n' "raksha-publish report" "$(rate "$M" "$rp_one")" \
	"$(ratio "$mp_one" "$rp_one")"
printf '  a batch of %d messages of %d B (library: %d B)\n' "$N" "$BSIZE" "$LSIZE"
printf '    %-42s %8s/s\n' "mosquitto_pub -q 1 -l (baseline)" "$(rate "$N" "$mp_lines")"
printf '    %-42s %8s/s   %s x mosquitto_pub -l\n' "raksha-publish flush (outbox)" "$(rate "$N" "$rp_flush")" \
	"$(ratio "$mp_lines" "$rp_flush")"
printf '    %-42s %8s/s   %s x mosquitto_pub -l\n' "bare paho MQTTAsync, 64 in flight" \
	"$(rate "$N" "$bare_us")" "$(ratio "$mp_lines" "$bare_us")"
printf '    %-42s %8s/s   %s x mosquitto_pub -l, %s x bare paho\n' "libraksha (stream-publish, 64 in flight)" \
	"$(rate "$N" "$lib_us")" "$(ratio "$mp_lines" "$lib_us")" "$(ratio "$bare_us" "$lib_us")"
