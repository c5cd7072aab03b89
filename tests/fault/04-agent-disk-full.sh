#!/bin/sh
# 04: the agent's disk fills up (a small tmpfs): it stops acknowledging
# rather than losing, says so clearly (one error line per outage, naming the
# topic and the full disk), keeps running, and when space returns the
# backlog arrives, every report once. Three outages: space returns while it
# runs; it is killed with SIGKILL while refusing and restarted after space
# returns (what arrives then comes from the broker's copy of the session,
# as the unacknowledged reports were never taken from it, and from the
# agent's journal, which holds those acknowledged before a commit failed);
# and an outage longer than the keepalive, which costs the connection. At
# the end the set of message ids stored is exactly the set sent, once each,
# and the database is intact. These three with durability = crash (the
# journal's write fails); a fourth with power (the journal's file is
# written in full beforehand, so its write succeeds and the database's
# commit fails), stopped with SIGTERM while it refuses: it stops, and the
# next start stores what the journal holds. Needs root (it mounts a
# tmpfs), as CI has.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
[ "$(id -u)" -eq 0 ] || bail "needs root to mount a small tmpfs (CI runs as root)"
broker_start
W=$BROKER_DIR
mkdir -p "$W/disk"
mount -t tmpfs -o size=4m tmpfs "$W/disk" || bail "cannot mount a tmpfs"
AGENT=
trap '[ -n "$AGENT" ] && kill -KILL "$AGENT" 2>/dev/null; wait "$AGENT" 2>/dev/null; umount "$W/disk"; broker_stop' EXIT
DB=$W/disk/agent.db
URL="mqtt://127.0.0.1:$BROKER_PORT"
FULL_LINE="cannot store a message from raksha/v1/mp/bhopal/grp/report: the disk is full; not acknowledging anything until it can be stored"

