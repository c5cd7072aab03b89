#!/bin/sh
# 07: raksha-publish's input: each kind of bad input has its own message
# naming the flag (or file and JSON path) and its own sysexits code; a JSON
# --from file gives the same report as the same flags; its photos are
# normalised unless already normal, which go byte for byte (a dry run fed
# back, a revision); --revise carries the case forward; times in IST; the
# config file, bad lines with line numbers.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-07.XXXXXX")
trap 'rm -rf "$W"' EXIT
export TZ=Asia/Kolkata
P=$RAKSHA_PUBLISH
dry() { "$P" --outbox "$W/outbox" --state mp --region bhopal --agency grp --dry-run "$@"; }
# run CODE MESSAGE DESC -- ARGS: exit code and stderr of one call.
expect() {
	want_rc=$1 want_msg=$2 desc=$3
	shift 3
	"$@" > "$W/out" 2> "$W/err"
	is "$?" "$want_rc" "$desc: exit $want_rc"
	contains "$(cat "$W/err")" "$want_msg" "$desc: says so"
}
printf 'GIF89a-not-a-photo' > "$W/x.gif"
head -c 1000000 /dev/zero | { printf '\377\330\377'; cat; } > "$W/big.jpg"

expect 65 "--age: 'nine' is not a number" "bad number" dry report --name X --age nine
expect 65 "--gender: 'girl' is not one of female, male, transgender, other" "unknown gender" \
	dry report --name X --gender girl
expect 65 "--age: report.child.age_years: 212 out of range 0..25" "age out of range" dry report --name X --age 212
expect 64 "usage: raksha-publish" "--photo-as-is is gone: no photo is sent as it was" \
	dry report --name X --photo-as-is "$W/x.gif"
expect 65 "--photo $W/x.gif: neither JPEG nor PNG" "--photo of a GIF" dry report --name X --photo "$W/x.gif"
expect 65 "--photo $W/big.jpg: JPEG: the segment at byte 2 has a length of 0, less than 2" "--photo of a damaged JPEG, naming the byte" \
	dry report --name X --photo "$W/big.jpg"
: > "$W/empty.jpg"
expect 65 "--photo $W/empty.jpg: empty" "--photo of an empty file" dry report --name X --photo "$W/empty.jpg"
head -c 21000000 /dev/zero | { printf '\377\330\377'; cat; } > "$W/huge.jpg"
expect 65 "--photo $W/huge.jpg: 20971521 bytes, more than 20 MiB" "--photo of 21 MB" \
	dry report --name X --photo "$W/huge.jpg"
expect 66 "--photo $W/none.jpg: No such file or directory" "missing photo" dry report --name X --photo "$W/none.jpg"
expect 65 "--name: not valid UTF-8 text" "invalid UTF-8 in a name" dry report --name "$(printf 'Se\303')"
expect 65 "--clothing: report.child.clothing: control character U+001B" "terminal escape in a field" \
	dry report --name X --clothing "$(printf 'red\033[2J')"
expect 65 "--last-seen-at: 'yesterday' is not a time" "bad time" dry report --name X --last-seen-at yesterday
expect 65 "--lat: report.last_seen.location.latitude: 95 out of range -90..90" "latitude 95" dry report --name X --lat 95 --lon 77
expect 65 "--report: 'abc' is not a report id" "bad report id" dry ack --report abc
expect 64 "raksha-publish: unknown option '--nmae'" "unknown flag" dry report --nmae X
expect 64 "usage: raksha-publish" "unknown flag prints usage" dry report --nmae X
expect 64 "'reprot' is not a command" "unknown command" dry reprot
expect 64 "the sending unit is not known" "missing origin" "$P" --outbox "$W/outbox" --dry-run report --name X
expect 64 "update: --report ID is required" "update without --report" dry update --status found
expect 65 "report.child.name: required" "report without a name" dry report --age 9
expect 66 "--from $W/none.json: No such file" "unreadable --from" dry report --from "$W/none.json"
printf '{"child": {"name": "X", "age_years": "nine"}}' > "$W/bad.json"
expect 65 "--from $W/bad.json: child.age_years: \"nine\" is not a number" \
	"wrong type in --from names the file and field" dry report --from "$W/bad.json"
printf '{"child": {"name": "X", "age_years": 212}}' > "$W/old.json"
expect 65 "--from $W/old.json: report.child.age_years: 212 out of range" \
	"a value from the file is blamed on the file" dry report --from "$W/old.json"
printf '{"child": {"name": "X"}}' > "$W/x.json"
expect 65 "--age: report.child.age_years: 212 out of range" "a typed value is blamed on its flag" \
	dry report --from "$W/x.json" --age 212
