#!/bin/sh
# bench/slowlink.sh [RUNS] [KBIT] [RTT_MS] [LEGS]: a report with a phone's
# photo over a poor link (issue 19, part 2). Root: it makes a network
# namespace (deleted at exit) whose loopback (MTU 1500) is shaped with tc:
# each slow leg's port through its own tbf of KBIT kbit/s (default 256),
# everything else unshaped. Each leg is a delaying TCP proxy
# (bench/delay-proxy.py, RTT_MS/2 each way, default 300 ms round trip) in
# front of one mosquitto: leg A carries the publishers' connections, leg B
# (LEGS = 2, the default: the receiving district on a poor link too; 1: the
# receivers connect to the broker directly) the agent's and mosquitto_sub's.
#
# (a) RUNS times (default 3): from the start of `raksha-publish report
#     --photo PHONE.jpg` (bench/phone-photo: 4000 x 3000, 3.4 MB, EXIF;
#     normalised by the publisher before it is queued) to the agent's
#     commit of it (bench/commit-stamp.so), against, once, mosquitto_pub
#     -q 1 moving the envelope as it would be with the photo unnormalised
#     (the same size: the envelope less its photo plus the camera's file)
#     to mosquitto_sub -q 1 over the same legs.
# (b) Head-of-line blocking on one connection: an outbox holding a photo
#     report and a text report (queued while the broker was away), sent by
#     one `raksha-publish flush`; when each reaches the agent, with the
#     photo queued first and then with the text queued first.
# Checks that every report arrived, once, before it prints a figure.
# Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-3}
KBIT=${2:-256}
RTT=${3:-300}
LEGS=${4:-2}
if [ "${SLOWLINK_INSIDE:-}" != 1 ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bench/slowlink.sh: needs root (ip netns, tc)" >&2; exit 77; }
	NS="raksha-slowlink-$$"
	ip netns add "$NS"
	trap 'ip netns del "$NS" 2>/dev/null' EXIT
	rc=0
	SLOWLINK_INSIDE=1 ip netns exec "$NS" sh "$0" "$RUNS" "$KBIT" "$RTT" "$LEGS" || rc=$?
	exit "$rc"
fi

B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= PROXY_A= PROXY_B= SUB=
trap 'for p in $AGENT_PID $SUB $PROXY_A $PROXY_B; do kill -TERM $p 2>/dev/null; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
RP="$B/publisher/raksha-publish"
PHOTO_TOOL="$B/bench/phone-photo"
[ -x "$RP" ] && [ -x "$PHOTO_TOOL" ] || { echo "build $B first" >&2; exit 1; }

ip link set lo mtu 1500 up
# SLOWLINK_WMEM="MIN DEFAULT MAX": the namespace's TCP send buffers
# (net.ipv4.tcp_wmem), to see what paho's pending writes cost
# (docs/benchmarks.md, Issue 19, part 2).
[ -n "${SLOWLINK_WMEM:-}" ] && sysctl -q -w net.ipv4.tcp_wmem="$SLOWLINK_WMEM"
# The development broker, but for its 2 MiB packet bound (the schema's
# envelope): the baseline's unnormalised envelope is larger.
sed 's/^max_packet_size .*/max_packet_size 16777216/' broker-config/dev/mosquitto.conf.in > "$W/mosquitto.conf.in"
bench_broker "$W/mosquitto.conf.in"
DIRECT=$BROKER_PORT

# Leg A (the publishers'), and leg B (the receivers') if LEGS = 2.
: > "$W/proxy-a"
: > "$W/proxy-b"
/usr/bin/python3 bench/delay-proxy.py "$DIRECT" $((RTT / 2)) > "$W/proxy-a" &
PROXY_A=$!
/usr/bin/python3 bench/delay-proxy.py "$DIRECT" $((RTT / 2)) > "$W/proxy-b" &
PROXY_B=$!
wait_lines "$W/proxy-a" 1 10 && wait_lines "$W/proxy-b" 1 10 || { echo "a proxy did not start" >&2; exit 1; }
PORT_A=$(head -n 1 "$W/proxy-a")
PORT_B=$(head -n 1 "$W/proxy-b")
[ "$LEGS" -eq 2 ] || PORT_B=$DIRECT

# Every packet to or from a slow leg's port through that leg's tbf (the
# leaf of an htb class of its own, which only sorts: this kernel has no
# prio qdisc); everything else (the proxies to the broker, LEGS = 1's
# receivers) through class 1:1, unshaped.
tc qdisc add dev lo root handle 1: htb default 1
tc class add dev lo parent 1: classid 1:1 htb rate 10gbit quantum 200000
shape() {
	tc class add dev lo parent 1: classid "1:$1" htb rate 10gbit quantum 200000
	tc qdisc add dev lo parent "1:$1" handle "${1}0:" tbf rate "${KBIT}kbit" burst 4kb latency 100ms
	tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dport "$2" 0xffff flowid "1:$1"
	tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip sport "$2" 0xffff flowid "1:$1"
}
if [ "$KBIT" -gt 0 ]; then  # 0: unshaped, the proxies' delay alone
	shape 3 "$PORT_A"
	[ "$LEGS" -eq 2 ] && shape 4 "$PORT_B"
fi

TOPIC=raksha/v1/mp/bhopal/grp/report
PUB_URL="mqtt://127.0.0.1:$PORT_A"
PUB_TIMEOUT=120
"$PHOTO_TOOL" 4000 3000 10 1 "$W/phone.jpg"
RAW=$(wc -c < "$W/phone.jpg")

# The agent on leg B, durability = crash: the link, not the disk, is measured.
BROKER_PORT=$PORT_B
agent_conf slow crash
BROKER_PORT=$DIRECT
agent_start slow

# publish ARGS...: raksha-publish over leg A as a desk's officer; prints the report id.
publish() {
	"$RP" --url "$PUB_URL" --outbox "$W/ob" --timeout "$PUB_TIMEOUT" --state mp --region bhopal --agency grp \
		--unit "GRP Post Bhopal Jn" --sender-id mp-bhopal-grp-desk1 --officer-name "SI Anita Verma" "$@"
}
text_report() {
	publish report --name "सीमा कुमारी" --other-name "Seema Kumari" --age 9 --gender female \
		--clothing "red frock, blue school sweater" --language hi \
		--last-seen-place "platform 1, near the tea stall" --district bhopal --priority urgent "$@"
}
# committed_at REPORT_ID SECONDS: the µs the agent committed that report (waits).
committed_at() {
	_hex=$(printf '%s' "$1" | tr -d '-')
	_w=0
	while :; do
		_seq=$(sqlite3 "$W/slow.db" "SELECT seq FROM messages WHERE kind = 'report' AND lower(hex(report_id)) = '$_hex'" 2>/dev/null || true)
		if [ -n "$_seq" ]; then
			_t=$(awk -v s="$_seq" '$1 == s { print $2; exit }' "$W/slow.commits")
			[ -n "$_t" ] && { echo "$_t"; return 0; }
		fi
		_w=$((_w + 1))
		[ $_w -gt $(($2 * 20)) ] && { echo "report $1 never committed" >&2; exit 1; }
		sleep 0.05
	done
}
secs() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1e6 }'; }

