#!/bin/sh
# 16: remote replay through a mosquitto with passwords and an ACL: an
# archive agent (role = archive) answers a supervisor with exactly what a
# local replay of its database prints, for each filter and format; an
# officer's request never reaches it; a malformed request is answered with
# an end frame naming the problem (read by mosquitto_sub and protoc); a
# drill case's ack marked DRILL remote as local (ReplayItem.exercise); 300
# messages arrive complete and in order; an archive subscribed to raksha/#
# does not take its own answers for requests.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-remote.XXXXXX")
ARCHIVE= WIDE= SUB=
cleanup() {
	for p in $ARCHIVE $WIDE $SUB; do kill "$p" 2>/dev/null; done
	dev_broker_stop
	rm -rf "$W"
}
trap cleanup EXIT
cd "$W" || bail "no folder"
show() { [ -s "$1" ] && sed 's/^/# /' "$1" | head -n 20; return 0; }
# A TAP description cannot hold "#" (it starts a directive).
nohash() { printf '%s' "$*" | sed 's/#/(hash)/g'; }
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/replay.proto"
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }

# --- the broker: passwords and an ACL by role ----------------------------------
broker_start_acl "$W" "max_packet_size 2098176
max_queued_bytes 0
max_inflight_messages 20
connection_messages true" archive supervisor officer publisher <<'EOF'
user archive
topic readwrite raksha/#

user supervisor
topic write raksha/replay/+/request/+
topic read raksha/replay/+/response/#
topic read raksha/v1/#

user officer
topic readwrite raksha/v1/#

user publisher
topic readwrite raksha/v1/#
EOF
URL=mqtt://127.0.0.1:$BROKER_PORT
out=$(mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/mp/bhopal/grp/report -m x 2>&1); rc=$?
ok "the broker refuses anonymous clients" test "$rc" -ne 0
contains "$out" "not authorised" "  not authorised"

# --- the archive, and what it logs ------------------------------------------------
archive_conf() {  # ID DATABASE FILTER
	printf '[agent]\nid = %s\nstate = mp\nregion = state\nagency = control\ndatabase = %s\n' "$1" "$2"
	printf 'role = archive\noutbox = %s\n' "$W/outbox-$1"
	printf '[broker]\nurl = %s\nusername = archive\npassword_file = %s\n' "$URL" "$W/archive.pw"
	printf '[subscribe]\nfilter = %s\n' "$3"
}
DB=$W/archive.db
archive_conf mp-archive "$DB" 'raksha/v1/#' > archive.conf
"$RAKSHA_AGENT" --config archive.conf --foreground > archive.out 2> archive.err &
ARCHIVE=$!
for _ in $(seq 100); do grep -q "connected;" archive.err && break; sleep 0.1; done
contains "$(cat archive.err)" "connected; subscribed to 1 filter(s)" \
	"the archive agent connects with [broker] username and password_file"
