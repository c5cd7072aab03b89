#!/bin/sh
# 35: raksha-desk's case page, read-only, in Debian's chromium (headless,
# selenium: desk-case.py) against a real agent on a real mosquitto with
# raksha-publish: a report with every field filled (a Devanagari name, two
# photos, a companion and a suspect) shows each value and both photos full
# size; its revision, a sighting, an ack, a status update, an escalation
# (a rule with a short timeout) and another unit's refused close are each
# on the timeline with their unit and officer, the revision with what it
# changed; a found child published without report is on the list and has
# its page; the possible match is on both pages with the confirm form of
# the action route's contract, a dismissed one on neither; a link shows
# on both of its cases, and the linked found child has no card of its own
# (its report found by its name); hostile
# text in every field shows as text and runs nothing; at 360 px nothing
# scrolls sideways.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
export LC_ALL=C.UTF-8
desk_suite
AGENT=
DESKPID=
cleanup() {
	[ -n "$DESKPID" ] && kill "$DESKPID" 2>/dev/null && wait "$DESKPID" 2>/dev/null
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	broker_stop
}
trap cleanup EXIT
# desk.sh's, but every topic, and an escalation rule of 1 s.
desk_conf() {
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

desk_conf > "$W/agent.conf"
desk_user asha --full-name "Asha Verma" --badge "GRP 1042"
desk_agent
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"

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
	--photo "$W/a.png" --photo "$W/b.png" --guardian-name "Ramesh $H" --guardian-relation "father $H" \
	--guardian-phone "+919833333333" --address "12 Station Road $H" --last-seen-place "platform 3 $H" \
	--district "Bhopal $H" --station BPL --train 12627 --coach S4 --lat 23.26880 --lon 77.41330 \
	--fir "FIR 77/2026 $H" --police-station "GRP Bhopal $H" --priority urgent --notes "shy, answers to Munni $H")
[ -n "$R" ] || bail "the report was not published"
wait_rows "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$R")'" 1 || bail "the report was not stored"
owner report --revise "$R" --clothing "blue frock $H" --priority critical > /dev/null || bail "the revision"
# Unacknowledged for its 1 s: escalated (an ack or its being found ends that).
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$R")'" 1 ||
	bail "the rule did not escalate the report"
other sighting --report "$R" --station ET --place "waiting hall $H" --notes "seen with a woman $H" > /dev/null
other ack --report "$R" --state acting --notes "searching train 12627 $H" > /dev/null
other update --report "$R" --status closed --notes "not ours to close $H" > /dev/null
# A found child nobody reported, like her: a possible match.
F=$(other sighting --name "Seema" --age 9 --gender female --station BPL --place "booking office $H" \
	--in-custody --notes "alone at night $H" --photo "$W/b.png")
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$F")'" 1 || bail "no possible match"
# A third like her, whose possible match is dismissed as the board's d
# does it (a file the agent's escalator takes: agent/dismissed.c).
D=$(other sighting --name "Sima" --age 9 --gender female --station BPL --place "parcel office")
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$D")' AND state = 'suggested'" 1 ||
	bail "no possible match to dismiss"
mkdir -p "$DB.dismissed" && : > "$DB.dismissed/$D+$R" || bail "the dismissal"
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
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$D")' AND state = 'dismissed'" 1 ||
	bail "the agent did not take the dismissal"

desk_browser 60 desk-case.py "$URL" asha desk-pass-1 "$R" "$F" "$G" "$D" "$H"
is "$BROWSER_RC" 0 "the browser script ran to its end"
desk_stop
is "$?" 0 "the desk stops with 0 on SIGTERM"
ok "  nothing on its stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v '^raksha-desk\|^<[0-9]>raksha-desk' '$W/desk.log' | grep -q ."
done_testing
