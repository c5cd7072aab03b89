#!/bin/sh
# bench/desk-footprint.sh [CLIENTS] [IDLE_S]: raksha-desk's memory, idle and
# with CLIENTS (default 50) open browsers on its live stream (GET /events).
#   The desk of the development configuration (broker-config/dev) beside
#   its agent (crash) on the development broker, one stored report; each
#   client logs in as a browser does (the login form's token, its own
#   session cookie) and then holds `curl -N /events` open, from one of five
#   loopback addresses (127.0.0.11-15: the desk lets one address hold 32
#   connections, and 50 control rooms are 50 addresses). Before RSS is
#   read, every client must have its first event, and then the event of a
#   new report published through raksha-publish (its new seq), within 30 s.
#   The baseline, in the same run: mosquitto (the development broker) with
#   its two clients, then with CLIENTS more idle mosquitto_sub -q 1, the
#   same count of open connections to a C daemon that keeps little for
#   each.
# Memory from /proc/PID/status (VmRSS, VmHWM: the peak; RssAnon the
# process's own, RssFile its mapped libraries) and, for the desk,
# /proc/PID/smaps per mapping (the largest, and the thread stacks). Goal:
# the desk's RSS under 16 MiB idle and with 50 browsers. Needs a build in
# build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
CLIENTS=${1:-50}
IDLE=${2:-5}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= DESK_PID= CURLS= SUBS=
trap 'for p in $CURLS $SUBS $DESK_PID $AGENT_PID; do kill -TERM $p 2>/dev/null; done; dev_broker_stop > /dev/null 2>&1 || true; rm -rf "$W"' EXIT
. bench/common.sh
DESK="$B/subscriber/desk/raksha-desk"
PUBLISH="$B/publisher/raksha-publish"
for f in "$DESK" "$PUBLISH"; do
	[ -e "$f" ] || { echo "$f missing: meson compile -C $B" >&2; exit 1; }
done
bench_broker

kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
parts() { printf 'anon %s file %s' "$(mib "$(kib "$1" RssAnon)")" "$(mib "$(kib "$1" RssFile)")"; }
line() {  # LABEL PID [EXTRA]
	printf '    %-44s VmRSS %5s MiB  VmHWM %5s MiB  (%s)  %s\n' "$1" "$(mib "$(kib "$2" VmRSS)")" \
		"$(mib "$(kib "$2" VmHWM)")" "$(parts "$2")" "${3:-}"
}
# where PID: the mappings holding the most resident memory (KiB), then the
# threads' stacks (anonymous mappings of 8 MiB and more, what they touched).
where() {
	awk 'function flush() { if (rss > 0) sum[name] += rss; rss = 0 }
		/^[0-9a-f]+-[0-9a-f]+ / { flush(); name = $6 == "" ? "[anon]" : $6; sub(".*/", "", name); next }
		/^Size:/ && name == "[anon]" && $2 >= 8192 { name = "[thread stacks]" }
		/^Rss:/ { rss = $2 } END { flush(); for (n in sum) print sum[n], n }' "/proc/$1/smaps" |
		sort -rn | head -12 | awk '{ printf "%s %s KiB; ", $2, $1 }'
	echo
}

echo "bench/desk-footprint: $CLIENTS browsers on /events; goal: desk RSS < 16 MiB ($(cat /proc/loadavg))"
agent_conf bench-desk crash
agent_start bench-desk
sed "s|@DESK_PORT@|$((BROKER_PORT + 1))|" "$W/bench-desk.conf" > "$W/desk.conf"
DURL=http://127.0.0.1:$((BROKER_PORT + 1))
pub() { "$PUBLISH" --url "$URL" --outbox "$W/pub" --state mp --region bhopal --agency grp "$@" > /dev/null; }
pub report --name "Seema Kumari" --age 9 --station BPL --priority high
printf 'bench-pass-1\n' | "$DESK" --config "$W/desk.conf" user add bench > /dev/null
"$DESK" --config "$W/desk.conf" 2> "$W/desk.log" &
DESK_PID=$!
wait_for "listening on" "$W/desk.log" 10 || { cat "$W/desk.log" >&2; exit 1; }
BROKER=$BROKER_PID
sleep "$IDLE"
echo "  idle (the broker: the agent and the desk's publisher; the desk: no browser yet)"
line "mosquitto, 2 clients (baseline)" "$BROKER"
line "raksha-desk, idle" "$DESK_PID" "$(kib "$DESK_PID" Threads) threads"
idle_rss=$(kib "$DESK_PID" VmRSS) idle_mq=$(kib "$BROKER" VmRSS)
printf '    where: '
where "$DESK_PID"