printf '[1, 2]' > "$W/array.json"
expect 65 "--from $W/array.json: not a JSON object" "a JSON array in --from" dry report --from "$W/array.json"
expect 64 "update: --status is required" "update without --status" \
	dry update --report 01936e2a-7b40-7123-8abc-0102030405ff
expect 64 "--revision goes with --revise" "--revision without --revise" dry report --name X --revision 2
printf '{"child": {"name": "X", "hieght_cm": 120}}' > "$W/typo.json"
expect 65 "--from $W/typo.json: child.hieght_cm: unknown field" "unknown field in --from" dry report --from "$W/typo.json"
printf '{"child": ' > "$W/broken.json"
expect 65 "--from $W/broken.json: line 1:" "broken JSON in --from" dry report --from "$W/broken.json"
expect 0 "" "--help exits 0" "$P" --help
contains "$(cat "$W/out")" "exit: 0 acknowledged by the broker, 75 kept in the outbox" "--help lists exit codes"
expect 0 "" "command --help exits 0" "$P" report --help
contains "$(cat "$W/out")" "--station VALUE" "report --help lists the flags"

# --- a JSON --from file gives what the same flags give ------------------------
norm() { /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)
for k in ("message_id", "sent_at_ms"): e.pop(k)
e["report"].pop("report_id")
print(json.dumps(e, sort_keys=True, ensure_ascii=False))'; }
"$MAKE_PHOTO" 32 24 1 0 "$W/c.jpg" || bail "make-photo failed"
dry report --name "सीमा" --age 9 --gender female --language hi --language bundeli --station BPL \
	--train 12627 --coach S4 --last-seen-at "2026-11-29 10:05" --lat 23.2599 --lon 77.4126 \
	--priority urgent --photo "$W/c.jpg" --guardian-phone +919876543210 > "$W/flags.json"
expect 65 "--from $W/flags.json: message_id: unknown field" "a whole envelope is not a report body" \
	dry report --from "$W/flags.json"
/usr/bin/python3 -c '
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["report"], ensure_ascii=False))' "$W/flags.json" > "$W/report.json"
dry report --from "$W/report.json" > "$W/from.json"; rc=$?
is "$rc" 0 "--from a report's JSON: exit 0"
from=$(norm < "$W/from.json")
contains "$from" '"station_code": "BPL"' "the --from envelope has the report's fields"
is "$from" "$(norm < "$W/flags.json")" "--from file and flags give the same envelope"
# --- photos a --from file holds: normal ones byte for byte, others normalised ----
# from_json FILE...: a report body with FILEs as its photos, as given
# (base64, their SHA-256), each captioned with its name.
from_json() { /usr/bin/python3 -c '
import base64, hashlib, json, os, sys
ph = []
for p in sys.argv[1:]:
    b = open(p, "rb").read()
    ph.append({"media_type": "image/png" if b[:4] == b"\x89PNG" else "image/jpeg",
               "data": base64.b64encode(b).decode(), "caption": os.path.basename(p),
               "sha256": base64.b64encode(hashlib.sha256(b).digest()).decode()})
print(json.dumps({"child": {"name": "Ravi", "age_years": 7, "photos": ph}}))' "$@"; }
# photos ENVELOPE.json: each photo of its report (or sighting) as "WxH
# media_type caption markers-but-APP0 Exif?".
photos() { /usr/bin/python3 -c '
import base64, json, sys
e = json.load(sys.stdin)
for p in e.get("report", e.get("sighting"))["child"]["photos"]:
    d, at, size, seen = base64.b64decode(p["data"]), 2, "?", []
    while at + 4 <= len(d) and d[at] == 0xff and d[at + 1] != 0xda:
        m = d[at + 1]
        if m == 0xc0:
            size = "%dx%d" % (d[at + 7] << 8 | d[at + 8], d[at + 5] << 8 | d[at + 6])
        if 0xe1 <= m <= 0xef or m == 0xfe or 0xc1 <= m <= 0xcf and m != 0xc4:
            seen.append("%02X" % m)
        at += 2 + (d[at + 2] << 8 | d[at + 3])
    print(size, p["media_type"], p.get("caption"), "markers:" + ",".join(seen), b"Exif" in d)' < "$1"; }
"$MAKE_PHOTO" 64 48 6 0 "$W/cam.jpg" || bail "make-photo failed"
/usr/bin/python3 -c '
import struct, sys, zlib
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
rows = b"".join(b"\0" + bytes([200, 40, 40]) * 32 for _ in range(24))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 24, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))' > "$W/cam.png"
from_json "$W/cam.jpg" "$W/cam.png" > "$W/cam.json"
dry report --from "$W/cam.json" > "$W/cam-env.json" 2> "$W/cam.err"; rc=$?
is "$rc" 0 "--from with a camera JPEG (EXIF, Orientation 6) and a PNG: exit 0"
is "$(photos "$W/cam-env.json")" "48x64 image/jpeg cam.jpg markers: False
32x24 image/jpeg cam.png markers: False" \
	"  both sent normalised: upright JPEGs, no marker but APP0, no Exif, captions kept"
