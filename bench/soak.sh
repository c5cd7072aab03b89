#!/bin/sh
# bench/soak.sh [--minutes N] [--rate R] [--photo-bytes P]: the long run.
# A real mosquitto on loopback (the embedded default configuration:
# persistent sessions, queues unbounded, saved on SIGTERM), three agents
# with persistent sessions on raksha/v1/+/+/+/report, keepalive 5 s:
#   kill    durability = crash, killed with SIGKILL and started again, at
#           once or after 1..3 s;
#   cut     durability = power, behind tests/tools/blackhole-proxy: its
#           link goes dead (no byte moves) for 8..20 s at a time;
#   steady  durability = crash, only the broker restarts touch it;
# and bench/soak-publish queueing R reports a second (default 50), each
# with a P-byte photo (default 4,096), in an outbox (on /dev/shm) that its
# second thread sends over one libraksha client. For N minutes (default
# 60), every 10..30 s one fault, the three kinds in turn in a random order
# each round: the kill agent killed, the broker restarted (SIGTERM, 0..2 s
# without a broker, started again on the same port and state by
# tests/lib/restart-broker.sh), or the cut agent's link cut. Every
# N*60/20 s (10..60 s) each agent's VmRSS, open descriptors
# (/proc/PID/fd), database file and WAL are sampled.
#
# At the end: the link restored, the kill agent running, the publisher
# stopped (SIGTERM: it sends its backlog and exits 0 with its outbox
# empty); every report in its ledger (each one it queued durably) must be
# in every agent's database exactly once, nothing else, nothing rejected,
# PRAGMA integrity_check ok, each agent exits 0 on SIGTERM. Then the table
# and the verdict on flatness (TAP checks), with the first tenth of the run
# as warm-up and F, L the first and last quarter of the samples after it:
#   memory       max VmRSS over L <= 1.25 x max VmRSS over F, for the
#                agents never killed (a restart starts the kill agent's
#                memory afresh); not judged under ASan (SOAK_SANITIZED=1),
#                whose quarantine and shadow memory grow by design
#   descriptors  max over L <= max over F + 2, every agent (a descriptor
#                leaked per reconnection, kill or cut shows as growth)
#   database     the main file's bytes per stored report at the last
#                sample <= 1.1 x the same at the end of F (growth in
#                proportion to the reports only), and the WAL never over
#                40 MiB: the escalator's thread checkpoints it, the
#                store's backstop (wal_autocheckpoint = 2048) at 8 MiB,
#                and journal_size_limit cuts the file back to 8 MiB
#                after a checkpoint (before, a backlog taken after a cut
#                left it at tens of MiB for good)
# TAP output; the table as comments. As a test (meson test --suite soak):
# 2 minutes. Needs a build in build/ (or
# RAKSHA_BUILD_DIR).
set -u
cd "$(dirname "$0")/.."
MINUTES=60 RATE=50 PHOTO=4096
while [ $# -gt 0 ]; do
	case $1 in
	--minutes) MINUTES=$2 ;;
	--rate) RATE=$2 ;;
	--photo-bytes) PHOTO=$2 ;;
	*) echo "usage: bench/soak.sh [--minutes N] [--rate R] [--photo-bytes P]" >&2; exit 64 ;;
	esac
	shift 2
done
RAKSHA_SOURCE_ROOT=$(pwd)
B=${RAKSHA_BUILD_DIR:-build}
BLACKHOLE_PROXY=$B/tests/tools/blackhole-proxy
RAKSHA_AGENT=$B/subscriber/agent/raksha-agent
RAKSHA_PUBLISH=$B/publisher/raksha-publish
SOAK_PUBLISH=$B/bench/soak-publish
SANITIZED=${SOAK_SANITIZED:-0}
for f in "$BLACKHOLE_PROXY" "$RAKSHA_AGENT" "$RAKSHA_PUBLISH" "$SOAK_PUBLISH"; do
	[ -x "$f" ] || { echo "$f missing: meson compile -C $B" >&2; exit 1; }
