#!/bin/sh
# 05: raksha-publish killed with SIGKILL mid-send, then `raksha-publish
# flush`: a backlog of 3,000 queued reports whose flush is killed again and
# again at random moments, and single `report` commands killed while they
# queue, connect, send or wait for the PUBACK. Checked at two independent
# subscribers: a raksha-agent's database and mosquitto_sub (QoS 1), whose raw
# copies are counted too. The guarantee, exactly: every report that reached
# the outbox arrives; on the wire at least once (a report whose PUBACK came
# but whose outbox entry was not yet removed when the kill came is sent again,
# the same bytes, the same message_id); in the agent's store exactly once;
# and the outbox ends empty.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
# fill-cases writes in $S; the outboxes under test are then copied to the
# real disk.
fault_suite
DB=$W/agent.db

wire_ids() { cut -c5-36 "$W/wire" | sort -u; }
on_wire() { [ "$(wire_ids | wc -l)" -ge "$1" ]; }

agent_conf mp-bhopal-grp-fault05 "raksha/v1/+/+/+/report" "durability = crash" > "$W/agent.conf"
"$RAKSHA_AGENT" --config "$W/agent.conf" 2> "$W/agent.err" &
AGENT=$!
wait_until 20 grep -qs "connected;" "$W/agent.err" || bail "the agent did not connect"
# The second subscriber: every raw copy, hex, one per line. Message id:
# hex digits 5..36 (field 1, 16 bytes, after its tag 0a and length 10).
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/+/+/+/report' -W 300 -F '%x' > "$W/wire" 2>/dev/null &
SUB=$!
sleep 0.5

# --- a backlog of 3,000, its flush killed at random moments -----------------
N=3000
"$FILL_CASES" "$S/big" $N > "$W/sent" || bail "fill-cases failed"
cp -r "$S/big" "$W/big"
kills=0 mid=0 before=$N
while [ $kills -lt 10 ] && [ "$before" -gt 0 ]; do
	"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/big" --timeout 30 flush 2>/dev/null &
	PUB=$!
	# Once it is sending (the backlog shrinks), at a random moment after:
	# a fixed delay would miss a flush that got faster.
	for _ in $(seq 1000); do
		[ "$(ls "$W/big" | grep -c '\.msg$')" -lt "$before" ] && break
		kill -0 "$PUB" 2>/dev/null || break
		sleep 0.002
	done
	msleep $(rnd 25)
	kill -KILL "$PUB" 2>/dev/null
	wait "$PUB" 2>/dev/null
	PUB=
	kills=$((kills + 1))
	after=$(outbox_left "$W/big")
	echo "# flush killed: $before queued before, $after after"
	[ "$after" -gt 0 ] && [ "$after" -lt "$before" ] && mid=$((mid + 1))
	before=$after
done
ok "$kills flushes killed, $mid of them part way through the backlog" test $mid -ge 3
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/big" --timeout 60 flush 2> "$W/err"; rc=$?
is "$rc" 0 "then flush: exit 0"
contains "$(cat "$W/err")" "envelope(s) sent and acknowledged" "  says what it sent"
is "$(outbox_left "$W/big")" 0 "  the outbox is empty"
is "$(ls -A "$W/big" | grep -v -e '^corrupt$' -e '^\.lock$' | wc -l | tr -d ' ')" 0 \
	"  no temporary or other file left in it"
is "$(ls -A "$W/big/corrupt" | wc -l | tr -d ' ')" 0 "  nothing moved aside as corrupt"

