#!/bin/sh
# 39: raksha-desk's posters (GET /case/ID/poster) against a real agent on a
# real mosquitto with raksha-publish, in Debian's headless chromium
# (desk-poster.py) printed to PDF by chromium itself (DevTools'
# Page.printToPDF, the page's own @page size), read back by poppler's
# pdftotext and pdfinfo: a report's "missing child" poster (of a unit of
# mp: each label in Hindi, from the catalog, and English) holds the name
# in Devanagari and its Latin transliteration (marked), age, height,
# clothing, station, when last seen, the reporting unit's phone from
# [desk] unit_phone (not the officer's) and its unit, on exactly one A4
# page (595x842 pt) without the desk's bar or links; a report with a very
# long clothing text and name is still one page with its phone, and says
# it is a drill and, found since, not to be put up; a found
# child's poster has its own heading, its Latin name made Devanagari, and
# the finder's officer_phone (a unit with no unit_phone). On a screen at
# 360 px it does not scroll sideways and its photo loads; the case page
# links to it; no-store, CSP, and the login without a session; a bad
# unit_phone is refused by line.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
export LC_ALL=C.UTF-8
desk_suite pdftotext pdfinfo
# the catalogs this build made from po/: a poster's labels in the state's
# language (mp: Hindi) from them, beside English
export RAKSHA_LOCALEDIR="$RAKSHA_BUILD_ROOT/po"
[ -s "$RAKSHA_LOCALEDIR/hi/LC_MESSAGES/raksha.mo" ] || bail "no Hindi catalog built in $RAKSHA_LOCALEDIR"
AGENT=
trap desk_cleanup EXIT
UNIT_PHONE="unit_phone = mp/vidisha/childline +91 7592 232323"
DESK_FILTERS="raksha/v1/#"
desk_conf "$UNIT_PHONE" > "$W/agent.conf"
desk_user asha --full-name "Asha Verma" --badge "GRP 1042"

# A bad unit_phone is named by its line, a unit given twice too.
desk_conf "listen = 127.0.0.1:1" "$UNIT_PHONE" "unit_phone = mp/vidisha/childline 1098" \
	"unit_phone = MP/bhopal/grp 1098" "unit_phone = mp/bhopal/grp call-us" > "$W/bad.conf"
"$RAKSHA_DESK" --config "$W/bad.conf" -n > "$W/bad.out" 2>&1
rc=$?
ok "raksha-desk -n refuses a bad unit_phone (exit $rc)" [ "$rc" -ne 0 ]
n=$(grep -c "bad.conf:[0-9]*: unit_phone: " "$W/bad.out")
is "$n" 3 "  each of the three bad lines named by its line"
ok "  the unit given twice said so" grep -q "that unit's phone is given twice" "$W/bad.out"

desk_agent
desk_start "$UNIT_PHONE" || bail "raksha-desk did not start: $(cat "$W/desk.log")"

# A photo taller than wide, as a face is (a PNG of 300x400).
/usr/bin/python3 - "$W/face.png" <<'PY'
import struct, sys, zlib
w, h = 300, 400
rows = b"".join(b"\0" + bytes((120, 80 + y // 4, 60)) * w for y in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
SEEN=$(date -u +%Y-%m-%d)T08:30+05:30
owner() { desk_pub --state mp --region vidisha --agency childline --unit "ChildLine Vidisha" \
	--officer-name "Asha Verma" --officer-phone "+919800000001" "$@"; }
R=$(owner report --name "सीमा कुमारी" --age 9 --gender female --height-cm 121 \
	--clothing "red frock, blue school sweater" --photo "$W/face.png" --station BPL --train 12627 \
	--last-seen-place "platform 1, near the tea stall" --last-seen-at "$SEEN" --priority urgent)
[ -n "$R" ] || bail "the report was not published"
LONG=$(/usr/bin/python3 -c 'print("torn red frock with yellow flowers, " * 120, end="")')
LONGNAME=$(/usr/bin/python3 -c 'print("Munni Kumari Devi Sharma " * 12, end="")')
L=$(owner report --name "$LONGNAME" --age 7 --clothing "$LONG" --marks "$LONG" --photo "$W/face.png" \
	--station ET --last-seen-place "$LONG" --last-seen-at "$SEEN" --exercise)
[ -n "$L" ] || bail "the long report was not published"
# Found since: its poster says not to put it up.
owner update --report "$L" --status found --station ET > /dev/null || bail "the long report's update"
F=$(desk_pub --state mp --region itarsi --agency rpf --unit "RPF Itarsi" --officer-name "Ravi Singh" \
	--officer-phone "+91 7572 240000" sighting --name "Rahul" --age 6 --gender male --station ET \
	--place "waiting hall" --at "$SEEN" --in-custody --photo "$W/face.png")
[ -n "$F" ] || bail "the found child was not published"
wait_rows "SELECT count(*) FROM cases" 3 || bail "the agent did not store the three cases"
wait_rows "SELECT count(*) FROM cases WHERE status = 'found'" 1 || bail "the agent did not take the update"

# Without a session: the login; an unknown case 404 with one.
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/case/$R/poster")
is "$code" "303 $URL/login" "the poster without a session leads to the login"

export W BROKER_PORT RAKSHA_PUBLISH
desk_browser 60 desk-poster.py "$URL" asha desk-pass-1 "$R" "$L" "$F" "$SEEN" "$W"
is "$BROWSER_RC" 0 "the browser script ran to its end"
tap_comment "the browser's part took ${BROWSER_S} s"
desk_stop
is "$?" 0 "the desk stops with 0 on SIGTERM"
ok "  nothing on its stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v '^raksha-desk\|^<[0-9]>raksha-desk' '$W/desk.log' | grep -q ."
done_testing
