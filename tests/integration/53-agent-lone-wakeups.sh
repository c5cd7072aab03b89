#!/bin/sh
# 53: a report that comes alone wakes the escalator once (issue 19 part 1,
# session 5): the kick of the committer's commit, then the step, then the
# sleep until the next thing is due. The pause that keeps steps 250 ms
# apart (escalator.c, MIN_STEP_MS) is taken after that sleep, and only
# while a step is less than 250 ms old: a lone report, past it, does not
# wake the thread a second time for the pause's timeout (2 a report: tried,
# the pause before the sleep). A real agent on a real mosquitto; six
# reports (make-sample, mosquitto_pub), each looked at by the escalator (its mark
# past it) and then left 0.4 s; per report, the escalator thread's
# voluntary context switches from before the publication to then: the
# fewest of the six is 1 (a slow publication may add one of the sleep's
# looks at the clock each second, so the fewest is read). A burst is still
# looked at in one step after the pause; the agent exits 0.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT=
trap '[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null; broker_stop' EXIT
agent_conf mp-bhopal-grp-lone "raksha/v1/mp/#" > "$W/agent.conf"
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/agent.out" 2> "$W/agent.err" &
AGENT=$!
for _ in $(seq 150); do grep -q "connected;" "$W/agent.err" && break; sleep 0.1; done
grep -q "connected;" "$W/agent.err" || bail "the agent did not connect: $(cat "$W/agent.err")"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "the agent's presence not stored"
sleep 1

# Reports made first, each sent by mosquitto_pub (a few ms, where
# raksha-publish's start took long enough for a look at the clock).
for i in 1 2 3 4 5 6 7 8; do
	"$MAKE_SAMPLE" report "$W/r$i.bin" --fresh > "$W/topic" || bail "make-sample failed"
done
pub() { mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$(cat "$W/topic")" -f "$W/r$1.bin"; }
# looked N: until N reports are stored and the escalator's mark is past them.
looked() {
	wait_rows "SELECT (SELECT count(*) FROM messages WHERE kind = 'report') >= $1 AND (SELECT value FROM meta
		WHERE key = 'scanned_seq') >= (SELECT max(seq) FROM messages)" 1
}
ok "the agent has a thread named escalator (the test counts the right one)" test "$(thread_switches escalator)" != none
fewest=99
all=
for i in 1 2 3 4 5 6; do
	s0=$(thread_switches escalator)
	pub "$i"
	looked "$i" || bail "report $i not looked at: $(cat "$W/agent.err")"
	sleep 0.4
	n=$(( $(thread_switches escalator) - s0 ))
	all="$all $n"
	[ "$n" -lt "$fewest" ] && fewest=$n
done
is "$fewest" 1 "a lone report wakes the escalator once (fewest of six; each:$all)"

# A burst: the second report comes within the pause after the first's step,
# and is looked at after it, not lost.
pub 7 &
P=$!
pub 8
wait "$P"
looked 8 || bail "the burst not looked at: $(cat "$W/agent.err")"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 8 "a burst of two, both stored and looked at"
kill "$AGENT"
wait "$AGENT"; rc=$?
AGENT=
is "$rc" 0 "SIGTERM: the agent exits 0"
done_testing
