#!/bin/sh
# 05: raksha-publish against a real mosquitto: every flag reaches the wire
# (read back by protoc), an unreachable broker leaves the report in the
# outbox (exit 75) and flush delivers it once, a publisher killed mid-send
# loses and changes nothing, and each bad input has its own message and code.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
broker_start
W=$BROKER_DIR
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
URL="mqtt://127.0.0.1:$BROKER_PORT"
export TZ=Asia/Kolkata
pub() { "$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --timeout 5 \
	--state mp --region bhopal --agency grp --unit "GRP Post Bhopal Jn" "$@"; }
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }
# settle PID: the broker has answered every PUBACK, so what it will deliver is
# on its way; give it a second to arrive (and any duplicate with it), then stop
# the subscriber.
settle() { sleep 1; kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# photo_seen ENVELOPE: its report's first photo, as "WxH" (by its SOF0),
# the APPn and COM markers before its scan, whether it is within 900 KiB,
# has an 'Exif' byte, a 'GPS' byte (raksha-inspect's base64 walked here).
photo_seen() { "$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report "$1" | /usr/bin/python3 -c '
import base64, json, sys
d = base64.b64decode(json.load(sys.stdin)["report"]["child"]["photos"][0]["data"])
at, seen, size = 2, [], "?"
while d[at] == 0xff and d[at + 1] != 0xda:
    m, n = d[at + 1], d[at + 2] << 8 | d[at + 3]
    if m == 0xc0:
        size = "%dx%d" % (d[at + 7] << 8 | d[at + 8], d[at + 5] << 8 | d[at + 6])
    if 0xe0 <= m <= 0xef or m == 0xfe:
        seen.append("APP%d" % (m - 0xe0) if m != 0xfe else "COM")
    at += 2 + n
print(size, " ".join(seen), len(d) <= 900 * 1024, b"Exif" in d, b"GPS" in d)'; }
# A small camera JPEG and a PNG: --photo sends each as a JPEG it made.
"$MAKE_PHOTO" 64 48 1 0 "$W/child.jpg" || bail "make-photo failed"
/usr/bin/python3 - "$W/child.png" <<'PY'
import struct, sys, zlib
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
rows = b"".join(b"\0" + bytes([200, 40, 40]) * 32 for _ in range(24))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 24, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY

# --- every flag, read back by an independent decoder -------------------------
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -C 1 -W 20 -F '%t %x' > "$W/one" &
SUB=$!
sleep 0.5
id=$(pub --sender-id mp-bhopal-grp-desk1 --officer-name "SI Anita Verma" --officer-badge GRP-4521 \
	--officer-phone "+91 755 2550000" report --name "सीमा कुमारी" --other-name "Seema Kumari" \
	--age 9 --gender female --height-cm 122 --build thin --complexion wheatish --hair "black, two plaits" \
	--clothing "red frock" --marks "mole under left eye" --language hi --language bundeli \
	--photo "$W/child.jpg" --photo "$W/child.png" --guardian-name "रामेश्वर" --guardian-relation father \
	--guardian-phone +919876543210 --address "Ward 12, Vidisha" --last-seen-at "2026-11-29 10:05" \
	--last-seen-place "platform 1" --district bhopal --station BPL --train 12627 --coach S4 \
	--lat 23.2599 --lon 77.4126 --fir 0123/2026 --police-station "Kotwali Vidisha" --priority 4 \
	--exercise --notes "towards Itarsi"); rc=$?
wait $SUB
is "$rc" 0 "report with every flag: exit 0 (acknowledged)"
ok "prints the report id as UUID text" sh -c "printf '%s' '$id' | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'"
is "$(cut -d' ' -f1 "$W/one")" "raksha/v1/mp/bhopal/grp/report" "published on raksha/v1/mp/bhopal/grp/report"
cut -d' ' -f2 "$W/one" | unhex > "$W/one.bin"
dec=$(protoc $PROTO --decode=raksha.v1.Envelope < "$W/one.bin")
for want in 'state: "mp"' 'unit: "GRP Post Bhopal Jn"' 'sender_id: "mp-bhopal-grp-desk1"' \
	'officer_name: "SI Anita Verma"' 'officer_badge: "GRP-4521"' 'officer_phone: "+91 755 2550000"' \
	'revision: 1' 'status: CASE_STATUS_OPEN' 'priority: PRIORITY_URGENT' 'exercise: true' \
	'other_names: "Seema Kumari"' 'age_years: 9' 'gender: GENDER_FEMALE' 'height_cm: 122' \
	'build: "thin"' 'complexion: "wheatish"' 'hair: "black, two plaits"' 'clothing: "red frock"' \
	'identifying_marks: "mole under left eye"' 'languages: "hi"' 'languages: "bundeli"' \
	'media_type: "image/jpeg"' 'relation: "father"' 'phone: "+919876543210"' \
	'home_address: "Ward 12, Vidisha"' 'time_ms: 1795926900000' 'description: "platform 1"' \
	'district: "bhopal"' 'station_code: "BPL"' 'train_number: "12627"' 'coach: "S4"' \
	'latitude: 23.2599' 'longitude: 77.4126' 'fir_number: "0123/2026"' \
	'police_station: "Kotwali Vidisha"' 'notes: "towards Itarsi"'; do
	contains "$dec" "$want" "protoc sees $want"
done
json=$("$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report "$W/one.bin")
contains "$json" "\"report_id\":\"$id\"" "the printed id is the report's id"
is "$(printf '%s\n' "$dec" | grep -c 'media_type: "image/jpeg"')" 2 "both photos sent, the PNG as a JPEG too"
contains "$json" '"name":"सीमा कुमारी"' "Devanagari name intact"
contains "$json" '"name":"रामेश्वर"' "Devanagari guardian name intact"
is "$(pub outbox 2>&1 >/dev/null)" "0 envelope(s) waiting in $W/outbox" "acknowledged: nothing left in the outbox"

# --- a phone's photo: normalised before it leaves (issue 17) -----------------
# A 4000 x 3000 camera JPEG of several MB, its EXIF holding GPS tags and
# Orientation 6 (held upright, stored on its side), an ICC profile and a
# comment: it was refused as larger than 900 KiB. It is sent at 768 x
# 1024, turned upright, with no marker but the pixels'.
"$MAKE_PHOTO" 4000 3000 6 25 "$W/phone.jpg" || bail "make-photo failed"
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -C 1 -W 20 -F '%x' > "$W/photo.hex" &
SUB=$!
sleep 0.5
pub report --name "Phone Photo" --age 6 --photo "$W/phone.jpg" > /dev/null 2> "$W/photo.err"; rc=$?
wait $SUB
is "$rc" 0 "--photo of a $(wc -c < "$W/phone.jpg")-byte 4000 x 3000 camera JPEG: exit 0"
contains "$(cat "$W/photo.err")" "bytes, sent as a 768 x 1024 JPEG of" "  stderr tells its size before and after"
unhex < "$W/photo.hex" > "$W/photo.bin"
contains "$(protoc $PROTO --decode=raksha.v1.Envelope < "$W/photo.bin")" 'media_type: "image/jpeg"' \
	"  protoc decodes a Photo of image/jpeg"
got=$(photo_seen "$W/photo.bin")
is "$got" "768x1024 APP0 True False False" \
	"  the photo received: 768 x 1024 baseline (upright), only APP0 (JFIF), within 900 KiB, no Exif nor GPS"

# The same photo in a --from JSON (base64, as an integrator sends it) was
# sent as given, EXIF and all; it is normalised as --photo's is.
/usr/bin/python3 -c '
import base64, hashlib, json, sys
b = open(sys.argv[1], "rb").read()
print(json.dumps({"child": {"name": "Phone Photo", "age_years": 6, "photos": [{"media_type": "image/jpeg",
    "data": base64.b64encode(b).decode(), "sha256": base64.b64encode(hashlib.sha256(b).digest()).decode(),
    "caption": "from the phone"}]}}))' "$W/phone.jpg" > "$W/phone.json"
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -C 1 -W 20 -F '%x' > "$W/from.hex" &
SUB=$!
sleep 0.5
pub report --from "$W/phone.json" > /dev/null 2> "$W/from.err"; rc=$?
wait $SUB
is "$rc" 0 "--from a JSON holding that camera JPEG: exit 0"
contains "$(cat "$W/from.err")" "--from $W/phone.json: child.photos[0]: $(wc -c < "$W/phone.jpg") bytes (an APP1 segment (metadata) at byte 20), sent as a 768 x 1024 JPEG of" \
	"  stderr names the photo, why it was normalised, its size before and after"
unhex < "$W/from.hex" > "$W/from.bin"
is "$(photo_seen "$W/from.bin")" "768x1024 APP0 True False False" \
	"  the photo received: 768 x 1024 baseline (upright), only APP0 (JFIF), within 900 KiB, no Exif nor GPS"
contains "$("$RAKSHA_INSPECT" --photo-sizes "$W/from.bin")" '"caption":"from the phone"' "  its caption kept"

# --- broker down: exit 75, kept; flush delivers exactly one copy ----------------
DOWN="mqtt://127.0.0.1:1"  # nothing listens on port 1
out=$("$RAKSHA_PUBLISH" --url "$DOWN" --outbox "$W/ob2" --timeout 2 --state mp --region bhopal \
	--agency grp report --name Ravi --age 7 2>"$W/err"); rc=$?
is "$rc" 75 "broker unreachable: exit 75 (EX_TEMPFAIL)"
contains "$(cat "$W/err")" "could not be reached (timeout 2 s); 1 envelope(s) kept in the outbox" "says it is kept"
ok "still prints the report id" test -n "$out"
listing=$("$RAKSHA_PUBLISH" --outbox "$W/ob2" outbox 2>/dev/null)
is "$(printf '%s\n' "$listing" | tail -n +2 | wc -l | tr -d ' ')" 1 "outbox lists one entry"
contains "$listing" "$out" "the listing shows the report id that was printed"
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -W 30 -F '%x' > "$W/flushed" &
SUB=$!
sleep 0.5
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob2" flush 2>"$W/err"; rc=$?
is "$rc" 0 "flush: exit 0"
contains "$(cat "$W/err")" "1 envelope(s) sent and acknowledged" "flush says what it sent"
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob2" flush 2>"$W/err"; rc=$?
is "$rc" 0 "second flush: exit 0"
contains "$(cat "$W/err")" "0 envelope(s) sent" "second flush sends nothing"
settle $SUB
is "$(wc -l < "$W/flushed" | tr -d ' ')" 1 "exactly one copy arrived"
contains "$(head -1 "$W/flushed" | unhex | "$RAKSHA_INSPECT")" "\"report_id\":\"$out\"" "it is the queued report"

# --- killed before the broker answered: flush sends it once ----------------------
kill -STOP "$BROKER_PID"   # the TCP connection opens, but CONNECT is never answered
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob3" --timeout 20 --state mp --region bhopal \
	--agency grp report --name Ravi --age 7 > "$W/id3" 2>/dev/null &
PUB=$!
sleep 1
kill -KILL "$PUB"
wait "$PUB" 2>/dev/null
kill -CONT "$BROKER_PID"
ok "killed publisher had printed the id (it was queued)" test -s "$W/id3"
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -W 30 -F '%x' > "$W/k1" &
SUB=$!
sleep 0.5
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob3" flush 2>/dev/null
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob3" flush 2>/dev/null
settle $SUB
is "$(wc -l < "$W/k1" | tr -d ' ')" 1 "after SIGKILL while connecting: exactly one copy"

# --- killed in the middle of sending a backlog: nothing lost, nothing changed -----
N=400
"$FILL_OUTBOX" "$W/ob4" $N || bail "fill-outbox failed"
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -W 60 -F '%x' > "$W/k2" &
SUB=$!
sleep 0.5
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob4" flush 2>/dev/null &
PUB=$!
# Kill it once part of the backlog has reached the subscriber.
for _ in $(seq 200); do [ "$(wc -l < "$W/k2")" -ge 40 ] && break; sleep 0.01; done
kill -KILL "$PUB"
wait "$PUB" 2>/dev/null
before=$(wc -l < "$W/k2" | tr -d ' ')
ok "killed part way ($before of $N had arrived)" test "$before" -lt $N
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob4" flush 2>/dev/null; rc=$?
is "$rc" 0 "flush after the kill: exit 0"
is "$("$RAKSHA_PUBLISH" --outbox "$W/ob4" outbox 2>&1 >/dev/null)" "0 envelope(s) waiting in $W/ob4" "outbox empty"
settle $SUB
# Each payload's message id: bytes 2..17 of the envelope (field 1, 16 bytes).
ids=$(cut -c5-36 "$W/k2" | sort -u | wc -l | tr -d ' ')
is "$ids" $N "every one of the $N message ids arrived"
is "$(sort -u "$W/k2" | wc -l | tr -d ' ')" $N "a resent message is byte-identical to its first copy"

# --- failover: the first broker is dead, the second takes it --------------------
"$RAKSHA_PUBLISH" --url mqtt://127.0.0.1:1 --url "$URL" --outbox "$W/ob6" --timeout 10 \
	--state mp --region bhopal --agency grp report --name X > /dev/null 2>&1; rc=$?
is "$rc" 0 "with a dead broker listed first, the next url is used: exit 0"

# --- what needs no broker: a bad url is refused before anything is queued ------
"$RAKSHA_PUBLISH" --url "http://127.0.0.1:80" --outbox "$W/ob5" --state mp --region bhopal \
	--agency grp report --name X > /dev/null 2> "$W/err"; rc=$?
is "$rc" 64 "a url that is not mqtt:// or mqtts://: exit 64"
contains "$(cat "$W/err")" "--url: 'http://127.0.0.1:80' is not a broker address" "  says which"
is "$("$RAKSHA_PUBLISH" --outbox "$W/ob5" outbox 2>&1 >/dev/null)" "0 envelope(s) waiting in $W/ob5" \
	"  and nothing was queued"
"$RAKSHA_PUBLISH" --url mqtt://127.0.0.1:1 --timeout 2 --outbox "$W/ob5" flush 2> "$W/err"; rc=$?
is "$rc" 0 "flush of an empty outbox needs no broker: exit 0"
done_testing
