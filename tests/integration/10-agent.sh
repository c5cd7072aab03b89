#!/bin/sh
# 10: raksha-agent against a real mosquitto and a real SQLite file: reports
# logged, printed and in the case view; a redelivery stored once; revision 2
# supersedes 1; malformed input (a priority of -1 among it) rejected with its reason while ingestion
# goes on; what was published while the agent was down arrives when it
# returns; killed with SIGKILL during a burst, it ends with every report
# exactly once; -n on good and bad configurations.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
agent_conf mp-bhopal-grp-1 "raksha/v1/+/+/+/report raksha/v1/mp/#" \
	"unit = GRP Bhopal control room" "durability = crash" "outbox = $W/local" > "$W/agent.conf"
start_agent() { "$RAKSHA_AGENT" --config "$W/agent.conf" --foreground >> "$W/fg.out" 2>> "$W/fg.err" & AGENT=$!; }
pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/outbox" --state mp \
	--region bhopal --agency grp --unit "GRP Post Bhopal Jn" "$@"; }

out=$("$RAKSHA_AGENT" -n --config "$W/agent.conf"); rc=$?
is "$rc" 0 "-n on a good configuration: exit 0"
is "$out" "configuration OK" "  says configuration OK"
sed '/^\[broker\]/a username = mp-bhopal-grp-2' "$W/agent.conf" > "$W/other-user.conf"
out=$("$RAKSHA_AGENT" -n --config "$W/other-user.conf" 2> "$W/err"); rc=$?
is "$rc:$out" "0:configuration OK" "-n with a username that is not the id: still OK"
contains "$(cat "$W/err")" "[broker] username 'mp-bhopal-grp-2' is not [agent] id 'mp-bhopal-grp-1': a broker that binds client ids to usernames (raksha-clientid) refuses this agent" \
	"  and warns that a production broker refuses it"
sed '/^\[broker\]/a username = mp-bhopal-grp-1' "$W/agent.conf" > "$W/own-user.conf"
"$RAKSHA_AGENT" -n --config "$W/own-user.conf" > /dev/null 2> "$W/err"
is "$(cat "$W/err")" "" "  its own id as username: no warning"
printf '[agent]\nid = Bad_ID\ncolour = blue\n[broker]\nurl = http://x\n[subscribe]\nfilter = a/#/b\n' > "$W/bad.conf"
"$RAKSHA_AGENT" -n --config "$W/bad.conf" > /dev/null 2> "$W/err"; rc=$?
is "$rc" 78 "-n on a bad configuration: exit 78 (EX_CONFIG)"
for want in "bad.conf:2: id: 'Bad_ID' must match" "bad.conf:3: unknown key 'colour' in [agent]" \
	"bad.conf:5: url: 'http://x' is not mqtt://" "bad.conf:7: filter: 'a/#/b' is not an MQTT topic filter" \
	"bad.conf: [agent] database is missing"; do
	contains "$(cat "$W/err")" "$want" "  reports: $want"
done

start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"
id=$(pub report --name "सीमा कुमारी" --age 9 --gender female --station BPL --train 12627 --coach S4)
ok "report published" test -n "$id"
wait_rows "SELECT count(*) FROM cases" 1
is "$(q "SELECT child_name || '|' || revision || '|' || status || '|' || station || '|' || coach FROM cases")" \
	"सीमा कुमारी|1|open|BPL|S4" "report in the case view"
sleep 0.3
contains "$(cat "$W/fg.out")" "REPORT mp/bhopal/grp  सीमा कुमारी, 9, F, last seen BPL 12627 coach S4  id $id" \
	"printed as one readable line"

# The same bytes twice, as a broker redelivery would send them.
"$MAKE_SAMPLE" sighting "$W/s.bin" --fresh > "$W/s.topic"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$(cat "$W/s.topic")" -f "$W/s.bin"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$(cat "$W/s.topic")" -f "$W/s.bin"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'sighting'" 1
sleep 0.5
is "$(q "SELECT count(*) FROM messages WHERE kind = 'sighting'")" 1 "a redelivered message is stored once"

pub report --revise "$id" --coach S5 > /dev/null
wait_rows "SELECT revision FROM cases WHERE child_name = 'सीमा कुमारी'" 2
is "$(q "SELECT revision || '|' || coach FROM cases WHERE child_name = 'सीमा कुमारी'")" "2|S5" \
	"revision 2 supersedes 1"

