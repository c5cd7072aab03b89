#!/bin/sh
# 35: raksha-desk's case page, read-only, in Debian's chromium (headless,
# selenium: desk-case.py) against a real agent on a real mosquitto with
# raksha-publish: a report with every field filled (a Devanagari name, two
# photos, a companion and a suspect) shows each value and both photos full
# size; its revision, a sighting, an ack, a status update, an escalation
# (a rule with a short timeout) and another unit's refused close are each
# on the timeline with their unit and officer; a found child published
# without report is on the list and has its page; the possible match is on
# both pages with the confirm form of the action route's contract; a
# link shows on both of its cases; hostile
# text in every field shows as text and runs nothing; at 360 px nothing
# scrolls sideways.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"  # desk_tap only: its set-up is for reports and acks
export LC_ALL=C.UTF-8
for tool in /usr/bin/chromium /usr/bin/chromedriver; do
	command -v "$tool" > /dev/null || bail "$tool is missing (scripts/debian-packages)"
done
/usr/bin/python3 -c 'import selenium' 2> /dev/null || bail "python3-selenium is missing (scripts/debian-packages)"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT=
DESKPID=
cleanup() {
	[ -n "$DESKPID" ] && kill "$DESKPID" 2>/dev/null && wait "$DESKPID" 2>/dev/null
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	broker_stop
}
trap cleanup EXIT
conf() {
	agent_conf mp-bhopal-grp-1 "raksha/v1/#" "unit = GRP Bhopal" "outbox = $W/outbox"
	printf '[escalate.quick]\nmatch = raksha/v1/mp/vidisha/+/report\nafter = 1s\n'
	printf 'publish = raksha/v1/mp/bhopal/grp/escalation\ntarget = SP Railways\n'
	printf '[desk]\nusers = %s\n' "$W/users"
	for line in "$@"; do printf '%s\n' "$line"; done
}
owner() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" --state mp \
	--region vidisha --agency childline --unit "ChildLine Vidisha" --officer-name "Asha $H" \
	--officer-badge "CL-7" --officer-phone "+919800000001" "$@"; }
other() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub2" --state mp \
	--region itarsi --agency rpf --unit "RPF Itarsi" --officer-name "Ravi Singh" --officer-badge "RPF-42" "$@"; }
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }

conf "listen = 127.0.0.1:8080" > "$W/ok.conf"
printf 'desk-pass-1\n' | "$RAKSHA_DESK" --config "$W/ok.conf" user add asha --full-name "Asha Verma" \
	--badge "GRP 1042" > /dev/null || bail "user add"
"$RAKSHA_AGENT" --config "$W/ok.conf" --foreground > "$W/agent.out" 2> "$W/agent.err" &
AGENT=$!
wait_rows "SELECT count(*) FROM sqlite_master WHERE name = 'cases'" 1 || bail "the agent made no database"
for _ in $(seq 20); do
	PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
	conf "listen = 127.0.0.1:$PORT" > "$W/desk.conf"
	"$RAKSHA_DESK" --config "$W/desk.conf" 2> "$W/desk.log" &
	DESKPID=$!
	for _ in $(seq 50); do grep -q "listening on" "$W/desk.log" && break 2; sleep 0.1; done
	kill "$DESKPID" 2>/dev/null; wait "$DESKPID" 2>/dev/null; DESKPID=
done
[ -n "$DESKPID" ] || bail "raksha-desk did not start: $(cat "$W/desk.log")"

# Two PNGs wider than a thumbnail (200 and 120 pixels: the desk's are 96).
png() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
w, h = int(sys.argv[2]), 12
rows = b"".join(b"\0" + bytes((200, 30, 40)) * w for _ in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
}
png "$W/a.png" 200
png "$W/b.png" 120
# Hostile text in every field that takes text: shown as text, never run.
H='<img src=x onerror=window.pwned=1>'
cat > "$W/report.json" <<JSON
{"companions": [{"role": "PERSON_ROLE_COMPANION", "name": "Kamla $H", "description": "old woman in a green sari",
  "phone": "+919811111111"},
 {"role": "PERSON_ROLE_SUSPECT", "name": "Unknown man", "description": "tall, red cap $H", "phone": "+919822222222"}],
 "case_ref": {"district": "Vidisha district $H"}}
JSON
R=$(owner report --from "$W/report.json" --name "सीमा कुमारी $H" --other-name "Seema $H" --age-range 8-10 \
	--gender female --height-cm 121 --build "thin $H" --complexion "wheatish $H" --hair "two plaits $H" \
	--clothing "red frock $H" --marks "mole on left cheek $H burnscarontherightforearmfromacookingfirelongagoinvidisha" --language hi --language "bundeli $H" \
	--photo-as-is "$W/a.png" --photo-as-is "$W/b.png" --guardian-name "Ramesh $H" --guardian-relation "father $H" \
	--guardian-phone "+919833333333" --address "12 Station Road $H" --last-seen-place "platform 3 $H" \
	--district "Bhopal $H" --station BPL --train 12627 --coach S4 --lat 23.26880 --lon 77.41330 \
	--fir "FIR 77/2026 $H" --police-station "GRP Bhopal $H" --priority urgent --notes "shy, answers to Munni $H")
[ -n "$R" ] || bail "the report was not published"
wait_rows "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$R")'" 1 || bail "the report was not stored"
owner report --revise "$R" --clothing "blue frock $H" > /dev/null || bail "the revision"
# Unacknowledged for its 1 s: escalated (an ack or its being found ends that).
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$R")'" 1 ||
	bail "the rule did not escalate the report"
other sighting --report "$R" --station ET --place "waiting hall $H" --notes "seen with a woman $H" > /dev/null
other ack --report "$R" --state acting --notes "searching train 12627 $H" > /dev/null
other update --report "$R" --status closed --notes "not ours to close $H" > /dev/null
# A found child nobody reported, like her: a possible match.
F=$(other sighting --name "Seema" --age 9 --gender female --station BPL --place "booking office $H" \
	--in-custody --notes "alone at night $H" --photo-as-is "$W/b.png")
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$F")'" 1 || bail "no possible match"
owner update --report "$R" --status found --station ET --place "RPF post $H" --handed-over-to "CWC Itarsi $H" \
	> /dev/null
wait_rows "SELECT count(*) FROM rejected WHERE cause = 'not-owner' AND hex(report_id) = '$(hexid "$R")'" 1 ||
	bail "the other unit's close was not refused"
# Another found child, whom the report's owner links to the report.
G=$(other sighting --name "Munni" --age 9 --gender female --station ET --place "platform 1")
wait_rows "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$G")'" 1 || bail "the second found child"
owner link --found "$G" --report "$R" --notes "father identified her $H" > /dev/null || bail "the link"
wait_rows "SELECT count(*) FROM links" 1 || bail "the link was not stored"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'update' AND hex(report_id) = '$(hexid "$R")'" 1 ||
	bail "the update was not stored"

timeout 60 /usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/integration/desk-case.py" "http://127.0.0.1:$PORT" \
	asha desk-pass-1 "$R" "$F" "$G" "$H" > "$W/browser.out" 2> "$W/browser.err"
rc=$?
desk_tap "$W/browser.out"
is "$rc" 0 "the browser script ran to its end"
[ "$rc" = 0 ] || sed 's/^/# /' "$W/browser.err" | tail -20
kill "$DESKPID"
wait "$DESKPID"
is "$?" 0 "the desk stops with 0 on SIGTERM"
DESKPID=
ok "  nothing on its stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v '^raksha-desk\|^<[0-9]>raksha-desk' '$W/desk.log' | grep -q ."
done_testing
