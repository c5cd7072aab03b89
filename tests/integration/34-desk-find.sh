#!/bin/sh
# 34: the desk's list finds and pages (desk_find.c) and the units' page
# (desk_presence.c), against a real agent on a real mosquitto with reports
# from raksha-publish. By curl: a search by a Devanagari name, by a Latin
# other name, by station, by train, by FIR number each finds its case and
# no other; filters by region and by status; 201 open cases: 200 on page 1,
# the 201st (the least urgent) on page 2; the list page with 200 cases
# under 100 KB. The units' page: a second agent killed (SIGKILL: its Will)
# listed as offline since then, the first as online. In Debian's chromium
# (desk-find.py): the search form, the next page's link, the units' page.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl
AGENT= AGENT2= DESKPID=
cleanup() {
	for p in $DESKPID $AGENT $AGENT2; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	broker_stop
}
trap cleanup EXIT

DESK_FILTERS="raksha/v1/+/+/+/report raksha/v1/+/+/+/update raksha/v1/+/+/+/agent/+"
desk_conf > "$W/agent.conf"
desk_user asha --full-name "Asha Verma"
desk_agent
# A second agent, on its own database, to be killed.
DB2=$W/agent2.db
agent_conf mp-itarsi-grp-2 "raksha/v1/mp/itarsi/grp/report" | sed -e "s|^database = .*|database = $DB2|" -e "s|^region = .*|region = itarsi|" \
	> "$W/agent2.conf"
"$RAKSHA_AGENT" --config "$W/agent2.conf" --foreground > "$W/agent2.out" 2> "$W/agent2.err" &
AGENT2=$!

desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"