# login N: client N's session cookie in $W/jar.N, from its own address.
login() {
	ip=127.0.0.$((11 + $1 % 5))
	token=$(curl -s --interface "$ip" -c "$W/jar.$1" "$DURL/login" |
		sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s --interface "$ip" -b "$W/jar.$1" -c "$W/jar.$1" -o /dev/null --data-urlencode "csrf=$token" \
		--data-urlencode username=bench --data-urlencode password=bench-pass-1 "$DURL/login"
	grep -q raksha "$W/jar.$1" || { echo "client $1 did not log in" >&2; exit 1; }
}
# data_lines N: how many events client N has had.
events() { n=0; for i in $(seq "$CLIENTS"); do [ "$(grep -c '^data: {"seq"' "$W/ev.$i" 2>/dev/null)" -ge "$1" ] && n=$((n + 1)); done; echo $n; }
wait_events() {  # K: until every client has had K events, at most 30 s
	for _ in $(seq 150); do [ "$(events "$1")" -eq "$CLIENTS" ] && return 0; sleep 0.2; done
	echo "$(events "$1") of $CLIENTS clients had $1 events" >&2
	exit 1
}
for i in $(seq "$CLIENTS"); do
	login "$i"
	curl -s -N --interface "127.0.0.$((11 + i % 5))" -b "$W/jar.$i" "$DURL/events" > "$W/ev.$i" &
	CURLS="$CURLS $!"
done
wait_events 1
seq0=$(sed -n 's/^data: {"seq":\([0-9]*\).*/\1/p' "$W/ev.1" | head -1)
pub report --name "Rahul Verma" --age 7 --station ET --priority urgent
wait_events 2
seq1=$(sed -n 's/^data: {"seq":\([0-9]*\).*/\1/p' "$W/ev.$CLIENTS" | tail -1)
[ "$seq1" -gt "$seq0" ] || { echo "the second event's seq $seq1 is not after $seq0" >&2; exit 1; }
conns=$(awk -v p=$((BROKER_PORT + 1)) 'BEGIN { h = sprintf(":%04X", p) } $2 ~ h"$" && $4 == "01"' /proc/net/tcp | wc -l)
# The baseline's connections: as many idle MQTT subscribers on the broker.
for i in $(seq "$CLIENTS"); do
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i "bench-df-$i" -t "raksha/v1/bench/$i" > /dev/null &
	SUBS="$SUBS $!"
done
for _ in $(seq 150); do
	[ "$(awk -v p="$BROKER_PORT" 'BEGIN { h = sprintf(":%04X", p) } $2 ~ h"$" && $4 == "01"' /proc/net/tcp | wc -l)" -ge \
		$((CLIENTS + 2)) ] && break
	sleep 0.2
done
sleep 1
echo "  $CLIENTS browsers on /events ($conns connections established to the desk; each had the event of seq $seq1)"
line "mosquitto, $((CLIENTS + 2)) clients (baseline)" "$BROKER"
line "raksha-desk, $CLIENTS browsers" "$DESK_PID" "$(kib "$DESK_PID" Threads) threads"
printf '    where: '
where "$DESK_PID"
busy_rss=$(kib "$DESK_PID" VmRSS) busy_mq=$(kib "$BROKER" VmRSS)
printf '    per connection: desk %s KiB, mosquitto %s KiB; desk RSS %s of 16 MiB (%s x mosquitto)\n' \
	$(( (busy_rss - idle_rss) / CLIENTS )) $(( (busy_mq - idle_mq) / CLIENTS )) "$(mib "$busy_rss")" \
	"$(ratio "$busy_rss" "$busy_mq")"
