#!/bin/sh
# 44: files written by an old release open with today's programs
# (tests/fixtures/README.md says which commit wrote them, and how). The
# agent's database of schema 1 is brought to today's schema at the first
# start, its messages, cases, acks and rejected input intact, and a second
# start changes nothing; a report the old raksha-publish queued in its
# outbox is sent by today's `flush` and stored once.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
fault_suite
OLD=4ad6473
FX=$RAKSHA_SOURCE_ROOT/tests/fixtures
SCHEMA=$(sed -n 's/^#define SCHEMA_VERSION \([0-9]*\)$/\1/p' "$RAKSHA_SOURCE_ROOT/subscriber/agent/store_schema.h")
DB=$W/agent.db
install -m 0600 "$FX/agent-$OLD.db" "$DB"
cp -r "$FX/outbox-$OLD" "$W/outbox"
mkdir -p "$W/outbox/corrupt"  # git keeps no empty folder
is "$(q "PRAGMA user_version")" 1 "the fixture is a schema 1 database (commit $OLD)"
agent_conf mp-bhopal-grp-upgrade "raksha/v1/+/+/+/report raksha/v1/+/+/+/ack raksha/v1/+/+/+/sighting" \
	"outbox = $W/agent-outbox" > "$W/agent.conf"

start_agent() {
	"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > /dev/null 2> "$W/agent.err" &
	AGENT=$!
	wait_until 20 grep -qs "connected;" "$W/agent.err"
}
stop_agent() { kill -TERM "$AGENT"; wait "$AGENT"; stop_rc=$?; AGENT=; }

start_agent || { sed 's/^/# /' "$W/agent.err"; bail "today's agent did not start on the old database"; }
stop_agent
is "$stop_rc" 0 "today's raksha-agent opens the old database, connects, stops cleanly"
is "$(q "PRAGMA user_version")" "$SCHEMA" "  the schema brought from 1 to $SCHEMA (PRAGMA user_version)"
is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"
q "SELECT lower(hex(message_id)) FROM messages WHERE kind <> 'agent' ORDER BY seq" > "$W/ids"
is "$(cat "$W/ids")" "$(cat "$FX/agent-$OLD.ids")" "  the old messages, in their order, none lost or added"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'agent'")" 4 "  its presence and the old agent's, 2 each"
is "$(q "SELECT child_name || '|' || status || '|' || sightings FROM cases ORDER BY child_name")" \
	"Rahul|open|0
सीमा कुमारी|open|1" "  the cases: the Devanagari name as written, status and sighting kept"
is "$(q "SELECT count(*) FROM acks")" 1 "  the ack kept"
is "$(q "SELECT count(*) || '|' || min(sender) FROM rejected")" "1|mp/bhopal/grp" \
	"  the rejected garbage kept, given its sender (schema 3)"
is "$(q "SELECT rows FROM rejected_senders WHERE sender = 'mp/bhopal/grp'")" 1 "  and counted against its bound"
is "$(q "SELECT count(*) FROM cases WHERE state = 'mp' AND region = 'bhopal' AND agency = 'grp'")" 2 \
	"  each old case's owner: its report's unit"

before=$(q "PRAGMA schema_version")
sqlite3 "$DB" .schema > "$W/schema.before"
start_agent || bail "the agent did not start a second time"
stop_agent
[ "$stop_rc" -eq 0 ] || sed "s/^/# /" "$W/agent.err"
is "$stop_rc" 0 "a second start on the upgraded database"
sqlite3 "$DB" .schema > "$W/schema.after"
ok "  changes no table, index or trigger (the same .schema)" cmp -s "$W/schema.before" "$W/schema.after"
is "$(q "PRAGMA schema_version")" "$before" "  PRAGMA schema_version still $before: no statement changed the schema"

# The old outbox entry, sent by today's raksha-publish.
entry=$(ls "$W/outbox" | sed -n 's/\.msg$//p')
contains "$("$RAKSHA_PUBLISH" --outbox "$W/outbox" outbox 2>&1)" "$entry" "today's raksha-publish lists the old outbox's entry"
start_agent || bail "the agent did not start a third time"
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --timeout 20 flush 2> "$W/flush.err"
is "$?" 0 "  flush: the broker acknowledged it"
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --timeout 20 flush 2>> "$W/flush.err"
is "$?" 0 "  a second flush has nothing to send"
hexid=$(printf '%s' "$entry" | tr -d -)
wait_until 20 at_least 1 q "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$hexid'"
sleep 0.5  # a second copy, were there one, has its chance to arrive
is "$(q "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$hexid'")" 1 "  the agent stored it once"
is "$(q "SELECT child_name FROM cases c JOIN messages m ON m.report_id = c.report_id
	WHERE lower(hex(m.message_id)) = '$hexid'")" "Outbox Child" "  as the case it was queued for"
is "$(outbox_left "$W/outbox")" 0 "  the outbox empty"
is "$(ls "$W/outbox/corrupt" | wc -l | tr -d ' ')" 0 "  nothing taken for damaged"
stop_agent
done_testing
