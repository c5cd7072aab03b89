#!/bin/bash
# desk-page.sh RUNS DESK [DESK...]: what raksha-desk's list page weighs and
# costs with 200 open cases, and what a thumbnail weighs against its photo.
# One agent on the development broker stores 201 reports from
# raksha-publish (one with a 500 x 400 photo of noise, 600 KB of PNG, as
# large as the publisher takes); each DESK (e.g. main's build, then this
# one: the first is the baseline) serves that database in turn; curl
# fetches the list page RUNS times (bytes, and the median time from request
# to last byte), then, where the desk has thumbnails, the photo and its
# thumbnail (the first request makes it, the next come from the cache),
# and what a browser loads for the list in all: the page, /style.css,
# /live.js and every thumbnail it names ("page+ B").
# Ratios against the first DESK, and the thumbnail against the photo, all
# in the same run.
set -eu
# DESK paths are taken from where it is called, then the source root is home.
desks=()
for d in "${@:2}"; do desks+=("$(realpath "$d")"); done
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: desk-page.sh RUNS DESK [DESK...]" >&2; exit 64; }
RUNS=$1
B=${RAKSHA_BUILD_DIR:-build-dev}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
DESKPID=
trap '[ -n "$DESKPID" ] && stop "$DESKPID"; [ -n "${AGENT_PID:-}" ] && stop "$AGENT_PID"; dev_broker_stop > /dev/null 2>&1 || true; rm -rf "$W"' EXIT
. bench/common.sh
PUBLISH="$B/publisher/raksha-publish"
bench_broker
agent_conf bench-desk crash
agent_start bench-desk
pub() { "$PUBLISH" --url "$URL" --outbox "$W/pub" --state mp --region bhopal --agency grp "$@"; }
/usr/bin/python3 - "$W/photo.png" <<'PY'
import os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + os.urandom(1500) for _ in range(400))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 500, 400, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
photo_case=$(pub report --name "सीमा कुमारी" --age 9 --station BPL --train 12627 --priority critical \
	--photo "$W/photo.png")
seq 200 | xargs -P 4 -I {} "$PUBLISH" --url "$URL" --outbox "$W/pub" --state mp --region bhopal --agency grp \
	report --name "बच्चा {} Kumar" --age 8 --gender male --station ET --train 12002 --coach S4 \
	--clothing "blue shirt" --priority high > /dev/null
for _ in $(seq 300); do
	[ "$(sqlite3 "$W/bench-desk.db" "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 2>/dev/null)" -ge 201 ] &&
		break
	sleep 0.1
done
# The development configuration's [desk] (users in $W/desk-users), on the next port.
sed "s|@DESK_PORT@|$((BROKER_PORT + 1))|" "$W/bench-desk.conf" > "$W/desk.conf"
DURL=http://127.0.0.1:$((BROKER_PORT + 1))
printf 'bench-pass-1\n' | "${desks[0]}" --config "$W/desk.conf" user add bench > /dev/null
# measure DESK: "bytes median-ms thumb-bytes photo-bytes make-ms cached-ms
# total-bytes" (thumb 0: none).
measure() {
	"$1" --config "$W/desk.conf" 2> "$W/desk.log" &
	DESKPID=$!
	wait_for "listening on" "$W/desk.log" 10 || { cat "$W/desk.log" >&2; exit 1; }
	rm -f "$W/jar"
	token=$(curl -s -c "$W/jar" "$DURL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode "csrf=$token" \
		--data-urlencode username=bench --data-urlencode password=bench-pass-1 "$DURL/login"
	: > "$W/times"
	for _ in $(seq "$RUNS"); do
		curl -s -b "$W/jar" -o "$W/list.html" -w '%{time_total}\n' "$DURL/cases" |
			awk '{ printf "%.2f\n", $1 * 1000 }' >> "$W/times"
	done
	bytes=$(wc -c < "$W/list.html")
	thumb=0 make=- cached=-
	if grep -q '/thumb/0' "$W/list.html"; then
		make=$(curl -s -b "$W/jar" -o "$W/thumb.jpg" -w '%{time_total}' "$DURL/case/$photo_case/thumb/0" |
			awk '{ printf "%.2f", $1 * 1000 }')
		cached=$(curl -s -b "$W/jar" -o /dev/null -w '%{time_total}' "$DURL/case/$photo_case/thumb/0" |
			awk '{ printf "%.2f", $1 * 1000 }')
		thumb=$(wc -c < "$W/thumb.jpg")
	fi
	photo=$(curl -s -b "$W/jar" -o /dev/null -w '%{size_download}' "$DURL/case/$photo_case/photo/0")
	total=$bytes
	for part in /style.css /live.js $(grep -o '/case/[0-9a-f-]*/thumb/[0-9]*' "$W/list.html"); do
		total=$((total + $(curl -s -b "$W/jar" -o /dev/null -w '%{size_download}' "$DURL$part")))
	done
	stop "$DESKPID"
	DESKPID=
	echo "$bytes $(pct "$W/times" 50) $thumb $photo $make $cached $total"
}
printf '%-50s %8s %6s %8s %6s | %8s %8s %12s %8s %8s | %8s\n' DESK "list B" ratio "ms p50" ratio "photo B" \
	"thumb B" "thumb/photo" "make ms" "cached" "page+ B"
base_bytes= base_ms=
for desk in "${desks[@]}"; do
	read -r bytes ms thumb photo make cached total < <(measure "$desk")
	[ -n "$base_bytes" ] || { base_bytes=$bytes; base_ms=$ms; }
	printf '%-50s %8s %6s %8s %6s | %8s %8s %12s %8s %8s | %8s\n' "$desk" "$bytes" "$(ratio "$bytes" "$base_bytes")" \
		"$ms" "$(ratio "$ms" "$base_ms")" "$photo" "$thumb" \
		"$(awk -v a="$thumb" -v b="$photo" 'BEGIN { printf "%.4f", a / b }')" "$make" "$cached" "$total"
done
