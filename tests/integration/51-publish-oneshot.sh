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
# one-shot path does not serve (two --url, MQTT 5, mqtts:// through a TLS
# listener of the same broker): the paho path, once. The one-shot path makes
# no paho client (MQTTAsync_createWithOptions() never called). A wrong
# password: exit 75, stderr names the refused login, the envelope kept in the
# outbox and paho not tried (it would be refused the same); flush with the
# right one sends it. A url without a port: exit 64, nothing queued, as on
# the paho path. Never timed.
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
# A throwaway CA and a certificate for 127.0.0.1, for a TLS listener beside
# the plain one (the same users: per_listener_settings false).
( cd "$W" &&
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj "/CN=Raksha test CA" -keyout ca.key -out ca.crt &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
	-keyout broker.key -out broker.csr &&
  printf 'subjectAltName=IP:127.0.0.1\n' > san.ext &&
  openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
	-extfile san.ext -out broker.crt && chmod 644 broker.key ) 2> /dev/null || bail "openssl: certificates"
TLS_PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
TLS="listener $TLS_PORT 127.0.0.1
cafile $W/ca.crt
certfile $W/broker.crt
keyfile $W/broker.key"
broker_start_acl "$W" "$TLS" desk reader <<'ACL'
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
# paho_called FUNCTION: whether libraksha called paho's FUNCTION in the last
# report's process (paho binds its own names at load: those are not it).
paho_called() { grep -q "libraksha.*normal symbol \`$1'" "$W"/ld.*; }
paho_not_called() { ! paho_called "$1"; }
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
ok "  no paho client was made" paho_not_called MQTTAsync_createWithOptions
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

id6=$(report "Child six" --url "mqtts://127.0.0.1:$TLS_PORT" --ca-file "$W/ca.crt")
is "$?" 0 "TLS (mqtts:// and --ca-file): exit 0"
ok "  the paho path sent it (the one-shot path serves no TLS)" paho_used
is "$(entries)" 0 "  the outbox is empty"

echo "desk-wrong" > "$W/wrong.pw"
chmod 600 "$W/wrong.pw"
: > "$W/pub.err"
id7=$(report "Child seven" --url "$URL" --password-file "$W/wrong.pw")
is "$?" 75 "a wrong password: exit 75 (queued)"
contains "$(cat "$W/pub.err")" "refused the login as user 'desk': a wrong user name or password" \
	"  stderr says the broker refused the login, naming the user"
contains "$(cat "$W/pub.err")" "1 envelope(s) kept in the outbox" "  and that the envelope is kept"
is "$(entries)" 1 "  its envelope is in the outbox"
ok "  paho was not tried (it would be refused the same)" paho_not_called MQTTAsync_connect
rm -f "$W"/ld.*
"$RAKSHA_PUBLISH" --username desk --password-file "$W/desk.pw" --outbox "$W/outbox" --timeout 4 \
	--url "$URL" flush 2>> "$W/pub.err"
is "$?" 0 "  flush with the right password: exit 0"
is "$(entries)" 0 "  the outbox is empty"

report "Child eight" --url "mqtt://127.0.0.1" > /dev/null
is "$?" 64 "a url without a port: exit 64"
is "$(entries)" 0 "  nothing was queued"
rm -f "$W"/ld.*

sleep 1  # what the broker acknowledged is on its way to the subscriber
for id in "$id1" "$id2" "$id3" "$id4" "$id5" "$id6" "$id7"; do
	is "$(copies "$id")" 1 "report $id arrived once"
done
done_testing