done
. tests/lib/tap.sh
. tests/lib/broker.sh
. tests/lib/agent.sh
. tests/lib/fault.sh
fault_suite
AGENTS="kill cut steady"
PID_kill= PID_cut= PID_steady= PROXY_PID=
soak_cleanup() {
	AGENT="$PID_kill $PID_cut $PID_steady $PROXY_PID"
	fault_cleanup
}
trap soak_cleanup EXIT
trap 'exit 1' INT TERM HUP

T0=$(date +%s)
D=$((MINUTES * 60))
SAMPLE_S=$((D / 20))
[ "$SAMPLE_S" -lt 10 ] && SAMPLE_S=10
[ "$SAMPLE_S" -gt 60 ] && SAMPLE_S=60
now() { echo $(( $(date +%s) - T0 )); }

# make_conf NAME PORT DURABILITY: $W/NAME.conf (tests/lib/agent.sh's agent
# on PORT, keepalive 5 s).
make_conf() {
	DB=$W/$1.db
	agent_conf "mp-bhopal-grp-soak-$1" "raksha/v1/+/+/+/report" "durability = $3" \
		"outbox = $W/$1.outbox" |
		sed "s|^url = .*|url = mqtt://127.0.0.1:$2\nkeepalive = 5|" > "$W/$1.conf"
}
# start NAME: the agent in the background, its log appended to $W/NAME.err.
start() {
	"$RAKSHA_AGENT" --config "$W/$1.conf" --foreground > /dev/null 2>> "$W/$1.err" &
	eval "PID_$1=\$!"
}
pid_of() { eval "echo \${PID_$1}"; }

proxy_start "$BROKER_PORT" proxy
make_conf kill "$BROKER_PORT" crash
make_conf cut "$PROXY_PORT" power
make_conf steady "$BROKER_PORT" crash
for a in $AGENTS; do
	start "$a"
	wait_until 30 grep -qs "connected;" "$W/$a.err" || { sed 's/^/# /' "$W/$a.err"; bail "agent $a did not connect"; }
done
"$SOAK_PUBLISH" "$URL" "$S/outbox" "$RATE" "$PHOTO" "$W/ledger" > "$W/pub.out" 2> "$W/pub.err" &
PUB=$!
echo "# $MINUTES min at $RATE reports/s with $PHOTO-byte photos; a sample each $SAMPLE_S s; build $B"

# sample T: one line per agent in $W/samples: T NAME RSS_KIB FDS DB WAL REPORTS
# (a blank pid, the kill agent down at that moment, gives "-"), and one
# "T pub QUEUED BACKLOG".
sample() {
	for a in $AGENTS; do
		p=$(pid_of "$a")
		rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status" 2>/dev/null)
		fds=$(ls "/proc/$p/fd" 2>/dev/null | wc -l)
		[ -z "$p" ] || [ -z "$rss" ] && { rss=-; fds=-; }
		DB=$W/$a.db
		echo "$1 $a $rss $fds $(stat -c %s "$DB") $(stat -c %s "$DB-wal" 2>/dev/null || echo 0) $(reports)"
	done >> "$W/samples"
	echo "$1 pub $(wc -l < "$W/ledger") $(ls "$S/outbox" | grep -c '\.msg$')" >> "$W/samples"
}

# The faults, in turn: each round the three kinds in a random order.
KILLS=0 RESTARTS=0 CUTS=0 ROUND= CUT_UNTIL= RESTART_AT=
next_kind() {
	if [ -z "$ROUND" ]; then
		ROUND="kill restart cut"
		for _ in 1 2 3; do
			set -- $ROUND
			case $(rnd 3) in
			0) ROUND="$2 $1 $3" ;;
			1) ROUND="$1 $3 $2" ;;
			*) ROUND="$3 $2 $1" ;;
			esac
		done
	fi
	set -- $ROUND
	KIND=$1
	shift
	ROUND=$*
}
fault() {
	next_kind
	case $KIND in
	kill)
		[ -n "$PID_kill" ] || return 0
		kill -KILL "$PID_kill"
		wait "$PID_kill" 2>/dev/null
		PID_kill=
		KILLS=$((KILLS + 1))
		RESTART_AT=$(($1 + $(rnd 2) * (1 + $(rnd 3))))
		;;
	restart)
		sh tests/lib/restart-broker.sh "$W" "$(rnd 3)" || bail "mosquitto did not come back"
		RESTARTS=$((RESTARTS + 1))
		;;
	cut)
		[ -z "$CUT_UNTIL" ] || return 0
		proxy_cut || bail "the proxy did not cut"
		CUT_UNTIL=$(($1 + 8 + $(rnd 13)))
		CUTS=$((CUTS + 1))
		;;
	esac
	echo "# $1 s: $KIND"
}
# pending T: ends a cut and starts the kill agent when their time has come.
pending() {
	if [ -n "$CUT_UNTIL" ] && [ "$1" -ge "$CUT_UNTIL" ]; then
		proxy_restore || bail "the proxy did not restore"
		CUT_UNTIL=
	fi
	if [ -z "$PID_kill" ] && [ "$1" -ge "$RESTART_AT" ]; then
		start kill
	fi
}