contains "$(cat "$W/cam.err")" "--from $W/cam.json: child.photos[0]: $(wc -c < "$W/cam.jpg") bytes (an APP1 segment (metadata) at byte 20), sent as a 48 x 64 JPEG of" \
	"  stderr names the photo, why, and its size before and after"
contains "$(cat "$W/cam.err")" "--from $W/cam.json: child.photos[1]: $(wc -c < "$W/cam.png") bytes (not a JPEG), sent as a 32 x 24 JPEG of" \
	"  and the PNG's"
/usr/bin/python3 -c '
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["report"], ensure_ascii=False))' "$W/cam-env.json" > "$W/cam-again.json"
dry report --from "$W/cam-again.json" > "$W/again-env.json" 2> "$W/again.err"
is "$(norm < "$W/again-env.json")" "$(norm < "$W/cam-env.json")" \
	"  its dry run fed back with --from: the same envelope, photos byte for byte (they are normal)"
is "$(cat "$W/again.err")" "" "  and nothing normalised again"
dry sighting --from "$W/cam.json" > "$W/sighting.json" 2> "$W/sighting.err"
is "$(photos "$W/sighting.json")" "$(photos "$W/cam-env.json")" "a sighting's photos in --from: normalised the same"
from_json "$W/cam.jpg" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
d["child"]["photos"][0]["sha256"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
print(json.dumps(d))' > "$W/badsum.json"
expect 65 "--from $W/badsum.json: child.photos[0]: sha256 is not the SHA-256 of data" \
	"a photo to normalise whose sha256 is not its data's: refused, naming it" dry report --from "$W/badsum.json"
from_json "$W/cam.jpg" "$W/big.jpg" > "$W/damaged.json"
expect 65 "--from $W/damaged.json: child.photos[1]: JPEG: the segment at byte 2 has a length of 0" \
	"a damaged photo in --from: refused, naming its index and the byte" dry report --from "$W/damaged.json"
# A report sent (kept: no broker) from that file: --revise passes its photos
# again, as they were sent, and says nothing of them.
id3=$("$P" --url mqtt://127.0.0.1:1 --timeout 1 --outbox "$W/outbox" --state mp --region bhopal \
	--agency grp report --from "$W/cam.json" 2>/dev/null)
dry report --revise "$id3" --coach S5 > "$W/rev3.json" 2> "$W/rev3.err"
is "$(photos "$W/rev3.json")" "$(photos "$W/cam-env.json")" "--revise of it: the same photos"
is "$(/usr/bin/python3 -c 'import json,sys; print([p["data"] for p in json.load(open(sys.argv[1]))["report"]["child"]["photos"]] == [p["data"] for p in json.load(open(sys.argv[2]))["report"]["child"]["photos"]])' "$W/rev3.json" "$W/cam-env.json")" \
	True "  byte for byte as sent, not normalised again"
is "$(grep -c 'sent as' "$W/rev3.err")" 0 "  and nothing said of them"

dry report --from "$W/report.json" --coach S5 --age 10 > "$W/over.json"
contains "$(cat "$W/over.json")" '"coach": "S5"' "a flag overrides the file"
contains "$(cat "$W/over.json")" '"station_code": "BPL"' "the rest of the file stays"
is "$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["report"]["child"]["age_years"])' < "$W/over.json")" 10 "--age overrides child.age_years"
is "$(TZ=Asia/Kolkata dry report --name X --last-seen-at "2026-11-29T10:05:00+05:30" | grep time_ms)" \
   "$(TZ=Asia/Kolkata dry report --name X --last-seen-at "2026-11-29 10:05" | grep time_ms)" \
   "local time is IST: '2026-11-29 10:05' = '2026-11-29T10:05:00+05:30'"
contains "$(dry report --name X --last-seen-at "2026-11-29T04:35Z")" '"time_ms": 1795926900000' "UTC 'Z' times"

# --- --revise: the same case, the next revision, the last details kept ------------
id=$("$P" --url mqtt://127.0.0.1:1 --timeout 1 --outbox "$W/outbox" --state mp --region bhopal \
	--agency grp report --name "सीमा" --age 9 --station BPL --coach S4 2>/dev/null)
ok "a report kept in the outbox (broker down) still has an id" test -n "$id"
rev=$(dry report --revise "$id" --coach S5 --train 12627)
is "$?" 0 "--revise of a report sent from here: exit 0"
contains "$rev" "\"report_id\": \"$id\"" "same report id"
contains "$rev" '"revision": 2' "revision 2"
contains "$rev" '"name": "सीमा"' "earlier details kept"
contains "$rev" '"coach": "S5"' "changed detail replaced"
contains "$rev" '"train_number": "12627"' "new detail added"
expect 65 "this machine did not send that report; give --revision N" "--revise of an unknown report" \
	dry report --revise 01936e2a-7b40-7123-8abc-0102030405ff --name X
expect 65 "this machine did not send that report" "--revise of an unknown report without --from" \
	dry report --revise 01936e2a-7b40-7123-8abc-0102030405ff --revision 3 --name X
rev=$(dry report --revise 01936e2a-7b40-7123-8abc-0102030405ff --revision 3 --from "$W/report.json")
contains "$rev" '"revision": 3' "--revise with --revision N and --from for a report from elsewhere"
contains "$rev" '"report_id": "01936e2a-7b40-7123-8abc-0102030405ff"' "  under that report id"
# A repeatable flag adds to the list; the other form of the age replaces the first.
id2=$("$P" --url mqtt://127.0.0.1:1 --timeout 1 --outbox "$W/outbox" --state mp --region bhopal \
	--agency grp report --name Ravi --age 7 --language hi --photo "$W/c.jpg" 2>/dev/null)
rev=$(dry report --revise "$id2" --language bundeli --photo "$W/c.jpg" --age-range 6-8)
is "$(printf '%s' "$rev" | /usr/bin/python3 -c 'import json,sys; c=json.load(sys.stdin)["report"]["child"]; print(c["languages"], len(c["photos"]), c.get("age_years"), c["age_range"])')" \
   "['hi', 'bundeli'] 2 None {'min_years': 6, 'max_years': 8}" \
   "revision: --language and --photo add to the earlier ones; --age-range replaces --age"
out=$("$P" --outbox "$W/outbox" --dry-run flush 2>/dev/null)
contains "$out" "$id2" "--dry-run flush lists what would be sent, sends nothing"

# --- config file ----------------------------------------------------------------
cat > "$W/good.conf" <<'INI'
; a GRP post's publisher
[origin]
state = mp
region = bhopal
agency = grp
unit = GRP Post Bhopal Jn
officer_name = SI Anita Verma
[broker]
url = mqtt://127.0.0.1:1
keepalive = 30
[publisher]
timeout = 3
INI
out=$("$P" --config "$W/good.conf" --outbox "$W/outbox" --dry-run report --name X)
is "$?" 0 "good config: exit 0"
contains "$out" '"unit": "GRP Post Bhopal Jn"' "origin taken from the config"
out=$("$P" --config "$W/good.conf" --region vidisha --outbox "$W/outbox" --dry-run report --name X)
contains "$out" '"region": "vidisha"' "a flag overrides the config"
cat > "$W/bad.conf" <<'INI'
[origin]
state = mp
colour = blue
[broker]
keepalive = often
this line is not ini
[elsewhere]
x = 1
INI
expect 78 "$W/bad.conf:3: unknown key 'colour' in [origin]" "bad config key: exit 78, line number" \
	"$P" --config "$W/bad.conf" --dry-run report --name X
contains "$(cat "$W/err")" "$W/bad.conf:5: keepalive: 'often' is not a number" "every bad line reported (5)"
contains "$(cat "$W/err")" "$W/bad.conf:6: not a 'key = value' line" "syntax error line reported (6)"
contains "$(cat "$W/err")" "$W/bad.conf:8: unknown section [elsewhere]" "unknown section reported (8)"
# libinih reads 200 bytes a line: a longer line is refused by its number,
# never cut short (a name ending ";B" was once read without it, exit 0).
long=$(printf 'A%.0s' $(seq 184))
printf '[origin]\nstate = mp\nofficer_name = %s;B\nregion = bhopal\n' "$long" > "$W/long.conf"
expect 78 "$W/long.conf:3: line longer than 199 bytes" "a 201-byte config line: exit 78, its line number" \
	"$P" --config "$W/long.conf" --agency grp --dry-run report --name X
printf '[origin]\nstate = mp\nofficer_name = %s\nregion = bhopal\n' "$(printf 'B%.0s' $(seq 184))" > "$W/fits.conf"
out=$("$P" --config "$W/fits.conf" --agency grp --dry-run report --name X 2>&1)
contains "$out" "\"officer_name\": \"$(printf 'B%.0s' $(seq 184))\"" "a 199-byte line is read whole"
expect 66 "raksha-publish: $W/none.conf: No such file" "missing config: exit 66" \
	"$P" --config "$W/none.conf" --dry-run report --name X
done_testing