# Malformed input: stored apart with the reason, and ingestion goes on.
T=raksha/v1/mp/bhopal/grp
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/report -m "not protobuf"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/report -f "$W/s.bin"
"$MAKE_SAMPLE" report "$W/r.bin" --fresh > /dev/null
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/mp/bhopal/rpf/report -f "$W/r.bin"
head -c 2097200 /dev/zero > "$W/big.bin"  # over 2 MiB, under the broker's packet limit
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/report -f "$W/big.bin"
perl -pe 's/\xe0\xa4\xb8\xe0\xa5\x80/\xff\xa4\xb8\xe0\xa5\x80/' "$W/r.bin" > "$W/utf8.bin"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/report -f "$W/utf8.bin"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/mp/bhopal/grp/bogus -f "$W/r.bin"
# MQTT allows a level of any length; the journal keeps what it acknowledged.
long=raksha/v1/mp/$(printf '%0300d' 0 | tr 0 x)/grp/report
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$long" -f "$W/r.bin"
# A priority the schema does not name, written by protoc from text (-1: a
# ten-byte varint on the wire), as a hand or another program would.
cat > "$W/minus.txt" <<TXT
message_id: "\x01\x93\x6e\x2a\x7b\x40\x71\x23\x8a\xbc\xde\xad\xbe\xef\x00\x31"
sent_at_ms: $(($(date +%s) * 1000))
origin { state: "mp" region: "bhopal" agency: "grp" unit: "GRP Post Bhopal Jn" }
report {
  report_id: "\x01\x93\x6e\x2a\x7b\x40\x71\x23\x8a\xbc\xde\xad\xbe\xef\x00\x32"
  revision: 1
  priority: -1
  child { name: "Minus One" }
}
TXT
protoc --proto_path="$RAKSHA_SOURCE_ROOT/schemas" raksha/v1/raksha.proto --encode=raksha.v1.Envelope \
	< "$W/minus.txt" > "$W/minus.bin" || bail "protoc --encode failed"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/report -f "$W/minus.bin"
id2=$(pub ack --report "$id" --state acting)
wait_rows "SELECT count(*) FROM acks" 1
is "$(q "SELECT group_concat(cause, ',') FROM (SELECT cause FROM rejected ORDER BY seq)")" \
	"undecodable,kind-mismatch,origin-mismatch,oversize,utf8,bad-topic,bad-topic,invalid" \
	"rejected: garbage, a sighting on a report topic, a report on another unit's topic, over 2 MiB, invalid UTF-8, a bad topic, a topic of 320 bytes, priority -1"
is "$(q "SELECT reason FROM rejected WHERE cause = 'invalid'")" \
	"report.priority: -1 is not a value of raksha.v1.Priority" "  priority -1: refused naming the field and the number"
is "$(q "SELECT count(*) FROM cases WHERE child_name = 'Minus One'")" 0 "  and no case made of it"
is "$(q "SELECT length(topic) FROM rejected WHERE cause = 'bad-topic' ORDER BY seq DESC LIMIT 1")" "${#long}" \
	"  the long topic stored whole, not lost between the journal and the database"
is "$(q "SELECT size || '|' || length(bytes) FROM rejected WHERE cause = 'oversize'")" "2097200|4096" \
	"  the oversize payload: its size kept, its bytes capped at 4 KiB"
contains "$(q "SELECT reason FROM rejected WHERE cause = 'origin-mismatch'")" "origin.agency: differs from the topic's agency" \
	"  with the reason"
is "$(q "SELECT agency || '|' || ack_state FROM acks")" "grp|acting" "an ack after the bad input is still logged"
contains "$(cat "$W/fg.err")" "rejected undecodable on $T/report" "rejections are logged"

# Down, then back: what was published meanwhile arrives (persistent session).
kill -TERM "$AGENT"; wait "$AGENT"
is "$?" 0 "SIGTERM: clean exit 0"
before=$(q "SELECT count(*) FROM messages WHERE kind = 'report'")
"$FILL_OUTBOX" "$W/away" 100
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/away" flush 2>/dev/null
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" $((before + 100))
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" $((before + 100)) \
	"100 reports published while the agent was down all arrive"

# A report queued on this host while the link was down: the agent sends it.
kill -TERM "$AGENT"; wait "$AGENT"
local_id=$("$RAKSHA_PUBLISH" --url mqtt://127.0.0.1:1 --timeout 1 --outbox "$W/local" --state mp \
	--region bhopal --agency grp report --name "Ravi" --age 7 2>/dev/null)
is "$("$RAKSHA_PUBLISH" --outbox "$W/local" outbox 2>&1 >/dev/null)" "1 envelope(s) waiting in $W/local" \
	"a report waits in the local outbox"
before=$(q "SELECT count(*) FROM messages WHERE kind = 'report'")
start_agent
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'Ravi'" 1
is "$(q "SELECT count(*) FROM cases WHERE child_name = 'Ravi'")" 1 "the agent sent the local outbox when it connected"
for _ in $(seq 50); do [ -z "$(ls "$W/local"/*.msg 2>/dev/null)" ] && break; sleep 0.1; done
is "$("$RAKSHA_PUBLISH" --outbox "$W/local" outbox 2>&1 >/dev/null)" "0 envelope(s) waiting in $W/local" \
	"  and emptied it"
