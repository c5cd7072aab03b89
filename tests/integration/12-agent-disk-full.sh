#!/bin/sh
# 12: the agent's disk fills up (a small tmpfs): it stops acknowledging
# rather than losing, says so, keeps running, and when space returns the
# backlog arrives, every report once. Needs root (it mounts a tmpfs).
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
[ "$(id -u)" -eq 0 ] || bail "needs root to mount a small tmpfs (CI runs as root)"
broker_start
W=$BROKER_DIR
mkdir -p "$W/disk"
mount -t tmpfs -o size=4m tmpfs "$W/disk" || bail "cannot mount a tmpfs"
trap 'kill "$AGENT" 2>/dev/null; wait "$AGENT" 2>/dev/null; umount "$W/disk"; broker_stop' EXIT
DB=$W/disk/agent.db
agent_conf mp-bhopal-grp-disk "raksha/v1/+/+/+/report" "durability = crash" > "$W/agent.conf"
"$RAKSHA_AGENT" --config "$W/agent.conf" 2> "$W/agent.err" &
AGENT=$!
for _ in $(seq 100); do grep -q "connected;" "$W/agent.err" && break; sleep 0.1; done
"$FILL_OUTBOX" "$W/first" 5
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/first" flush 2>/dev/null
wait_rows "SELECT count(*) FROM messages" 5
is "$(q "SELECT count(*) FROM messages")" 5 "5 reports stored while there is room"

# Fill the disk to the last byte.
dd if=/dev/zero of="$W/disk/filler" bs=64k 2>/dev/null
"$FILL_OUTBOX" "$W/second" 40
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/second" --timeout 3 flush 2>/dev/null
for _ in $(seq 50); do grep -q "the disk is full" "$W/agent.err" && break; sleep 0.1; done
contains "$(cat "$W/agent.err")" "cannot store a message from raksha/v1/mp/bhopal/grp/report: the disk is full; not acknowledging anything" \
	"disk full: the agent says so"
ok "and keeps running" kill -0 "$AGENT"
sleep 1
is "$(q "SELECT count(*) FROM messages")" 5 "nothing new was stored"

rm -f "$W/disk/filler"
wait_rows "SELECT count(*) FROM messages" 45
is "$(q "SELECT count(*) FROM messages")" 45 "space back: all 40 waiting reports arrive"
is "$(q "SELECT count(DISTINCT message_id) FROM messages")" 45 "  each once"
contains "$(cat "$W/agent.err")" "storing again; the backlog follows" "  and it says it resumed"
is "$(q "PRAGMA integrity_check")" "ok" "the database is intact"
kill -TERM "$AGENT"; wait "$AGENT"
is "$?" 0 "clean exit"
AGENT=
done_testing
