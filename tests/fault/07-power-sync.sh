#!/bin/sh
# 07: no power cut here, so the next best witness: the agent under strace
# while 200 reports arrive. With durability = power every PUBACK it sends
# (a writev starting 0x40 0x02) must follow the fdatasync() of every journal
# write before it: what the broker is told is stored is on the disk. The
# same run with durability = crash must show PUBACKs after unsynced writes,
# so that the check is seen to tell the two apart.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
command -v strace > /dev/null || bail "strace is not installed (scripts/debian-packages)"
N=200
broker_start
W=$BROKER_DIR
TRACER=
trap '[ -n "$TRACER" ] && pkill -KILL -P "$TRACER"; broker_stop' EXIT

# audit TRACE: "PUBACKS JOURNAL-WRITES SYNCS UNSYNCED-PUBACKS" from an
# strace -f log. The journal's fd is the one its openat returned; a write
# makes it unsynced (at the call's start), an fdatasync or fsync that
# returns 0 syncs it (at the call's end). When threads overlap, strace
# splits a call into "<unfinished ...>" and "<... resumed>" lines.
audit() {
	awk '
	function result(line) { sub(/.*\) += /, "", line); return line + 0 }
	/openat\(.*\.ingest"/ && /<unfinished/ { opening[$1] = 1; next }
	/openat\(.*\.ingest"/ || (/<\.\.\. openat resumed>/ && opening[$1]) { fd = result($0); opening[$1] = 0 }
	fd != "" && index($0, "pwrite64(" fd ",") { writes++; dirty = 1 }
	fd != "" && (index($0, "fdatasync(" fd ")") || index($0, "fsync(" fd ")")) && / = 0$/ {
		syncs++; dirty = 0 }
	fd != "" && (index($0, "fdatasync(" fd " <unfinished") || index($0, "fsync(" fd " <unfinished")) {
		pending[$1] = 1 }
	/<\.\.\. f(data)?sync resumed>/ && pending[$1] && / = 0$/ { syncs++; dirty = 0; pending[$1] = 0 }
	/writev\([0-9]+, \[\{iov_base="\\x40\\x02"/ { pubacks++; if (dirty) unsynced++ }
	END { printf "%d %d %d %d\n", pubacks, writes, syncs, unsynced }' "$1"
}

# run DURABILITY: the agent under strace while N reports arrive; sets
# PUBACKS WRITES SYNCS UNSYNCED.
run() {
	DB=$W/$1.db
	agent_conf "mp-bhopal-grp-$1" "raksha/v1/+/+/+/report" "durability = $1" > "$W/$1.conf"
	strace -f -qq -e trace=openat,pwrite64,fdatasync,fsync,writev -e signal=none -s 4 -x \
		-o "$W/$1.trace" "$RAKSHA_AGENT" --config "$W/$1.conf" 2> "$W/$1.err" &
	TRACER=$!
	wait_until 30 grep -q "connected;" "$W/$1.err" || bail "the agent did not connect ($1)"
	"$FILL_OUTBOX" "$W/$1-ob" $N || bail "fill-outbox failed"
	"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/$1-ob" --timeout 60 flush \
		2>> "$W/flush.err"
	wait_until 60 at_least $N reports
	is "$(reports)" $N "$1: the agent stored the $N reports (under strace)"
	kill -TERM "$(pgrep -P "$TRACER")"; wait "$TRACER"; TRACER=  # the agent; strace follows it
	set -- $(audit "$W/$1.trace")
	PUBACKS=$1 WRITES=$2 SYNCS=$3 UNSYNCED=$4
}

run power
ok "power: at least $N PUBACKs sent ($PUBACKS), as many journal writes ($WRITES)" \
	test "$PUBACKS" -ge $N -a "$WRITES" -ge $N
ok "  a sync of the journal for each PUBACK ($SYNCS)" test "$SYNCS" -ge "$PUBACKS"
is "$UNSYNCED" 0 "  no PUBACK before its record reached the disk"

run crash
ok "crash: at least $N PUBACKs ($PUBACKS), as many journal writes ($WRITES)" \
	test "$PUBACKS" -ge $N -a "$WRITES" -ge $N
ok "  PUBACKs after unsynced writes ($UNSYNCED): the check tells the modes apart" \
	test "$UNSYNCED" -ge $((N / 2))
done_testing