contains "$(cat "$W/fg.err")" "sent 1 envelope(s) from the local outbox" "  and said so"
is "$(q "SELECT count(*) FROM cases WHERE lower(hex(report_id)) = replace('$local_id', '-', '')")" 1 \
	"  it is the report whose id the publisher printed"
before=$(q "SELECT count(*) FROM messages WHERE kind = 'report'")

# SIGKILL in the middle of a burst: afterwards every report exactly once.
"$FILL_OUTBOX" "$W/burst" 300
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/burst" flush 2>/dev/null &
FLUSH=$!
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" $((before + 30))
kill -KILL "$AGENT"; wait "$AGENT" 2>/dev/null
wait "$FLUSH"
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" $((before + 300))
sleep 1
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" $((before + 300)) \
	"after SIGKILL during a burst of 300: every report stored"
is "$(q "SELECT count(DISTINCT message_id) FROM messages")" "$(q "SELECT count(*) FROM messages")" \
	"  and none twice"
is "$(q "PRAGMA integrity_check")" "ok" "the database is intact"

# SIGHUP: a new filter takes effect at once; a bad file changes nothing.
upsight() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/up" --state up \
	--region lucknow --agency grp sighting --report "$id" --station LKO > /dev/null; }
upsight
sleep 0.5
is "$(q "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/up/lucknow/grp/sighting'")" 0 \
	"before the reload, up's sightings are not subscribed"
cp "$W/agent.conf" "$W/agent.conf.good"
printf '[subscribe]\nfilter = raksha/v1/up/+/+/sighting\n' >> "$W/agent.conf"
kill -HUP "$AGENT"
for _ in $(seq 50); do grep -q "reloaded" "$W/fg.err" && break; sleep 0.1; done
contains "$(cat "$W/fg.err")" "reloaded $W/agent.conf: 1 filter(s) added, 0 removed" "SIGHUP reloads: one filter added"
upsight
wait_rows "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/up/lucknow/grp/sighting'" 1
is "$(q "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/up/lucknow/grp/sighting'")" 1 \
	"after the reload, up's sightings arrive"
printf 'this is not ini\n' >> "$W/agent.conf"
kill -HUP "$AGENT"
for _ in $(seq 50); do grep -q "still running on the configuration" "$W/fg.err" && break; sleep 0.1; done
contains "$(cat "$W/fg.err")" "agent.conf has 1 problem(s), listed above; still running" \
	"a bad file on SIGHUP is refused"
contains "$(cat "$W/fg.err")" "agent.conf:$(wc -l < "$W/agent.conf" | tr -d ' '): not a 'key = value' line" \
	"  with its line number"
bad_line=$(grep "agent.conf:$(wc -l < "$W/agent.conf" | tr -d ' '): not a 'key = value' line" "$W/fg.err")
case $bad_line in "<3>raksha-agent: $W/agent.conf:"*) ok "  as an error for journald (<3>): $bad_line" true ;;
	*) ok "  as an error for journald (<3>): $bad_line" false ;; esac
upsight
wait_rows "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/up/lucknow/grp/sighting'" 2
is "$(q "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/up/lucknow/grp/sighting'")" 2 \
	"  and the agent goes on with what it had"
# A name that would forge lines (a line break, then what looks like an error
# of the agent's own, or an ack) or reorder them (a bidi override): every
# text output shows it escaped, on one line, Devanagari intact.
forged=$(printf 'सीमा\n<3>journal: cannot store 9 acknowledged message(s)\n2026-12-04 10:00:00  ACK mp/bhopal/grp  done\342\200\256evil')
fid=$(pub report --name "$forged" --age 9)
wait_rows "SELECT count(*) FROM cases WHERE report_id = x'$(printf '%s' "$fid" | tr -d -)'" 1
sleep 0.3
escaped='सीमा\x0a<3>journal: cannot store 9 acknowledged message(s)\x0a2026-12-04 10:00:00  ACK mp/bhopal/grp  done\xe2\x80\xaeevil'
contains "$(cat "$W/fg.out")" "REPORT mp/bhopal/grp  $escaped, 9" "the foreground line shows the name escaped"
ok "  and no line of it starts a line of its own" test "$(grep -c '^<3>journal: cannot store 9\|^2026-12-04 10:00:00  ACK' "$W/fg.out")" -eq 0
text=$("$RAKSHA_REPLAY" --db "$DB" --kind report)
is "$(printf '%s\n' "$text" | grep -c '')" "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" \
	"raksha-replay's text: still one line per report"
contains "$text" "$escaped" "  the name escaped there too"
ok "  no bidi override reaches the terminal" test "$(printf '%s' "$text" | grep -c "$(printf '\342\200\256')")" -eq 0
is "$(q "SELECT child_name FROM cases WHERE report_id = x'$(printf '%s' "$fid" | tr -d -)'")" "$forged" \
	"  while the database keeps the name as it was sent"
kill -TERM "$AGENT"; wait "$AGENT"
ok "the database file is private (0600)" test "$(stat -c %a "$DB")" = 600
done_testing