# --- single reports, killed while queueing, connecting, sending, waiting ------
# A report command sends the outbox's older entries too. One in three finds a
# backlog of 150 there and is killed 0..150 ms after it printed the report id
# (it is queued by then); one in three is killed 0..30 ms after printing (its
# connection, PUBLISH and PUBACK); one in three at a blind moment 0..150 ms
# after it started, maybe before it queued anything.
K=12
: > "$W/printed"
: > "$W/sent-desk"
mkdir -p "$W/desk"
for i in $(seq $K); do
	if [ $((i % 3)) -eq 1 ]; then
		"$FILL_CASES" "$S/desk$i" 150 >> "$W/sent-desk" || bail "fill-cases failed"
		cp "$S/desk$i"/*.msg "$W/desk/"
	fi
	"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/desk" --timeout 10 --state mp --region bhopal \
		--agency grp report --name "Kill $i" --age 7 > "$W/id.$i" 2>/dev/null &
	PUB=$!
	if [ $((i % 3)) -ne 0 ]; then
		for _ in $(seq 400); do [ -s "$W/id.$i" ] && break; kill -0 "$PUB" 2>/dev/null || break; sleep 0.005; done
		msleep $(rnd $([ $((i % 3)) -eq 1 ] && echo 150 || echo 30))
	else
		msleep $(rnd 150)
	fi
	kill -KILL "$PUB" 2>/dev/null
	wait "$PUB" 2>/dev/null
	rc=$?
	PUB=
	[ -s "$W/id.$i" ] && cat "$W/id.$i" >> "$W/printed"
	echo "# report $i: $([ $rc -eq 0 ] && echo "finished (exit 0)" || echo "killed")" \
		"$([ -s "$W/id.$i" ] && echo "after printing its id" || echo "before printing an id"), $(outbox_left "$W/desk") left in the outbox"
done
printed=$(wc -l < "$W/printed" | tr -d ' ')
queued=$(outbox_left "$W/desk")
ok "$K report commands killed or finished: $printed printed their id, $queued left in the outbox" test "$printed" -ge 1
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/desk" --timeout 30 flush 2>/dev/null; rc=$?
is "$rc" 0 "then flush: exit 0"
is "$(outbox_left "$W/desk")" 0 "  the outbox is empty"
is "$(ls -A "$W/desk" | grep -c '^\.tmp-')" 0 "  no half-written entry left (those of killed runs cleared)"

# --- what arrived ----------------------------------------------------------------
# Every id printed is stored; a report killed before it printed may have been
# queued (then it is stored too) or not: the name tells.
total() { q "SELECT count(*) FROM messages WHERE kind = 'report'"; }
wait_until 60 at_least $((N + printed + $(wc -l < "$W/sent-desk"))) reports
ks=$(q "SELECT count(*) FROM cases WHERE child_name LIKE 'Kill %'")
B=$(wc -l < "$W/sent-desk" | tr -d ' ')
M=$((N + B + ks))
wait_until 30 on_wire $M
sleep 1  # a late duplicate has its chance
kill "$SUB" 2>/dev/null; wait "$SUB" 2>/dev/null; SUB=

is "$(total)" "$M" "the agent stored $M reports: the $N of the big backlog, the desk's $B and $ks single ones"
is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")" 0 "  no message id stored twice"
cat "$W/sent" "$W/sent-desk" | cut -d' ' -f1 | sort > "$W/sent.ids"
q "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'report' AND topic = 'raksha/v1/mp/bhopal/grp/report'
	AND report_id NOT IN (SELECT report_id FROM cases WHERE child_name LIKE 'Kill %')" | sort > "$W/stored.big"
is "$(comm -3 "$W/sent.ids" "$W/stored.big" | wc -l | tr -d ' ')" 0 "  the backlogs: the set stored is the set queued"
is "$(q "SELECT count(*) FROM (SELECT child_name FROM cases WHERE child_name LIKE 'Kill %'
	GROUP BY child_name HAVING count(*) > 1)")" 0 "  each single report once (one case per name)"
missing=0
for id in $(cat "$W/printed"); do
	[ "$(q "SELECT count(*) FROM messages WHERE report_id = x'$(echo "$id" | tr -d -)'")" -eq 1 ] ||
		missing=$((missing + 1))
done
is "$missing" 0 "  each of the $printed printed ids stored exactly once"

wire_ids > "$W/wire.ids"
q "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'report'" | sort > "$W/stored.ids"
copies=$(wc -l < "$W/wire" | tr -d ' ')
is "$(wc -l < "$W/wire.ids" | tr -d ' ')" "$M" "mosquitto_sub: $M distinct message ids"
is "$(comm -3 "$W/wire.ids" "$W/stored.ids" | wc -l | tr -d ' ')" 0 "  the same set as the agent's"
ok "  at least once on the wire: $copies raw copies for $M reports ($((copies - M)) resent)" test "$copies" -ge "$M"
is "$(sort -u "$W/wire" | wc -l | tr -d ' ')" "$M" "  every resent copy byte-identical to its first"
is "$(q "PRAGMA integrity_check")" ok "the agent's database is intact"
kill -TERM "$AGENT"; wait "$AGENT"
is "$?" 0 "the agent stops cleanly"
AGENT=
done_testing
