#!/bin/sh
# 43: backups of a running agent (docs/deployment.md, "Backups"). A
# publisher streams 600 reports (30 flushes of 20, 0.1 s apart) through a real mosquitto while backups are
# taken every 0.2 s, alternately with `sqlite3 DB ".backup FILE"` and
# `sqlite3 DB "VACUUM INTO 'FILE'"`; the agent is then killed (SIGKILL).
#
# "Acknowledged" is the agent's PUBACK, which it sends only once the
# message is in its journal (docs/agent.md, Durability): a message it
# acknowledged before a backup began is in the database the backup copies,
# or in the journal past the offset that database records. So:
# - the last backup taken during the stream, restored alone into a fresh
#   agent's place, holds every message committed before it began (a subset
#   of those acknowledged) and nothing twice, and opens in raksha-agent;
# - the same backup with the killed agent's journal beside it (the journal
#   still in the backup's pass: same generation) gives, once the agent's
#   start has stored what the journal holds past the backup's offset, every
#   message the killed agent acknowledged, before the backup and after it,
#   each once, PRAGMA integrity_check ok;
# - the restored agent runs with no broker to reach, so nothing comes from
#   the broker's session: what it holds comes from the backup and the
#   journal alone.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
fault_suite

LIVE=$W/live
mkdir -p "$LIVE" "$W/backups"
DB=$LIVE/agent.db
agent_conf mp-bhopal-grp-backup "raksha/v1/+/+/+/report" "durability = power" "outbox = $LIVE/outbox" \
	"backup_dir = $W/sched" "backup_interval = 1s" "backup_keep = 3" > "$W/live.conf"
mkdir -p "$W/sched-seen"
: > "$W/sent"
for c in $(seq 30); do
	"$FILL_CASES" "$S/feed-$c" 20 >> "$W/sent" || bail "fill-cases failed"
done
N=$(wc -l < "$W/sent" | tr -d ' ')

"$RAKSHA_AGENT" --config "$W/live.conf" --foreground > /dev/null 2> "$W/live.err" &
AGENT=$!
wait_until 20 grep -qs "connected;" "$W/live.err" || bail "the agent did not connect"

(
	for c in $(seq 30); do
		"$RAKSHA_PUBLISH" --url "$URL" --outbox "$S/feed-$c" --timeout 30 flush 2>/dev/null || exit 1
		sleep 0.1
	done
) &
FEED=$!