# A warm-up text report (the agent's session and the link in use).
id=$(text_report)
committed_at "$id" 30 > /dev/null

# (a) Ours: RUNS photo reports, each timed from the process's start.
i=0
: > "$W/ours"
while [ $i -lt "$RUNS" ]; do
	t0=$(now_us)
	id=$(text_report --photo "$W/phone.jpg" 2> "$W/normalised")
	t1=$(now_us)
	tc_=$(committed_at "$id" 120)
	echo "$((tc_ - t0)) $((t1 - t0))" >> "$W/ours"
	i=$((i + 1))
done
PHOTO=$(grep -o 'JPEG of [0-9]* bytes' "$W/normalised" | tr -dc 0-9)
ENV=$(sqlite3 "$W/slow.db" "SELECT length(envelope) FROM messages WHERE kind = 'report' ORDER BY seq DESC LIMIT 1")
# The normalisation alone, on this machine now (a dry run sends nothing).
t0=$(now_us)
"$RP" --dry-run --outbox "$W/ob" --state mp --region bhopal --agency grp report --name x --age 9 --photo "$W/phone.jpg" > /dev/null 2>&1
NORM_US=$(($(now_us) - t0))
SIZE=$((ENV - PHOTO + RAW))

# (b) One connection, two reports queued while the broker was away: the
# photo's first, then the text's; then the text's first.
hol() {
	PUB_URL=mqtt://127.0.0.1:9  # nothing listens: each stays queued (exit 75)
	PUB_TIMEOUT=1
	for kind in $1 $2; do
		if [ "$kind" = photo ]; then
			text_report --photo "$W/phone.jpg" > "$W/id-photo" 2> /dev/null || true
		else
			text_report > "$W/id-text" 2> /dev/null || true
		fi
	done
	PUB_URL="mqtt://127.0.0.1:$PORT_A"
	PUB_TIMEOUT=120
	[ "$(find "$W/ob" -maxdepth 1 -name '*.msg' | wc -l)" -eq 2 ] || { echo "the outbox does not hold both" >&2; exit 1; }
	t0=$(now_us)
	publish flush > /dev/null
	tp=$(committed_at "$(cat "$W/id-photo")" 120)
	tt=$(committed_at "$(cat "$W/id-text")" 120)
	echo "$((tt - t0)) $((tp - t0))"
}
HOL_PHOTO_FIRST=$(hol photo text)
HOL_TEXT_FIRST=$(hol text photo)

