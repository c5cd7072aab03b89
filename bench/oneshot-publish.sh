#!/bin/sh
# bench/oneshot-publish.sh [N]: the wall time of one process per report at
# QoS 1, as hooks and desks' scripts call it: N sequential `raksha-publish
# report` (outbox entry written and fsynced, PUBACK awaited, entry removed)
# against N sequential `mosquitto_pub -q 1 -f FILE` with a payload of the
# same size, alternately in rounds of 10 so that the machine's drift falls
# on both, on one broker. Checks that every raksha-publish exited 0 and left
# its outbox empty. Prints milliseconds per process and the ratio
# ours / mosquitto_pub (default N = 100). Needs a build in build/ (or
# RAKSHA_BUILD_DIR). ONESHOT_BEFORE=PATH: another raksha-publish (an older
# build's) timed too, in the same rounds, into an outbox of its own, for a
# before/after pair.
set -eu
cd "$(dirname "$0")/.."
N=${1:-100}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
trap 'dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
RP="$B/publisher/raksha-publish"
BEFORE=${ONESHOT_BEFORE:-}
TOPIC=raksha/v1/mp/bhopal/grp/report
# report [PROGRAM OUTBOX]: one report, by this build's raksha-publish or PROGRAM.
report() {
	"${1:-$RP}" --url "$URL" --outbox "${2:-$W/ob}" --state mp --region bhopal --agency grp \
		--unit "GRP Post Bhopal Jn" --sender-id mp-bhopal-grp-desk1 --officer-name "SI Anita Verma" \
		report --name "सीमा कुमारी" --other-name "Seema Kumari" --age 9 --gender female \
		--clothing "red frock, blue school sweater" --language hi \
		--last-seen-place "platform 1, near the tea stall" --district bhopal --priority urgent \
		> /dev/null || { echo "raksha-publish report exited $?" >&2; exit 1; }
}
# A warm-up, whose envelope's size is the baseline's payload size.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$TOPIC" -C 1 -W 30 -F '%l' > "$W/size" &
SUB_PID=$!
sleep 0.3
report
wait "$SUB_PID" || { echo "the warm-up report did not arrive" >&2; exit 1; }
SIZE=$(cat "$W/size")
head -c "$SIZE" /dev/urandom > "$W/payload"
rp_us=0
mp_us=0
before_us=0
done_n=0
while [ "$done_n" -lt "$N" ]; do
	k=$((N - done_n))
	[ "$k" -gt 10 ] && k=10
	t0=$(now_us)
	i=0; while [ $i -lt "$k" ]; do report; i=$((i + 1)); done
	rp_us=$((rp_us + $(now_us) - t0))
	t0=$(now_us)
	i=0; while [ $i -lt "$k" ]; do
		mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$TOPIC" -f "$W/payload"
		i=$((i + 1))
	done
	mp_us=$((mp_us + $(now_us) - t0))
	if [ -n "$BEFORE" ]; then
		t0=$(now_us)
		i=0; while [ $i -lt "$k" ]; do report "$BEFORE" "$W/ob-before"; i=$((i + 1)); done
		before_us=$((before_us + $(now_us) - t0))
	fi
	done_n=$((done_n + k))
done
for ob in "$W/ob" "$W/ob-before"; do
	[ ! -d "$ob" ] || [ -z "$(find "$ob" -maxdepth 1 -type f -name '*.msg')" ] ||
		{ echo "the outbox $ob is not empty" >&2; exit 1; }
done
ms() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.1f", us / n / 1000 }'; }
echo "bench/oneshot-publish: $N sequential processes each, QoS 1, one broker on loopback"
printf '  %-36s %7s ms a process\n' "mosquitto_pub -q 1 -f (baseline)" "$(ms "$N" "$mp_us")"
printf '  %-36s %7s ms a process   %s x mosquitto_pub\n' "raksha-publish report" "$(ms "$N" "$rp_us")" \
	"$(awk -v a="$rp_us" -v b="$mp_us" 'BEGIN { printf "%.1f", a / b }')"
[ -z "$BEFORE" ] || printf '  %-36s %7s ms a process   %s x mosquitto_pub\n' "$BEFORE" "$(ms "$N" "$before_us")" \
	"$(awk -v a="$before_us" -v b="$mp_us" 'BEGIN { printf "%.1f", a / b }')"
