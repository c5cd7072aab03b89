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
agent_conf mp-bhopal-grp-backup "raksha/v1/+/+/+/report" "durability = power" "outbox = $LIVE/outbox" > "$W/live.conf"
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
	sleep 0.2
done
wait "$FEED"
is "$?" 0 "the broker acknowledged all $N reports"
FEED=
ok "backups taken while reports were arriving ($i, the last of them holding $LAST_HAD of $N)" \
	test -n "$LAST" -a "${LAST_HAD:-0}" -gt 0
ok "  both ways among them (.backup and VACUUM INTO)" test "$i" -ge 3
wait_until 30 at_least "$N" reports
kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
AGENT=
cut -d' ' -f1 "$W/sent" | sort > "$W/sent.ids"
is "$(report_ids | comm -3 - "$W/sent.ids" | wc -l | tr -d ' ')" 0 "the live agent acknowledged and stored the $N sent"

# restore NAME [JOURNAL]: backup $LAST as the database of a fresh agent's
# place $W/NAME (its own configuration, a broker that is not there), with
# JOURNAL as its journal; started, it stores what the journal holds, and
# is stopped. Sets DB.
restore() {
	mkdir -p "$W/$1"
	DB=$W/$1/agent.db
	install -m 0600 "$W/backups/agent-$LAST.db" "$DB"
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
done_testing
