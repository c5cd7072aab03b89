#!/bin/sh
# 12: with durability = power, the escalator's look at new messages waits
# for the disk only when it starts a hook (issue 19 part 1: that flush was
# the largest part of an agent's CPU for a report that comes alone). On
# tests/tools/powercut-fs, which keeps only what was synced: an agent
# without hooks takes a report and arms its timer; the power cut takes the
# escalator's mark and timer (not synced), and the agent started again
# arms the same timer, due at the same time, once. With an on_report hook
# the mark and timer are on the disk before the hook starts, and after the
# cut the hook does not run again: at most once, as docs/agent.md says.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/powercut.sh"
fault_suite
suite_cleanup() {
	[ -n "$AGENT" ] && kill -KILL "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	AGENT=
	powercut_unmount
	fault_cleanup
}
trap suite_cleanup EXIT

# on_disk SQL: what the database answers after a cut, before the agent
# starts again; read-only, so that the WAL the cut left stays for it.
on_disk() { sqlite3 -readonly "$DB" "$1" 2>/dev/null || echo none; }
start_agent() {
	"$RAKSHA_AGENT" --config "$R/agent.conf" --foreground > /dev/null 2>> "$R/agent.err" & AGENT=$!
	wait_until 20 grep -qs "connected;" "$R/agent.err" ||
		bail "$R: the agent did not connect: $(tail -n 3 "$R/agent.err" | tr '\n' ' ')"
}
publish() {
	topic=$("$MAKE_SAMPLE" report "$R/r.bin" --fresh) || bail "make-sample failed"
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$topic" -f "$R/r.bin" || bail "mosquitto_pub failed"
}
# cut: SIGKILL, as the power would, then the cut.
cut_power() {
	kill -KILL "$AGENT"
	wait "$AGENT" 2>/dev/null
	AGENT=
	powercut_cut
	echo "# $CUT_LINE"
}
TIMER="SELECT count(*) || ' ' || coalesce(max(due_ms), 0) FROM timers"

# round NAME [HOOK]: an agent on powercut-fs, its rule an hour long (armed,
# never due here), and HOOK as its on_report.
round() {
	R=$W/$1
	mkdir -p "$R/disk/agent"
	powercut_mount "$R"
	DB=$PCFS_MNT/agent/agent.db
	agent_conf "mp-bhopal-grp-$1" "raksha/v1/+/+/+/report" "durability = power" "outbox = $R/outbox" > "$R/agent.conf"
	printf '[escalate.hour]\nmatch = raksha/v1/mp/+/+/report\nafter = 1h\npublish = raksha/v1/mp/bhopal/grp/escalation\n' >> "$R/agent.conf"
	[ -n "${2:-}" ] && printf '[hooks]\non_report = %s\n' "$2" >> "$R/agent.conf"
	start_agent
	wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "$1: presence not stored"
	sleep 1.5  # the escalator's first step and its checkpoint, synced
	publish
	wait_rows "SELECT count(*) FROM timers" 1 || bail "$1: the report armed no timer"
	BEFORE=$(q "$TIMER")
	SEQ=$(q "SELECT seq FROM messages WHERE kind = 'report'")
}

round nohook
sleep 0.5
cut_power
is "$(on_disk "$TIMER")" "0 0" "no hook: the escalator's commit did not wait for the disk (its timer gone with the power)"
is "$(on_disk "SELECT coalesce(max(value), 0) < $SEQ FROM meta WHERE key = 'scanned_seq'")" 1 \
	"  nor its mark (below the report's seq, $SEQ)"
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" 1 || bail "nohook: the journal did not store the report again"
wait_rows "SELECT count(*) FROM timers" 1 || bail "nohook: no timer after the start"
sleep 1.5
is "$(q "$TIMER")" "$BEFORE" "  started again: the same timer, due at the same time, once"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 1 "  the report stored once"
kill -TERM "$AGENT"
wait "$AGENT"
AGENT=
powercut_unmount

HOOKED=$W/hook.ran  # on the real disk: what ran is not the cut's to take
round hook "echo \$RAKSHA_REPORT_ID >> '$HOOKED'"
wait_until 10 test -s "$HOOKED" || bail "hook: on_report did not run"
sleep 0.5
cut_power
is "$(on_disk "$TIMER")" "$BEFORE" "a hook: the escalator's commit was on the disk before it started"
is "$(on_disk "SELECT max(value) FROM meta WHERE key = 'scanned_seq'")" "$SEQ" "  its mark too"
start_agent
sleep 3  # the journal's records stored again, the escalator's steps
is "$(q "$TIMER")" "$BEFORE" "  started again: the same timer"
is "$(wc -l < "$HOOKED" | tr -d ' ')" 1 "  and the hook did not run again"
kill -TERM "$AGENT"
wait "$AGENT"
AGENT=
done_testing