# A photo of 300 x 200 pixels of noise (no PNG makes it small) and one
# whose IHDR (its CRC valid) claims 60000 x 60000 pixels.
/usr/bin/python3 - "$W/child.png" "$W/bomb.png" <<'PY'
import os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
def png(w, h, rows):
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png(300, 200, b"".join(b"\0" + os.urandom(900) for _ in range(200))))
open(sys.argv[2], "wb").write(png(60000, 60000, b"\0" * 64))
PY
# The cases to find; a cancelled one; the least urgent, to be the 201st.
# The two PNGs as they are, by protoc and mosquitto_pub, as any program on
# the bus could send them (raksha-publish sends only JPEGs it made).
photos() { /usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/tools/publish-photos.py" "$BROKER_PORT" "$@"; }
seema=$(desk_pub --dry-run --state mp --region vidisha --agency childline report --name "सीमा कुमारी" \
	--other-name "Seema Kumari" --age 9 --station BPL --train 12627 --fir "FIR-881/2026" --priority critical |
	photos "$W/child.png")
rahul=$(desk_pub --dry-run --state mp --region bhopal --agency grp report --name "राहुल" --other-name "Rahul" --age 6 \
	--station ET --train 12002 --fir "GD-42/2026" --priority urgent | photos "$W/bomb.png")
anita=$(desk_pub --state mp --region indore --agency rpf report --name "Anita" --age 11 --station INDB \
	--train 19301 --fir "FIR-7/2026" --priority high)
gone=$(desk_pub --state mp --region bhopal --agency grp report --name "Gita" --age 8 --priority high)
desk_pub --state mp --region bhopal --agency grp update --report "$gone" --status cancelled > /dev/null
last=$(desk_pub --state mp --region bhopal --agency grp report --name "Last Filler" --priority routine)
# 197 more, in parallel: 201 open cases in all.
seq 197 | xargs -P 4 -I {} "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" \
	--state mp --region bhopal --agency grp report --name "Filler {}" --priority elevated > /dev/null
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL AND status = 'open'" 201 ||
	bail "the agent stored $(q "SELECT count(*) FROM cases") cases, not 201 open"
wait_rows "SELECT count(*) FROM cases WHERE status = 'cancelled'" 1 || bail "no cancelled case"

token=$(curl -s -c "$W/jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode "csrf=$token" \
	--data-urlencode username=asha --data-urlencode password=desk-pass-1 "$URL/login"
# list ARG...: the ids the list shows for the query ARG... (curl -G), one a line.
list() {
	curl -s -G -b "$W/jar" "$@" "$URL/cases" > "$W/list.html"
	sed -n 's|.*href="/case/\([0-9a-f-]*\)".*|\1|p' "$W/list.html"
}
# finds WHAT ID ARG...: the query finds the case ID and nothing else.
finds() {
	what=$1 id=$2
	shift 2
	is "$(list "$@" | tr '\n' ' ')" "$id " "$what finds its case, no other"
}
finds "a Devanagari name (part of it)" "$seema" --data-urlencode "q=सीमा"
finds "a Latin other name" "$rahul" --data-urlencode "q=rahul"
finds "a station" "$anita" --data-urlencode "q=INDB"
finds "a train" "$rahul" --data-urlencode "q=12002"
finds "an FIR number" "$anita" --data-urlencode "q=FIR-7/2026"
finds "region indore" "$anita" --data-urlencode "region=indore"
finds "status closed or cancelled" "$gone" --data-urlencode "status=closed"
finds "region, agency and status together" "$seema" --data-urlencode "region=vidisha" \
	--data-urlencode "agency=childline" --data-urlencode "status=all"
is "$(list --data-urlencode "q=%" | wc -l)" 0 "a search for % is for a percent sign, not a wildcard"
contains "$(cat "$W/list.html")" 'value="%"' "  the form keeps the search"
contains "$(cat "$W/list.html")" "No case matches." "  and says none matches"

is "$(list | wc -l)" 200 "201 open cases: page 1 lists 200"
ok "  not the least urgent" sh -c "! grep -q '$last' '$W/list.html'"
ok "  not the cancelled one" sh -c "! grep -q '$gone' '$W/list.html'"
contains "$(cat "$W/list.html")" "Page 1 of 2 (201 cases)" "  and says which page of how many"
bytes=$(wc -c < "$W/list.html")
ok "  the page is under 100 KB ($bytes bytes)" test "$bytes" -lt 102400
is "$(list --data-urlencode page=2 | tr '\n' ' ')" "$last " "page 2 lists the 201st, the least urgent"

# Thumbnails: made by the desk, small, bare; a hostile photo, a placeholder.
list > /dev/null
contains "$(cat "$W/list.html")" "<img class=\"thumb\" src=\"/case/$seema/thumb/0\"" "the list shows a thumbnail, not the photo"
ok "  not the photo itself" sh -c "! grep -q '/photo/' '$W/list.html'"
# jpeg FILE: "WIDTHxHEIGHT APP-MARKERS" of a JPEG, from its segments.
jpeg() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
i, apps, size = 2, [], "none"
while d[:2] == b"\xff\xd8" and i + 4 <= len(d) and d[i] == 0xFF:
    m, n = d[i + 1], struct.unpack(">H", d[i + 2:i + 4])[0]
    if 0xE0 <= m <= 0xEF or m == 0xFE:
        apps.append("APP%d" % (m - 0xE0) if m != 0xFE else "COM")
    if m in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack(">HH", d[i + 5:i + 9])
        size = "%dx%d" % (w, h)
    if m == 0xDA:
        break
    i += 2 + n
print(size, ",".join(apps), "Exif" if b"Exif" in d else "")
PY
}
tcode() { curl -s -b "$W/jar" -D "$W/thumb.h" -o "$2" -w '%{http_code} %{content_type}' "$URL/case/$1/thumb/0"; }
is "$(tcode "$seema" "$W/thumb.jpg")" "200 image/jpeg" "the thumbnail: image/jpeg"
contains "$(tr -d '\r' < "$W/thumb.h")" "Cache-Control: no-store" "  not stored by the browser"
is "$(jpeg "$W/thumb.jpg")" "96x64 APP0 " "  96 x 64, the photo's shape; no APP1 (EXIF), no ICC, no comment"
thumb_bytes=$(wc -c < "$W/thumb.jpg")
photo_bytes=$(wc -c < "$W/child.png")
ok "  $thumb_bytes bytes, not the photo's $photo_bytes" test "$thumb_bytes" -lt $((photo_bytes / 10))
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/case/$seema/thumb/0")" 403 "  not without a session"
is "$(tcode "$rahul" "$W/bomb.jpg")" "200 image/jpeg" "a photo claiming 60000 x 60000: an image/jpeg still"
is "$(jpeg "$W/bomb.jpg")" "96x96 APP0 " "  the placeholder's 96 x 96"
contains "$(cat "$W/desk.log")" "photo 0 of case $rahul refused for a thumbnail: PNG of 60000 x 60000 pixels" \
	"  the refusal logged, naming the photo and why"
is "$(tcode "$seema" "$W/thumb2.jpg")" "200 image/jpeg" "  and the desk serves on"
ok "  the same thumbnail (from its cache)" cmp -s "$W/thumb.jpg" "$W/thumb2.jpg"

# The units' page: the second agent killed, its Will.
wait_rows "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/mp/itarsi/grp/agent/mp-itarsi-grp-2'" 1 ||
	bail "the first agent never heard the second: $(tail -3 "$W/agent2.err") $(q "SELECT topic FROM messages WHERE topic LIKE '%agent%'")"
killed_ms=$(($(date +%s%N) / 1000000))
kill -KILL "$AGENT2"
wait "$AGENT2" 2>/dev/null
AGENT2=
wait_rows "SELECT count(*) FROM messages WHERE topic = 'raksha/v1/mp/itarsi/grp/agent/mp-itarsi-grp-2'" 2 ||
	bail "no Will from the second agent"
curl -s -b "$W/jar" "$URL/presence" > "$W/presence.html"
contains "$(tr -d '\n' < "$W/presence.html")" '<li class="offline"><span class="state">OFFLINE</span> <span class="unit">mp/itarsi/grp</span> <span class="agent">mp-itarsi-grp-2</span> <span class="since">since' \
	"the units' page: the killed agent offline"
contains "$(tr -d '\n' < "$W/presence.html")" '<li class="online"><span class="state">online</span> <span class="unit">mp/bhopal/grp</span> <span class="agent">mp-bhopal-grp-1</span>' \
	"  the running one online"
will_ms=$(q "SELECT max(received_at_ms) FROM messages WHERE topic = 'raksha/v1/mp/itarsi/grp/agent/mp-itarsi-grp-2'")
ok "  offline since its Will's arrival, after the kill" test "$will_ms" -ge "$killed_ms"
is "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/presence")" "303 $URL/login" \
	"  not without a session"

desk_browser 60 desk-find.py "$URL" asha desk-pass-1 "सीमा" "$seema" "$last"
is "$BROWSER_RC" 0 "the browser's part ran to its end"
done_testing