wait_for() {
	t=$(($1 * 10)); shift
	while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.1; t=$((t - 1)); done
	return 1
}
reports() { q "SELECT count(*) FROM messages WHERE kind = 'report'"; }
has() { [ "$(reports)" -ge "$1" ]; }
# conf DURABILITY [EXTRA-[broker]-LINE]: the agent's configuration.
conf() {
	agent_conf mp-bhopal-grp-disk "raksha/v1/+/+/+/report" "durability = $1" > "$W/agent.conf"
	[ $# -gt 1 ] && sed -i "/^\[broker\]/a $2" "$W/agent.conf"
	return 0
}
# start_agent: the agent's log in agent.err; the earlier ones' in agents.err.
start_agent() {
	cat "$W/agent.err" >> "$W/agents.err" 2>/dev/null
	: > "$W/agent.err"  # before it starts: the wait below must not see the last one's lines
	"$RAKSHA_AGENT" --config "$W/agent.conf" 2>> "$W/agent.err" &
	AGENT=$!
	wait_for 20 grep -qs "connected;" "$W/agent.err" || bail "the agent did not connect"
}
# publish NAME N: N fresh reports, each its own case, queued and flushed:
# exit 0 means the broker acknowledged all (took them into the sessions).
publish() {
	"$FILL_CASES" "$W/$1" "$2" >> "$W/sent" || bail "fill-cases failed"
	"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/$1" --timeout 20 flush 2>/dev/null
}
# fill: the disk to the last byte.
fill() { dd if=/dev/zero of="$W/disk/filler" bs=64k 2>/dev/null; }
says_full() { grep -qF "$FULL_LINE" "$W/agent.err"; }
# fresh_journal: after a clean stop (everything in it is stored), a journal
# file made afresh, whose first write needs space: with crash the refusal
# is then certain. (With power the journal's file, written in full at
# start, takes messages whenever a commit gets through the full disk, as
# one may when SQLite reuses its WAL: the refusal comes and goes.)
fresh_journal() { rm -f "$DB.ingest"; }
: > "$W/sent"

# --- 1: full, then space returns while it runs ---------------------------------
conf crash
start_agent
publish first 5
wait_for 15 has 5
is "$(reports)" 5 "5 reports stored while there is room"
fill
# The journal may still take what fits in the room its file already has:
# the tmpfs pages given to it (st_blocks) past the end of this pass, which
# is the offset the database stored up to (the agent is idle: all of it is
# stored; were it not, the room would only read larger). Where that end is
# depends on the agent's own records (its presence is journaled too), hence
# measured, not assumed. An agent that stored what it could not journal
# (its write's ENOSPC ignored: 20 of the 40 here) fails the check below.
set -- $(stat -c '%b %B' "$DB.ingest")
room=$(($1 * $2 - $(q "SELECT value FROM meta WHERE key = 'journal_offset'")))
publish second 40; rc=$?
is "$rc" 0 "disk full: the broker still acknowledges 40 more to the publisher"
wait_for 10 says_full
is "$(grep -cF "$FULL_LINE" "$W/agent.err")" 1 "the agent says so, once"
contains "$(cat "$W/agent.err")" "<3>$FULL_LINE" "  as an error (<3>): $FULL_LINE"
ok "  and keeps running" kill -0 "$AGENT"
sleep 1
took=$(reports)
sleep 2
is "$(reports)" "$took" "nothing new was stored from the refusal on"
is "$(grep -cF "$FULL_LINE" "$W/agent.err")" 1 "  and, 2 s on, no second line (at most one a minute)"
rm -f "$W/disk/filler"
wait_for 20 has 45
is "$(reports)" 45 "space back: all 40 waiting reports arrive"
is "$(q "SELECT count(DISTINCT message_id) FROM messages WHERE kind = 'report'")" 45 "  each once"
# A report's journal record: its 36-byte head, topic and envelope. The
# smallest of the 40 gives the most records the room held.
record=$(q "SELECT 36 + min(length(topic) + length(envelope)) FROM (SELECT topic, envelope FROM messages
	WHERE kind = 'report' ORDER BY seq LIMIT -1 OFFSET 5)")
fit=$((room / record))
ok "before the refusal only what the journal had room for was stored: $((took - 5)) of the 40, at most $fit (${room} bytes of its file past its end, records of ${record} bytes or more)" \
	test "$((took - 5))" -le "$fit"
contains "$(cat "$W/agent.err")" "<5>storing again; the backlog follows" "  it says it resumed"
kill -TERM "$AGENT"; wait "$AGENT"
is "$?" 0 "  clean exit"
AGENT=

# --- 2: killed while it refuses; space returns while it is down -------------------
# The clean stop above removed the WAL: it grows again from nothing, so the
# full disk stops the very next commit.
fresh_journal
start_agent
fill
publish third 30; rc=$?
is "$rc" 0 "full again: the broker acknowledges 30 more to the publisher"
wait_for 10 says_full
is "$(grep -cF "$FULL_LINE" "$W/agent.err")" 1 "the agent says the disk is full"
# At most the first of them may get through (seen twice at loads over 100,
# never alone; probably its commit reusing WAL frames a checkpoint let go
# before the disk filled: not proven). What counts is that the refusal
# stops the rest, and the account at the end (each once, none lost).
sleep 1
took=$(reports)
ok "  stores none of them, or only the first ($((took - 45)))" test "$took" -le 46
sleep 2
is "$(reports)" "$took" "  and nothing more, 2 s on"
ok "  SIGKILL while it still runs" kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
AGENT=
rm -f "$W/disk/filler"
start_agent
wait_for 20 has 75
is "$(reports)" 75 "SIGKILL while refusing, space back, restarted: all 30 arrive (broker and journal)"
is "$(q "SELECT count(DISTINCT message_id) FROM messages WHERE kind = 'report'")" 75 "  each once"
kill -TERM "$AGENT"; wait "$AGENT"
AGENT=

# --- 3: an outage longer than the keepalive (5 s): the connection goes ----------
conf crash "keepalive = 5"
fresh_journal
start_agent
fill
publish fourth 20; rc=$?
is "$rc" 0 "full, keepalive 5 s: the broker acknowledges 20 more to the publisher"
wait_for 10 says_full
# paho's receive thread waits in the message callback: no PINGREQ goes out,
# and mosquitto drops the connection after 1.5 keepalives without a packet.
wait_for 30 grep -q "mp-bhopal-grp-disk has exceeded timeout" "$W/mosquitto.log"
ok "the outage outlasts the keepalive: mosquitto drops the agent's connection" \
	grep -q "mp-bhopal-grp-disk has exceeded timeout" "$W/mosquitto.log"
sleep 1
took=$(reports)
ok "  nothing stored meanwhile, or only the first (as in 2: $((took - 75)))" test "$took" -le 76
ok "  the agent still runs" kill -0 "$AGENT"
rm -f "$W/disk/filler"
wait_for 30 has 95
is "$(reports)" 95 "space back: all 20 arrive (on a new connection)"
sleep 1
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 95 "  and nothing more"
grep -v REPORT "$W/agent.err" | tail -n 3 | sed "s/^/# /"

# --- 4: stopped (SIGTERM) while it refuses ----------------------------------------
# With power: the committer cannot store what the journal took before the
# refusal; the stop must not wait for the disk, and the next start stores it.
kill -TERM "$AGENT"; wait "$AGENT"
conf power
start_agent
fill
publish fifth 5; rc=$?
is "$rc" 0 "full once more: the broker acknowledges 5 more"
wait_for 10 grep -q "journal: cannot store" "$W/agent.err"
kill -TERM "$AGENT"
wait_for 15 sh -c "! kill -0 $AGENT 2>/dev/null"
ok "SIGTERM while refusing: the agent stops (within 15 s)" sh -c "! kill -0 $AGENT 2>/dev/null"
wait "$AGENT"
is "$?" 0 "  exit 0"
AGENT=
rm -f "$W/disk/filler"
start_agent
wait_for 20 has 100
is "$(reports)" 100 "restarted with space: all 5 arrive (the journal's, then the broker's)"

# --- the whole account ---------------------------------------------------------------
cut -d' ' -f1 "$W/sent" | sort > "$W/sent.ids"
q "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'report'" | sort > "$W/stored.ids"
is "$(wc -l < "$W/sent.ids" | tr -d ' ')|$(comm -3 "$W/sent.ids" "$W/stored.ids" | wc -l | tr -d ' ')" "100|0" \
	"100 reports sent, the same 100 message ids stored"
is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")" 0 "  none twice"
is "$(q "SELECT count(*) FROM cases")" 100 "  one case each"
is "$(q "SELECT count(*) FROM rejected")" 0 "  nothing rejected"
is "$(q "PRAGMA integrity_check")" "ok" "the database is intact"
kill -TERM "$AGENT"; wait "$AGENT"
is "$?" 0 "clean exit"
AGENT=

# --- started on a full disk ---------------------------------------------------------
# A new database cannot even be made: the agent says why and exits 75
# (EX_TEMPFAIL: systemd tries again later), never 65 (a damaged database).
dd if=/dev/zero of="$W/disk/filler" bs=64k 2>/dev/null
sed "s|^database = .*|database = $W/disk/new.db|" "$W/agent.conf" > "$W/new.conf"
"$RAKSHA_AGENT" --config "$W/new.conf" 2> "$W/new.err"
is "$?" 75 "started on a full disk: exit 75 (try again later)"
contains "$(cat "$W/new.err")" "database $W/disk/new.db: the disk is full" "  and says the disk is full"
rm -f "$W/disk/filler"
if [ "$tap_failed" -gt 0 ]; then
	cat "$W/agent.err" >> "$W/agents.err"
	grep -v REPORT "$W/agents.err" | sed 's/^/# agent: /'
fi
done_testing
