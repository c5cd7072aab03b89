#!/bin/sh
# 03: raksha-agent killed with SIGKILL at 20 random moments while a stream of
# 2,480 reports (each its own case) arrives through a real mosquitto, and
# restarted at once or after a short random pause. Afterwards every report
# sent is in `messages` exactly once (the set of message ids sent is the set
# stored, rows = distinct ids), `cases` has one row per report, pointing at
# its message, and PRAGMA integrity_check says ok. The escalator, killed
# with it: each of the 80 reports its rule matches is escalated exactly
# once (one timer per case, fired at level 1; one Escalation per case in the
# log and on the wire, whatever the copies), own_pending and the agent's
# outbox end empty. Then the same, shorter (1,240 reports, 10 kills), with
# durability = power.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
# The agent's database stays on the disk; the publishers' outboxes in $S.
fault_suite
ESC_TOPIC=raksha/v1/mp/bhopal/grp/escalation

T0=$(date +%s)
# since: seconds since the suite started, for the diagnostics.
since() { echo $(( $(date +%s) - T0 ))s; }
start_agent() { "$RAKSHA_AGENT" --config "$W/agent.conf" --foreground >/dev/null 2>> "$W/agent.err" & AGENT=$!; }
sent_out() { [ "$(q "SELECT count(*) FROM own_pending")" -eq 0 ] && [ "$(outbox_left "$R/agent-outbox")" -eq 0 ]; }
on_wire() { [ "$(cut -c5-36 "$R/wire" | sort -u | wc -l)" -ge "$E" ]; }