next_sample=0
next_fault=$((10 + $(rnd 21)))
t=0
while [ "$t" -lt "$D" ]; do
	finished "$PUB" && { sed 's/^/# pub: /' "$W/pub.err"; bail "the publisher stopped"; }
	pending "$t"
	[ "$t" -ge "$next_sample" ] && { sample "$t"; next_sample=$((next_sample + SAMPLE_S)); }
	[ "$t" -ge "$next_fault" ] && { fault "$t"; next_fault=$(($(now) + 10 + $(rnd 21))); }
	sleep 1
	t=$(now)
done
CUT_UNTIL=${CUT_UNTIL:+0}
RESTART_AT=0
pending "$t"
sample "$t"
echo "# $(now) s: faults over ($KILLS kills, $RESTARTS broker restarts, $CUTS link cuts); quiescence"
ok "faults: $KILLS SIGKILLs, $RESTARTS broker restarts, $CUTS link cuts, each at least once" \
	test "$KILLS" -ge 1 -a "$RESTARTS" -ge 1 -a "$CUTS" -ge 1

kill -TERM "$PUB"
wait "$PUB"
is "$?" 0 "the publisher sent its whole backlog and stopped (exit 0)"
PUB=
sed 's/^/# pub: /' "$W/pub.out"
N=$(wc -l < "$W/ledger" | tr -d ' ')
sort "$W/ledger" > "$W/sent.ids"
is "$(uniq "$W/sent.ids" | wc -l | tr -d ' ')" "$N" "the ledger: $N reports queued, each a new message id"
is "$(ls "$S/outbox" | grep -c '\.msg$')" 0 "  the publisher's outbox is empty"

# delivered: every agent holds at least the N reports.
delivered() {
	for a in $AGENTS; do
		DB=$W/$a.db
		[ "$(reports)" -ge "$N" ] || return 1
	done
}
wait_until 240 delivered
sleep 2  # a late duplicate has its chance to arrive
echo "# $(now) s: delivered"
for a in $AGENTS; do
	DB=$W/$a.db
	report_ids > "$W/$a.ids"
	is "$(reports)|$(distinct_reports)" "$N|$N" "$a: $N reports stored, $N distinct"
	# Its log goes with $W: the end of it here, where CI keeps it.
	[ "$(reports)" = "$N" ] || tail -40 "$W/$a.err" | sed "s|^|# $a.err: |"
	is "$(comm -3 "$W/sent.ids" "$W/$a.ids" | wc -l | tr -d ' ')" 0 "  the set stored is the set queued"
	comm -3 "$W/sent.ids" "$W/$a.ids" | head -5 | sed 's/^/#   /'
	is "$(q "SELECT count(*) FROM rejected")" 0 "  nothing rejected"
	is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"
	p=$(pid_of "$a")
	kill -TERM "$p"
	wait "$p"
	is "$?" 0 "  stops cleanly (exit 0)"
	eval "PID_$a="
done
ok "no sanitizer report in any log" clean_logs "$W"/*.err

awk -v D="$D" -v SANITIZED="$SANITIZED" -v KILLED=kill -f bench/soak-table.awk "$W/samples" > "$W/verdict"
grep '^#' "$W/verdict"
grep -v '^#' "$W/verdict" > "$W/judged"
while IFS='	' read -r verdict what; do
	is "$verdict" PASS "$what"
done < "$W/judged"
done_testing
