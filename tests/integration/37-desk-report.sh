#!/bin/sh
# 37: the desk's report forms (docs/desk.md "Reporting"), on a phone-sized
# chromium (desk-report.py) against a real agent on a real mosquitto. A
# report typed at 360x740 with a Devanagari name and a 4000x3000 camera
# JPEG (EXIF GPS, Orientation 6) reaches the broker with the name's bytes
# as typed and the photo made upright, at most 1024 px, with no EXIF APP1
# (decoded with python protobuf from what mosquitto_sub received); the
# agent stores the case. Each invalid field (an empty name, age "abc", a
# station code that is not one, a phone with letters, a future time) gets
# its own message beside it, and nothing is published; a draft survives a
# reload and is cleared once sent. A found child and a status update from
# their forms. A POST without the CSRF token and uploads over their bounds
# are refused (curl).
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl protoc
SUB=
cleanup() {
	[ -n "$SUB" ] && kill "$SUB" 2>/dev/null
	desk_cleanup
}
trap cleanup EXIT
desk_conf > "$W/agent.conf"
desk_user ravi --full-name "Ravi Jain" --badge "GRP 2001"
desk_agent
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"
# A report seen at BPL (the station the form suggests), with three people
# seen with the child: one more than the form has rows for.
cat > "$W/a.json" <<'JSON'
{"companions": [{"role": "PERSON_ROLE_COMPANION", "name": "Mohan"}, {"name": "Sunil"},
 {"role": "PERSON_ROLE_SUSPECT", "name": "unknown man", "phone": "+919812345678"}]}
JSON
A=$(desk_pub --state mp --region vidisha --agency childline report --from "$W/a.json" --name "Raju Das" --age 6 \
	--station BPL)
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 1 || bail "the agent stored no report"
"$MAKE_PHOTO" 4000 3000 6 25 "$W/phone.jpg" || bail "make-photo failed"
# The schema for python's protobuf, generated into the suite's folder.
protoc --proto_path="$RAKSHA_SOURCE_ROOT/schemas" --python_out="$W" raksha/v1/raksha.proto ||
	bail "protoc --python_out failed"
# Everything the desk's unit publishes, a line each: topic, payload in hex.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -i "raksha37-$$" -q 1 -t 'raksha/v1/mp/bhopal/grp/+' \
	-F '%t %x' > "$W/wire" 2>/dev/null &
SUB=$!
for _ in $(seq 50); do grep -q " as raksha37-$$ " "$W/mosquitto.log" && break; sleep 0.1; done

export W DB BROKER_PORT RAKSHA_PUBLISH
desk_browser 60 desk-report.py "$URL" ravi desk-pass-1 "$W/phone.jpg" "$W/wire" "$A"
is "$BROWSER_RC" 0 "the browser's part ran to its end ($BROWSER_S s)"
ID=$(cat "$W/report-id" 2>/dev/null)
ok "the agent stores the case the desk sent" wait_rows \
	"SELECT count(*) FROM cases WHERE report_id = X'$(printf '%s' "$ID" | tr -d '-')' AND child_name = 'सीमा कुमारी'" 1
contains "$(cat "$W/desk.log")" "'ravi' posted the report form of case $ID" "the report logged with the account"

# By curl: what the browser does not reach.
desk_login ravi
before=$(grep -c . "$W/wire")
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$W/jar" -F "child.name=x" "$URL/report/new")
is "$code" 403 "a report form posted without the CSRF token: 403"
# libmicrohttpd announces a value before its bytes have come (0 bytes at
# offset 0, then the bytes at offset 0 again): one value, not two.
split=$(timeout 20 /usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/integration/desk-split-post.py" "$URL" "$W/jar" "$csrf" "Split Nameवाला")
contains "$split" 'value="Split Nameवाला"' "a name whose bytes came in a later write than its part's header is read whole"
head -c $((39 * 1024 * 1024)) /dev/zero > "$W/big.jpg"
code=$(curl -s -o "$W/big.html" -w '%{http_code}' -b "$W/jar" -F "csrf=$csrf" -F "child.name=x" \
	-F "photo=@$W/big.jpg;type=image/jpeg" "$URL/report/new")
is "$code" 413 "39 MiB of photos: 413 before the body is read"
contains "$(cat "$W/big.html")" "at most 3 photos of at most 12 MiB each" "  saying why"
head -c $((13 * 1024 * 1024)) /dev/zero > "$W/big.jpg"
code=$(curl -s -o "$W/big.html" -w '%{http_code}' -b "$W/jar" -F "csrf=$csrf" -F "child.name=Big Photo" \
	-F "photo=@$W/big.jpg;type=image/jpeg" "$URL/report/new")
is "$code" 422 "a 13 MiB photo: the form again"
contains "$(cat "$W/big.html")" "Photo 1: larger than 12 MiB as taken" "  the photo's field says why"
# Four forms with photos read at once (slow links); a fifth is told to wait.
head -c 200000 /dev/zero > "$W/slow.jpg"
pids=
for i in 1 2 3 4; do
	curl -s -o /dev/null -w '%{http_code}\n' --limit-rate 100k -b "$W/jar" -F "csrf=$csrf" -F "child.name=Slow $i" \
		-F "photo=@$W/slow.jpg;type=image/jpeg" "$URL/report/new" >> "$W/slow.codes" &
	pids="$pids $!"
done
sleep 0.8
code=$(curl -s -o "$W/busy.html" -w '%{http_code}' -b "$W/jar" -F "csrf=$csrf" -F "child.name=Fifth" "$URL/report/new")
is "$code" 503 "a fifth form with photos while four are read: 503"
contains "$(cat "$W/busy.html")" "busy receiving other photos" "  saying why"
wait $pids
is "$(sort -u "$W/slow.codes")" 422 "  the four read to their end (their photo refused: not an image)"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$W/jar" -F "csrf=$csrf" -F "child.name=Sixth" \
	-F "last_seen.station_code=BPLx" "$URL/report/new")
is "$code" 422 "  then a form is read again"
sleep 0.3
is "$(grep -c . "$W/wire")" "$before" "  nothing published"
desk_stop
is "$?" 0 "the desk stops with 0 on SIGTERM"
ok "  nothing on its stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v '^raksha-desk\|^<[0-9]>raksha-desk' '$W/desk.log' | grep -q ."
done_testing
