#!/bin/sh
# fault 10: one-shot `raksha-publish report` against a broker that never
# answers, then one that does. raksha-publish closes its connection without
# stopping paho's threads (raksha_client_close_for_exit(), for the 100 ms
# that paho-mqtt-c sleeps doing it); this suite holds the guarantee around
# that: a report stays in the outbox until the broker's PUBACK, the exit
# status says queued (75) or sent (0), and what was queued is sent once.
# The link is tests/tools/blackhole-proxy cut before the connection: the TCP
# connection is accepted, nothing comes back.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
fault_suite

proxy_start "$BROKER_PORT" proxy
URL=mqtt://127.0.0.1:$PROXY_PORT
# Each envelope's bytes in hex, one a line, straight from the broker.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -F '%x' > "$W/arrived" 2> "$W/sub.err" &
SUB=$!
wait_until 10 grep -q "New client connected" "$BROKER_DIR/mosquitto.log" ||
	bail "mosquitto_sub did not connect"
report() {
	"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --timeout "$1" --state mp --region bhopal \
		--agency grp report --name "$2" --age 9 2>> "$W/pub.err"
}
# copies ID: how many envelopes that arrived hold report id ID (in hex).
copies() { grep -c "$(echo "$1" | tr -d -)" "$W/arrived"; }

proxy_cut || bail "the proxy did not cut the link"
id1=$(report 2 "Child one")
rc=$?
is "$rc" 75 "no answer from the broker: raksha-publish report exits 75 (queued)"
ok "  it printed the report's id" test -n "$id1"
ok "  its envelope is in the outbox (raksha-publish outbox lists that report)" \
	sh -c "'$RAKSHA_PUBLISH' --outbox '$W/outbox' outbox 2> /dev/null | grep -q -- '$id1'"
is "$(outbox_count "$W/outbox")" 1 "  and only it"
ok "  stderr says it was kept for 'raksha-publish flush'" grep -q "kept in the outbox" "$W/pub.err"
sleep 0.5
is "$(wc -l < "$W/arrived" | tr -d ' ')" 0 "  nothing reached the broker's subscribers"

proxy_restore || bail "the proxy did not restore the link"
id2=$(report 10 "Child two")
rc=$?
is "$rc" 0 "the broker answers: the next raksha-publish report exits 0 (sent)"
is "$(outbox_count "$W/outbox")" 0 "  and empties the outbox: the report queued before went first"
wait_until 10 at_least 2 lines_in "$W/arrived" "" || true
sleep 1  # a second copy would come now
is "$(wc -l < "$W/arrived" | tr -d ' ')" 2 "two envelopes arrived"
is "$(copies "$id1")" 1 "  the one queued while the broker was silent, once"
is "$(copies "$id2")" 1 "  the one sent at once, once"
id3=$(report 10 "Child three")
is "$?" 0 "a third, with the link up: exit 0"
wait_until 10 at_least 3 lines_in "$W/arrived" "" || true
is "$(copies "$id3")" 1 "  arrived once"
is "$(outbox_count "$W/outbox")" 0 "  the outbox empty"

# Connected, the PUBLISH sent, no PUBACK: the outbox's lock held (flock) so
# that raksha-publish, connected, waits to send; the link cut, then the
# lock let go: the PUBLISH goes into the dead link.
connections() { lines_in "$BROKER_DIR/mosquitto.log" "New client connected"; }
had=$(connections)
flock "$W/outbox/.lock" sh -c "n=0; while [ ! -e '$W/go' ] && [ \$n -lt 300 ]; do sleep 0.1; n=\$((n + 1)); done" &
LOCKER=$!
wait_until 10 sh -c "! flock -n '$W/outbox/.lock' true" || bail "the outbox's lock was not taken"
report 4 "Child four" > "$W/id4" &
PUB=$!
wait_until 20 at_least $((had + 1)) connections || bail "raksha-publish did not connect"
proxy_cut || bail "the proxy did not cut the link"
: > "$W/go"
wait "$LOCKER"
wait "$PUB"
rc=$?
id4=$(cat "$W/id4")
is "$rc" 75 "connected, PUBLISH sent into a dead link, no PUBACK: exit 75 (queued)"
ok "  the report is still in the outbox" \
	sh -c "'$RAKSHA_PUBLISH' --outbox '$W/outbox' outbox 2> /dev/null | grep -q -- '$id4'"
is "$(copies "$id4")" 0 "  and has not reached the broker's subscribers"
kill -HUP "$PROXY_PID"  # the dead connection goes, and the PUBLISH it held
wait_until 5 at_least 1 lines_in "$PROXY_OUT" dropped || bail "the proxy did not drop its connections"
proxy_restore || bail "the proxy did not restore the link"
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --timeout 10 flush 2>> "$W/pub.err"
is "$?" 0 "the link back: raksha-publish flush exits 0"
is "$(outbox_count "$W/outbox")" 0 "  the outbox empty"
wait_until 10 at_least 1 copies "$id4" || true
sleep 1  # a second copy would come now
is "$(copies "$id4")" 1 "  the report arrived once"
kill "$PROXY_PID"; wait "$PROXY_PID"; rc=$?; PROXY_PID=
is "$rc" 0 "blackhole-proxy exits 0 on SIGTERM"
ok "no sanitizer report from the publishers or the proxy" clean_logs "$W/pub.err" "$W/proxy.err"