# backup I: the ids committed just before backup I began, then the backup.
backup() {
	q "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'report'" | sort > "$W/backups/before-$1"
	if [ $(($1 % 2)) -eq 0 ]; then
		sqlite3 "$DB" ".backup '$W/backups/agent-$1.db'"
	else
		sqlite3 "$DB" "VACUUM INTO '$W/backups/agent-$1.db'"
	fi
}
i=0 LAST=
while ! finished "$FEED" && [ "$i" -lt 60 ]; do
	i=$((i + 1))
	backup "$i" || bail "backup $i failed"
	had=$(sqlite3 "$W/backups/agent-$i.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
	[ "$had" -lt "$N" ] && LAST=$i LAST_HAD=$had
	# The agent's own copies, as they appear (older ones go: backup_keep).
	for f in "$W"/sched/agent.db.*Z; do [ -f "$f" ] && cp -n "$f" "$W/sched-seen/" 2>/dev/null; done
	sleep 0.2
done
wait "$FEED"
is "$?" 0 "the broker acknowledged all $N reports"
FEED=
ok "backups taken while reports were arriving ($i, the last of them holding $LAST_HAD of $N)" \
	test -n "$LAST" -a "${LAST_HAD:-0}" -gt 0
ok "  both ways among them (.backup and VACUUM INTO)" test "$i" -ge 3
wait_until 30 at_least "$N" reports
# copies: how many the agent's schedule has written; at least 5 before the
# kill, so that 2 or more were removed.
copies() { grep -c "backup: $W/sched/agent.db.[0-9T.]*Z written in" "$W/live.err"; }
wait_until 20 at_least 5 copies
kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
AGENT=
cut -d' ' -f1 "$W/sent" | sort > "$W/sent.ids"
is "$(report_ids | comm -3 - "$W/sent.ids" | wc -l | tr -d ' ')" 0 "the live agent acknowledged and stored the $N sent"

# The agent's schedule: a copy a second, the newest 3 kept.
written=$(copies)
ok "the agent's schedule: $written copies written, one a second" test "$written" -ge 5
# 4 if the kill fell between a copy's rename and the removal after it.
kept=$(ls "$W/sched" | wc -l)
ok "  the newest 3 kept, older ones removed ($kept of $written left)" test "$kept" -eq 3 -o "$kept" -eq 4
is "$(stat -c %a "$W"/sched/agent.db.* | sort -u)" 600 "  each 0600"
is "$(stat -c %a "$W/sched")" 700 "  in a folder it made 0700"
for f in "$W"/sched-seen/agent.db.*Z; do
	had=$(sqlite3 "$f" "SELECT count(*) FROM messages WHERE kind = 'report'")
	[ "$had" -lt "$N" ] && SCHED=$f SCHED_HAD=$had
done
ok "  one of them taken while reports were arriving (${SCHED_HAD:-none} of $N)" test -n "${SCHED:-}"

# restore NAME [JOURNAL]: backup $LAST as the database of a fresh agent's
# place $W/NAME (its own configuration, a broker that is not there), with
# JOURNAL as its journal; started, it stores what the journal holds, and
# is stopped. Sets DB.
restore() {
	mkdir -p "$W/$1"
	DB=$W/$1/agent.db
	install -m 0600 "$FROM" "$DB"
	[ $# -gt 1 ] && cp "$2" "$DB.ingest"
	agent_conf "mp-bhopal-grp-$1" "raksha/v1/+/+/+/report" "durability = power" | \
		sed 's|^url = .*|url = mqtt://127.0.0.1:9|' > "$W/$1.conf"
	"$RAKSHA_AGENT" --config "$W/$1.conf" --foreground > /dev/null 2> "$W/$1.err" &
	AGENT=$!
	wait_until 20 grep -qs "started as" "$W/$1.err"
	sleep 0.5
	kill -TERM "$AGENT"
	wait "$AGENT"
	restore_rc=$?
	AGENT=
}

FROM=$W/backups/agent-$LAST.db
restore alone
is "$restore_rc" 0 "backup $LAST restored alone: raksha-agent opens it and stops cleanly"
is "$(report_ids | comm -13 - "$W/backups/before-$LAST" | wc -l | tr -d ' ')" 0 \
	"  every report committed before the backup began is in it"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" "$LAST_HAD" "  and no more ($LAST_HAD): nothing came from elsewhere"
is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")" 0 "  nothing doubled"
is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"

gen_backup=$(sqlite3 "$W/backups/agent-$LAST.db" "SELECT value FROM meta WHERE key = 'journal_generation'")
gen_live=$(sqlite3 "$LIVE/agent.db" "SELECT value FROM meta WHERE key = 'journal_generation'")
is "$gen_live" "$gen_backup" "the journal is still in the backup's pass (generation $gen_backup)"
restore journal "$LIVE/agent.db.ingest"
is "$restore_rc" 0 "backup $LAST restored with the killed agent's journal: opens and stops cleanly"
contains "$(cat "$W/journal.err")" "journal: stored " \
	"  its start stored what the journal holds past the backup's offset"
is "$(report_ids | comm -3 - "$W/sent.ids" | wc -l | tr -d ' ')" 0 "  every report the agent acknowledged is there"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")|$(q "SELECT count(*) FROM cases")" "$N|$N" \
	"  each once, one case each"
is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")" 0 "  nothing doubled"
is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"

FROM=${SCHED:-/nonexistent}
restore sched-alone
is "$restore_rc" 0 "the agent's last copy during the stream, restored alone: opens, stops cleanly"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" "${SCHED_HAD:-}" "  holds the ${SCHED_HAD:-} reports it had"
is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")|$(q "PRAGMA integrity_check")" "0|ok" \
	"  nothing doubled, PRAGMA integrity_check ok"
restore sched-journal "$LIVE/agent.db.ingest"
is "$(report_ids | comm -3 - "$W/sent.ids" | wc -l | tr -d ' ')|$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" \
	"0|$N" "  with the killed agent's journal: every report it acknowledged, each once"
is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"

# A copy the killed agent left unfinished goes at the next start.
: > "$W/sched/.agent.db.20261207T000000.000Z.tmp"
: > "$W/sched/.agent.db.20261207T000000.000Z.tmp-journal"
DB=$LIVE/agent.db
"$RAKSHA_AGENT" --config "$W/live.conf" --foreground > /dev/null 2> "$W/live2.err" &
AGENT=$!
wait_until 20 grep -qs "backup: removed $W/sched/.agent.db.20261207T000000.000Z.tmp" "$W/live2.err"
# A folder it cannot write (a file in its place): a try an interval, not a spin.
mv "$W/sched" "$W/sched.away"
: > "$W/sched"
sleep 3
tries=$(grep -c "backup: no copy of $LIVE/agent.db made: " "$W/live2.err")
ok "a copy that cannot be made is tried again an interval later ($tries tries in 3 s)" \
	test "$tries" -ge 1 -a "$tries" -le 5
rm "$W/sched"
mv "$W/sched.away" "$W/sched"
kill -TERM "$AGENT"
wait "$AGENT"
is "$?" 0 "the agent started again on its folder, stops cleanly"
AGENT=
ok "  the unfinished copy a kill left is removed, with its rollback journal" \
	test ! -e "$W/sched/.agent.db.20261207T000000.000Z.tmp" -a ! -e "$W/sched/.agent.db.20261207T000000.000Z.tmp-journal"
is "$(ls -A "$W/sched" | grep -c tmp)" 0 "  and no copy of its own is left unfinished"
done_testing