q() { if [ -s "$DB" ]; then sqlite3 "$DB" "$1" 2>/dev/null || echo 0; else echo 0; fi; }
wait_rows() { for _ in $(seq 150); do [ "$(q "$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }

cat > pub.conf <<EOF
[origin]
state = mp
region = bhopal
agency = grp
unit = GRP Bhopal control room
[broker]
url = $URL
username = publisher
password_file = $W/publisher.pw
EOF
pub() { "$RAKSHA_PUBLISH" --config pub.conf --outbox "$W/outbox" "$@"; }
R1=$(pub report --name "सीमा कुमारी" --age 9 --station BPL --train 12627 --coach S4); rc=$?
is "$rc" 0 "raksha-publish --config with [broker] username and password_file"
# A drill, acknowledged: its ack is marked by its case (ReplayItem.exercise).
R2=$(pub --region itarsi --agency rpf report --name "Ravi" --age 7 --exercise)
pub --agency rpf ack --report "$R2" --state acting > /dev/null
pub sighting --report "$R1" --station ET > /dev/null
pub --agency rpf ack --report "$R1" --state acting > /dev/null
pub --region itarsi --agency rpf ack --report "$R1" --state received > /dev/null
pub update --report "$R1" --status found > /dev/null
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u publisher -P "$(cat publisher.pw)" -q 1 \
	-t raksha/v1/mp/bhopal/grp/report -m "not protobuf"
# An officer may publish on the bus (the ACL, not the password, keeps them from replay).
printf '[origin]\nstate = up\nregion = lucknow\nagency = grp\n[broker]\nurl = %s\nusername = officer\npassword_file = %s\n' \
	"$URL" "$W/officer.pw" > officer.conf
"$RAKSHA_PUBLISH" --config officer.conf --outbox "$W/outbox-officer" report --name "Kiran" --age 5 > /dev/null; rc=$?
is "$rc" 0 "an officer publishes a report with their own credentials"
wait_rows "SELECT count(*) FROM rejected" 1
wait_rows "SELECT count(*) FROM messages WHERE kind <> 'agent'" 8 || bail "the archive did not log the publications"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 3 "the archive logged the three reports"

# --- only a supervisor may ask ----------------------------------------------------------
remote() {  # USER ARGS...
	u=$1; shift
	"$RAKSHA_REPLAY" --remote --archive mp-archive --url "$URL" --username "$u" --password-file "$W/$u.pw" \
		--timeout 5 "$@"
}
# First, so that the archive's log holds no replay at all yet.
out=$(remote officer --timeout 2 --kind report 2> officer.err); rc=$?
is "$rc" 69 "an officer's remote replay is never answered: exit 69"
is "$out" "" "  nothing printed"
contains "$(cat officer.err)" "no answer from archive 'mp-archive' within 2 s" "  says there was no answer"
contains "$(cat officer.err)" "may this user ask (broker ACL)?" "  and why that may be"
is "$(grep -c "replay" archive.err)" 0 "  the archive's log shows no replay"
printf 'wrong\n' > wrong.pw
out=$("$RAKSHA_REPLAY" --remote --archive mp-archive --url "$URL" --username supervisor \
	--password-file wrong.pw --timeout 2 2>&1 >/dev/null); rc=$?
is "$rc" 69 "a wrong password: exit 69"
contains "$out" "cannot reach the broker at $URL" "  the broker did not let it in"
out=$(remote supervisor --password-file "$W/nothing.pw" 2>&1 >/dev/null); rc=$?
is "$rc" 66 "an unreadable --password-file: exit 66"
contains "$out" "--password-file $W/nothing.pw: cannot read it" "  says so"

# --- a supervisor's remote replay is exactly the local replay ---------------------------
same() {  # ARGS...: the supervisor's remote replay and the local one, byte for byte
	remote supervisor "$@" > remote.out 2> remote.err; rc=$?
	"$RAKSHA_REPLAY" --db "$DB" "$@" > local.out 2> local.err
	d=$(nohash "$*")
	is "$rc" 0 "--remote $d: exit 0"
	ok "  the same bytes as --db $d ($(wc -c < local.out | tr -d ' ') bytes)" cmp -s remote.out local.out
	cmp -s remote.out local.out || { show remote.err; diff remote.out local.out | head -n 20 | sed 's/^/# /'; }
}
M=$(q "SELECT seq FROM messages WHERE kind = 'ack' ORDER BY seq LIMIT 1")
ms=$(q "SELECT received_at_ms FROM messages WHERE seq = $M")
until_ms=$(q "SELECT received_at_ms FROM messages WHERE kind = 'update'")
iso_z() { printf '%s.%03dZ' "$(date -u -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%S)" $(($1 % 1000)); }
same --format json
same --format text
same --format raw
same --format json --topic 'raksha/v1/mp/+/+/report'
same --format json --topic 'raksha/v1/mp/itarsi/#' --topic raksha/v1/up/lucknow/grp/report
same --format json --kind ack --kind sighting
contains "$(remote supervisor --kind ack)" "DRILL ACK mp/bhopal/rpf  acting" "  a drill's ack says DRILL, remote as local"
same --format json --report "$R1"
same --format text --report "$R1"
same --format json --since "$(iso_z "$ms")"
same --format json --since "$(iso_z "$ms")" --until "$(iso_z "$until_ms")"
same --format json --rejected
same --format text --rejected
same --format json --limit 3
is "$(remote supervisor --format json --report "$R1" | grep -c '')" \
	"$(q "SELECT count(*) FROM messages WHERE hex(report_id) = '$(hexid "$R1")'")" \
	"  (--report R1 is its report, sighting, two acks and update)"
is "$(remote supervisor --kind escalation; echo "rc=$?")" "rc=0" "a selection of nothing: no lines, exit 0"

# --- malformed requests are answered with an error ----------------------------------------
# ask CORRELATION PAYLOAD: publishes a raw request as the supervisor and prints
# what protoc decodes of the frames on the response topic (an end frame ends it).
ask() {
	resp=raksha/replay/mp-archive/response/$1
	stdbuf -oL mosquitto_sub -d -h 127.0.0.1 -p "$BROKER_PORT" -u supervisor -P "$(cat supervisor.pw)" -q 1 \
		-t "$resp" -F '%t %x' -W 20 > "ask-$1.out" 2>&1 &
	SUB=$!
	for _ in $(seq 100); do grep -q '^Subscribed (mid' "ask-$1.out" && break; sleep 0.05; done
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u supervisor -P "$(cat supervisor.pw)" -q 1 \
		-t "raksha/replay/mp-archive/request/$1" -m "$2"
	for _ in $(seq 100); do grep -q "^$resp " "ask-$1.out" && break; sleep 0.05; done
	sleep 0.2  # anything after the end frame would show now
	kill "$SUB" 2>/dev/null; wait "$SUB" 2>/dev/null; SUB=
	grep "^$resp " "ask-$1.out" | while read -r _ hex; do
		printf '%s\n' "$hex" | unhex | protoc $PROTO --decode=raksha.v1.ReplayFrame
	done
}
for case in "bad-json|not json|not JSON: \\'[\\' or \\'{\\' expected near \\'not\\' at byte 3" \
	"bad-key|{\"colour\":\"blue\"}|unknown key \\'colour\\'" \
	"bad-filter|{\"topics\":[\"raksha/#/x\"]}|topics: \\'raksha/#/x\\' is not an MQTT topic filter" \
	"bad-kind|{\"kinds\":[\"parcel\"]}|kinds: \\'parcel\\' is not a kind" \
	"bad-report|{\"report\":\"R1\"}|report: not a UUID" \
	"bad-time|{\"since_ms\":-5}|since_ms: not a whole number of 0 or more" \
	"bad-mix|{\"rejected\":true,\"kinds\":[\"report\"]}|rejected: takes no kinds or report"; do
	corr=${case%%|*} rest=${case#*|}
	payload=${rest%%|*} error=${rest#*|}
	is "$(ask "$corr" "$payload")" "end {
  error: \"$error\"
}" "$(nohash "a malformed request ($payload): one end frame, protoc reads its error")"
done
contains "$(cat archive.err)" "replay request on raksha/replay/mp-archive/request/bad-key refused: unknown key 'colour'" \
	"  the archive logs each refusal"
is "$(remote supervisor --format json --kind report | grep -c '')" 3 "  and goes on answering"

# --- a large answer -----------------------------------------------------------------------
"$FILL_OUTBOX" "$W/burst" 300 || bail "fill-outbox"
"$RAKSHA_PUBLISH" --config pub.conf --outbox "$W/burst" flush 2> flush.err; rc=$?
is "$rc" 0 "300 reports flushed with the publisher's credentials"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" 303
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 303 "  the archive logged them"
cat > ids.py <<'EOF'
import json, sys
for line in sys.stdin:
    print(json.loads(line)["message_id"])
EOF
UUID_SQL="lower(substr(hex(message_id), 1, 8) || '-' || substr(hex(message_id), 9, 4) || '-' ||
	substr(hex(message_id), 13, 4) || '-' || substr(hex(message_id), 17, 4) || '-' || substr(hex(message_id), 21))"
remote supervisor --format json > big.out 2> big.err; rc=$?
is "$rc" 0 "--remote over $(q "SELECT count(*) FROM messages") messages: exit 0"
is "$(/usr/bin/python3 ids.py < big.out | grep -c '')" "$(q "SELECT count(*) FROM messages")" "  every message arrived"
ok "  their ids in the archive's order" \
	test "$(/usr/bin/python3 ids.py < big.out)" = "$(q "SELECT $UUID_SQL FROM messages ORDER BY seq")"
"$RAKSHA_REPLAY" --db "$DB" --format json > big-local.out
ok "  byte for byte the local replay" cmp -s big.out big-local.out
same --format raw --kind report --since "$(iso_z "$ms")"

# --- an archive subscribed to raksha/# receives its own answers, and does not
# take them for requests (it would answer them on their own topic for ever) -------
archive_conf mp-archive-wide "$W/wide.db" 'raksha/#' > wide.conf
"$RAKSHA_AGENT" --config wide.conf --foreground > wide.out 2> wide.err &
WIDE=$!
for _ in $(seq 100); do grep -q "connected;" wide.err && break; sleep 0.1; done
out=$("$RAKSHA_REPLAY" --remote --archive mp-archive-wide --url "$URL" --username supervisor \
	--password-file supervisor.pw --timeout 5 --kind agent 2>&1); rc=$?
is "$rc" 0 "an archive subscribed to raksha/# answers"
for _ in $(seq 100); do grep -q 'replay on' wide.err && break; sleep 0.05; done
sleep 0.5  # an answer taken for a request would be answered again at once
is "$(grep -c 'replay on' wide.err)" 1 "  once"
is "$(grep -c 'replay request' wide.err)" 0 "  and takes none of its answers for a request"

kill -TERM "$ARCHIVE" "$WIDE"
wait "$ARCHIVE"; rc=$?
wait "$WIDE"
ARCHIVE= WIDE=
is "$rc" 0 "the archive stops cleanly"
ok "no sanitizer report in the agents' logs" sh -c "! grep -qE 'runtime error|Sanitizer' archive.err wide.err"
done_testing