N=$(sqlite3 "$W/slow.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
[ "$N" -eq $((RUNS + 5)) ] || { echo "the agent stored $N reports, not $((RUNS + 5))" >&2; exit 1; }

echo "bench/slowlink: $KBIT kbit/s, $RTT ms round trip, $LEGS slow leg(s) (load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  photo: camera %s B, normalised %s B; envelope %s B (unnormalised %s B); normalising took %s s\n' \
	"$RAW" "$PHOTO" "$ENV" "$SIZE" "$(secs "$NORM_US")"
sort -n "$W/ours" > "$W/ours.sorted"
min=$(head -n 1 "$W/ours.sorted" | cut -d' ' -f1)
med=$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' "$W/ours.sorted")
printf '  (a) raksha-publish --photo -> committed by the agent, %s runs: min %s s, median %s s\n' \
	"$RUNS" "$(secs "$min")" "$(secs "$med")"
printf '      each run: committed after, publisher exited after (s):'
while read -r a b; do printf ' %s/%s' "$(secs "$a")" "$(secs "$b")"; done < "$W/ours"
echo
set -- $HOL_PHOTO_FIRST
printf '  (b) one flush, photo queued first: text committed after %s s, photo after %s s\n' "$(secs "$1")" "$(secs "$2")"
set -- $HOL_TEXT_FIRST
printf '  (b) one flush, text queued first:  text committed after %s s, photo after %s s\n' "$(secs "$1")" "$(secs "$2")"

if [ "${SLOWLINK_BASELINE:-1}" = 1 ]; then
	# (a) The baseline, once (SLOWLINK_BASELINE=0: not at all; at 256 kbit/s
	# it takes 110 s a leg): the envelope's size with the camera's file in
	# place of its photo, mosquitto_pub over leg A to mosquitto_sub over leg B.
	{ cat "$W/phone.jpg"; head -c $((SIZE - RAW)) /dev/zero | tr '\0' 'x'; } > "$W/raw-envelope"
	mosquitto_sub -h 127.0.0.1 -p "$PORT_B" -q 1 -i slowlink-sub -t "$TOPIC" -k 600 -C 1 -W 900 -F '%U %l' > "$W/sub" &
	SUB=$!
	sleep 1
	t0=$(now_us)
	mosquitto_pub -h 127.0.0.1 -p "$PORT_A" -k 600 -q 1 -t "$TOPIC" -f "$W/raw-envelope"
	wait "$SUB" || { echo "mosquitto_sub got nothing" >&2; exit 1; }
	SUB=
	read -r at len < "$W/sub"
	[ "$len" -eq "$SIZE" ] || { echo "mosquitto_sub got $len bytes of $SIZE" >&2; exit 1; }
	BASE_US=$(awk -v a="$at" -v t="$t0" 'BEGIN { split(a, p, "."); printf "%d", p[1] * 1000000 + substr(p[2], 1, 6) - t }')
	printf '  (a) mosquitto_pub -> mosquitto_sub, the unnormalised envelope (baseline): %s s; ours %s x / %s x\n' \
		"$(secs "$BASE_US")" "$(ratio "$min" "$BASE_US")" "$(ratio "$med" "$BASE_US")"
fi