# round NAME DURABILITY CHUNKS KILLS: CHUNKS chunks of 30 reports from
# mp/bhopal/grp and one from mp/itarsi/grp (the escalation rule's region),
# published one after the other with a 50 ms pause (the agent stores faster
# than one publisher sends: the stream, not the agent, sets the pace, so the
# agent is receiving whenever it runs), while the agent is killed KILLS
# times, at least 3/4 of them before the last report is stored.
round() {
	name=$1 dur=$2 chunks=$3 kills=$4
	R=$W/$name
	mkdir -p "$R"
	DB=$R/agent.db
	agent_conf "mp-bhopal-grp-$name" "raksha/v1/+/+/+/report raksha/v1/mp/+/+/escalation" \
		"durability = $dur" "outbox = $R/agent-outbox" > "$W/agent.conf"
	printf '[escalate.fault]\nmatch = raksha/v1/+/+/+/report\nregion = itarsi\nafter = 2s\npublish = %s\ntarget = fault suite\n' \
		"$ESC_TOPIC" >> "$W/agent.conf"
	: > "$W/agent.err"
	: > "$R/sent"
	: > "$R/sent-itarsi"
	for c in $(seq "$chunks"); do
		"$FILL_CASES" "$S/$name-$c" 30 >> "$R/sent" || bail "fill-cases failed"
		"$FILL_CASES" "$S/$name-$c" 1 itarsi > "$R/itarsi" || bail "fill-cases failed"
		cat "$R/itarsi" >> "$R/sent"
		cat "$R/itarsi" >> "$R/sent-itarsi"
	done
	N=$(wc -l < "$R/sent" | tr -d ' ')
	E=$(wc -l < "$R/sent-itarsi" | tr -d ' ')

	# The escalations as they reach the wire, independently of the agent.
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$ESC_TOPIC" -W 300 -F '%x' > "$R/wire" 2>/dev/null &
	SUB=$!
	start_agent
	wait_until 20 grep -qs "connected;" "$W/agent.err" || bail "$name: the agent did not connect"

	# The stream, each flush retried once if it was not all acknowledged,
	# paced so that it lasts as long as the kills (a flush no longer waits
	# 100 ms for paho's threads at its exit, so the pause makes up for it).
	(
		for c in $(seq "$chunks"); do
			"$RAKSHA_PUBLISH" --url "$URL" --outbox "$S/$name-$c" --timeout 30 flush 2>/dev/null ||
				"$RAKSHA_PUBLISH" --url "$URL" --outbox "$S/$name-$c" --timeout 30 flush 2>/dev/null
			sleep 0.15
		done
	) &
	FEED=$!

	mid=0 paused=0
	for k in $(seq "$kills"); do
		msleep $((20 + $(rnd 1200)))
		stored=$(q "SELECT count(*) FROM messages WHERE kind = 'report'")
		kill -KILL "$AGENT"
		wait "$AGENT" 2>/dev/null
		[ "$stored" -lt "$N" ] && mid=$((mid + 1))
		echo "# $(since) $name kill $k: $stored of $N stored"
		if [ "$(rnd 2)" -eq 1 ]; then
			msleep $((50 + $(rnd 400)))
			paused=$((paused + 1))
		fi
		start_agent
	done
	echo "# $(since) $name: kills done"
	wait "$FEED"
	feed_rc=$?
	echo "# $(since) $name: stream sent"
	FEED=
	ok "$name: $kills SIGKILLs ($paused restarts after a pause), $mid of them while reports were still arriving" \
		test "$mid" -ge $((kills * 3 / 4))
	is "$feed_rc" 0 "$name: the broker acknowledged all $N reports"

	wait_until 90 at_least "$N" reports
	# The escalations: every timer fired (2 s after its report arrived), and
	# each Escalation is out of own_pending and the outbox, and on the wire.
	wait_until 60 at_least "$E" q "SELECT count(*) FROM timers WHERE due_ms IS NULL"
	echo "# $(since) $name: reports stored"
	wait_until 40 sent_out
	wait_until 20 on_wire
	echo "# $(since) $name: escalations out"
	sleep 1  # anything late, a duplicate above all, has its chance to arrive
	kill -TERM "$AGENT"; wait "$AGENT"
	is "$?" 0 "$name: the agent still stops cleanly (exit 0)"
	AGENT=
	kill "$SUB" 2>/dev/null; wait "$SUB" 2>/dev/null; SUB=

	cut -d' ' -f1 "$R/sent" | sort > "$R/sent.ids"
	q "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'report'" | sort > "$R/stored.ids"
	is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" "$N" "$name: $N reports sent, $N stored"
	is "$(comm -3 "$R/sent.ids" "$R/stored.ids" | wc -l | tr -d ' ')" 0 \
		"  the set of message ids stored is the set sent"
	is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")" 0 "  no message id stored twice"
	is "$(q "SELECT count(*) FROM cases WHERE child_name IS NOT NULL")" "$N" "  the case view: one row per report"
	cut -d' ' -f2 "$R/sent" | sort > "$R/sent.cases"
	q "SELECT lower(hex(report_id)) FROM cases" | sort > "$R/cases.ids"
	is "$(comm -3 "$R/sent.cases" "$R/cases.ids" | wc -l | tr -d ' ')" 0 "  and they are the cases sent, no other"
	is "$(q "SELECT count(*) FROM cases c JOIN messages m ON m.seq = c.report_seq AND m.report_id = c.report_id
		WHERE c.revision = 1 AND c.status = 'open'")" "$N" "  each open at revision 1, pointing at its report"
	is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"
	is "$(q "SELECT count(*) FROM rejected")" 0 "  nothing rejected"

	# The escalator, killed as often: one timer and one Escalation per case.
	cut -d' ' -f2 "$R/sent-itarsi" | sort > "$R/itarsi.cases"
	q "SELECT lower(hex(report_id)) FROM timers WHERE rule = 'fault' AND level = 1
		AND ended = 'fired; the rule does not repeat'" | sort > "$R/timers.ids"
	is "$(q "SELECT count(*) FROM timers")" "$E" "$name: $E timers, one per case the rule matches"
	is "$(comm -3 "$R/itarsi.cases" "$R/timers.ids" | wc -l | tr -d ' ')" 0 "  each fired once, at level 1, and ended"
	is "$(q "SELECT count(*) || '|' || count(DISTINCT report_id) FROM messages WHERE kind = 'escalation'")" "$E|$E" \
		"  $E Escalations in the log, one per case"
	is "$(q "SELECT count(*) FROM cases WHERE escalation_level = 1")" "$E" "  the case view shows level 1 on those $E"
	is "$(q "SELECT count(*) FROM own_pending")" 0 "  own_pending empty"
	is "$(outbox_left "$R/agent-outbox")" 0 "  the agent's outbox empty"
	cut -c5-36 "$R/wire" | sort -u > "$R/wire.ids"
	q "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'escalation'" | sort > "$R/esc.ids"
	copies=$(wc -l < "$R/wire" | tr -d ' ')
	is "$(wc -l < "$R/wire.ids" | tr -d ' ')|$(comm -3 "$R/wire.ids" "$R/esc.ids" | wc -l | tr -d ' ')" "$E|0" \
		"  on the wire: the same $E Escalation message ids ($copies copies)"
	is "$(sort -u "$R/wire" | wc -l | tr -d ' ')" "$E" "  any copy byte-identical to the first"
	is "$(grep -c "database $DB:" "$W/agent.err")" 0 "  no start found the database damaged"
}

round crash crash 80 20
round power power 40 10
done_testing
