#!/bin/sh
# 01: envelopes of every kind cross a real mosquitto byte for byte; protoc
# (an independent decoder) reads what we encode, and we read what protoc
# (an independent encoder) writes.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
broker_start
W=$BROKER_DIR
PROTO_ARGS="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
KINDS="report sighting update ack escalation agent"

# Hex of a file, one line, as mosquitto_sub -F %x prints payloads.
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
# Binary from hex on stdin.
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }

# Subscribe first (QoS 1), then publish one of each kind plus one made by protoc.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -C 7 -W 20 \
	-F '%t %x' > "$W/received" 2>"$W/sub.err" &
SUB=$!
sleep 0.5
for k in $KINDS; do
	topic=$("$MAKE_SAMPLE" "$k" "$W/$k.bin" --fresh) || bail "make-sample $k failed"
	echo "$topic" > "$W/$k.topic"
	mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$topic" -f "$W/$k.bin" ||
		bail "mosquitto_pub $k failed"
done

# An envelope written by protoc from text, knowing nothing of libraksha.
now_ms=$(($(date +%s) * 1000))
cat > "$W/ext.txt" <<TXT
message_id: "\x01\x93\x6e\x2a\x7b\x40\x71\x23\x8a\xbc\xde\xad\xbe\xef\x00\x01"
sent_at_ms: $now_ms
origin { state: "up" region: "lucknow" agency: "childline" unit: "ChildLine Lucknow" }
report {
  report_id: "\x01\x93\x6e\x2a\x7b\x40\x71\x23\x8a\xbc\xde\xad\xbe\xef\x00\x02"
  revision: 1
  status: CASE_STATUS_OPEN
  priority: PRIORITY_CRITICAL
  child { name: "Ravi" age_years: 0 gender: GENDER_MALE }
  last_seen { station_code: "LKO" train_number: "12230" coach: "B2" }
}
TXT
protoc $PROTO_ARGS --encode=raksha.v1.Envelope < "$W/ext.txt" > "$W/ext.bin" || bail "protoc --encode failed"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/up/lucknow/childline/report -f "$W/ext.bin"
wait "$SUB"
is "$(wc -l < "$W/received" | tr -d ' ')" 7 "7 messages received by mosquitto_sub"

for k in $KINDS; do
	line=$(grep "^$(cat "$W/$k.topic") " "$W/received")
	is "${line#* }" "$(hex "$W/$k.bin")" "$k: payload arrives byte for byte on $(cat "$W/$k.topic")"
	printf '%s' "${line#* }" | unhex > "$W/$k.rx"
	ok "$k: protoc --decode reads it" sh -c "protoc $PROTO_ARGS --decode=raksha.v1.Envelope < '$W/$k.rx' > '$W/$k.txt'"
done

decoded=$(cat "$W/report.txt")
contains "$decoded" 'station_code: "BPL"' "report: protoc sees last_seen.station_code"
contains "$decoded" 'train_number: "12627"' "report: protoc sees last_seen.train_number"
contains "$decoded" 'coach: "S4"' "report: protoc sees last_seen.coach"
contains "$decoded" 'age_years: 9' "report: protoc sees child.age_years"
contains "$decoded" 'other_names: "Seema Kumari"' "report: protoc sees child.other_names"
contains "$decoded" 'media_type: "image/jpeg"' "report: protoc sees the photo"
contains "$decoded" 'fir_number: "0123/2026"' "report: protoc sees case_ref.fir_number"
contains "$decoded" 'priority: PRIORITY_URGENT' "report: protoc sees the priority by name"
contains "$(cat "$W/ack.txt")" 'state: ACK_STATE_ACTING' "ack: protoc sees the ack state"
contains "$(cat "$W/agent.txt")" 'agent_id: "mp-bhopal-grp-1"' "agent: protoc sees the agent id"

# Our decoder on everything the broker delivered, including protoc's envelope.
"$RAKSHA_INSPECT" --lines < "$W/received" > "$W/inspected"
is "$(grep -c ' {"message_id":' "$W/inspected")" 7 "raksha-inspect decodes all 7 as JSON (topic rules included)"
is "$(grep -c ' REJECT ' "$W/inspected")" 0 "raksha-inspect rejects none"
ext=$(grep '^raksha/v1/up/lucknow/childline/report ' "$W/inspected")
contains "$ext" '"name":"Ravi"' "protoc-made report: child's name read"
contains "$ext" '"age_years":0' "protoc-made report: age 0 kept as an age"
contains "$ext" '"report_id":"01936e2a-7b40-7123-8abc-deadbeef0002"' "protoc-made report: id as UUID text"
contains "$(grep ' {"message_id' "$W/inspected" | head -1)" '"sent_at_ms":' "JSON lines carry sent_at_ms"
contains "$(cat "$W/inspected")" '"name":"सीमा कुमारी"' "Devanagari name survives the trip as UTF-8"
done_testing
