#!/bin/sh
# 51: `raksha-publish report`'s one-shot path (publisher/oneshot/, over
# libmosquitto): the guarantee on it, and when it stands aside, against a
# mosquitto that takes only its users (the one-shot path logs in with
# --username and the password file). Broker up: exit 0, the report delivered
# once, the outbox empty, and libmosquitto's mosquitto_publish() was what
# sent it (the dynamic linker's binding log, LD_DEBUG=bindings: a function
# bound lazily is logged at its first call). Broker down: exit 75, the
# envelope kept in the outbox; the next report finds it there, so the paho
# path sends both (mosquitto_publish() never called), each once. Options the
# one-shot path does not serve (two --url, MQTT 5): the paho path, once.
# Never timed.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-51.XXXXXX")
SUB=
cleanup() {
	[ -n "$SUB" ] && kill "$SUB" 2>/dev/null && wait "$SUB" 2>/dev/null
	dev_broker_stop
	rm -rf "$W"
}
trap cleanup EXIT
broker_start_acl "$W" "" desk reader <<'ACL'
user desk
topic write raksha/v1/mp/bhopal/grp/#

user reader
topic read raksha/v1/#
ACL
URL=mqtt://127.0.0.1:$BROKER_PORT
DOWN=mqtt://127.0.0.1:1  # nothing listens on loopback's port 1: refused at once
# report NAME [GLOBAL OPTION...]: one report, its id on stdout, the
# linker's bindings in $W/ld.PID.
report() {
	name=$1
	shift
	LD_DEBUG=bindings LD_DEBUG_OUTPUT=$W/ld "$RAKSHA_PUBLISH" --username desk \
		--password-file "$W/desk.pw" --outbox "$W/outbox" --timeout 4 --state mp \
		--region bhopal --agency grp "$@" report --name "$name" --age 9 2>> "$W/pub.err"
}
# oneshot_used: whether the last report's process called mosquitto_publish().
oneshot_used() {
	grep -q "normal symbol \`mosquitto_publish'" "$W"/ld.*
	used=$?
	rm -f "$W"/ld.*
	return $used
}
paho_used() { ! oneshot_used; }
entries() { find "$W/outbox" -maxdepth 1 -name '*.msg' | wc -l | tr -d ' '; }
# Every envelope that reaches the broker, in hex, one a line.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u reader -P "$(cat "$W/reader.pw")" -q 1 \
	-t 'raksha/v1/#' -F '%x' -W 60 > "$W/arrived" 2> "$W/sub.err" &
SUB=$!
sleep 0.5
copies() { grep -c "$(echo "$1" | tr -d -)" "$W/arrived"; }

id1=$(report "Child one" --url "$URL")
is "$?" 0 "broker up: raksha-publish report exits 0"
ok "  it printed the report's id" test -n "$id1"
ok "  libmosquitto's mosquitto_publish() sent it (the one-shot path)" oneshot_used
is "$(entries)" 0 "  the outbox is empty"

id2=$(report "Child two" --url "$DOWN")
is "$?" 75 "broker down: exit 75 (queued)"
ok "  stderr says it was kept for 'raksha-publish flush'" grep -q "kept in the outbox" "$W/pub.err"
is "$(entries)" 1 "  its envelope is in the outbox"
rm -f "$W"/ld.*

id3=$(report "Child three" --url "$URL")
is "$?" 0 "broker up again, with that one queued: exit 0"
ok "  the paho path sent the backlog (mosquitto_publish() never called)" paho_used
is "$(entries)" 0 "  the outbox is empty"

id4=$(report "Child four" --url "$URL" --url "$DOWN")
is "$?" 0 "two brokers (--url twice): exit 0"
ok "  the paho path sent it" paho_used
id5=$(report "Child five" --url "$URL" --mqtt-version 5)
is "$?" 0 "MQTT 5: exit 0"
ok "  the paho path sent it" paho_used
is "$(entries)" 0 "  the outbox is empty"

sleep 1  # what the broker acknowledged is on its way to the subscriber
for id in "$id1" "$id2" "$id3" "$id4" "$id5"; do
	is "$(copies "$id")" 1 "report $id arrived once"
done
done_testing
