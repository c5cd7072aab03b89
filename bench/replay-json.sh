#!/bin/bash
# bench/replay-json.sh [N] [PAIRS]: raksha-replay --format json against
# --format raw over the same agent database of N envelopes (default
# 100,000; bench/history-N.db in the build folder, filled by fill-history
# once, as bench/replay.sh does), each > /dev/null, warm cache, in turn
# (raw json raw json ..., PAIRS pairs after one of warm-up, default 9):
# each one's wall time, and the speed ratio json/raw (raw's time over
# json's) pair by pair, min and median. The goal of issue 19 is >= 0.25.
# The JSON is checked first: one line a row. Needs a build in build/ (or
# RAKSHA_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
PAIRS=${2:-9}
B=${RAKSHA_BUILD_DIR:-build}
REPLAY="$B/subscriber/replay/raksha-replay"
DB="$B/bench/history-$N.db"

if [ "$(sqlite3 "$DB" "SELECT count(*) FROM messages" 2>/dev/null || true)" != "$N" ]; then
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.new" "$DB.new-wal" "$DB.new-shm"
	"$B/bench/fill-history" "$DB.new" "$N"
	mv "$DB.new" "$DB"
fi
cat "$DB" > /dev/null  # warm: both read from the page cache
rows=$("$REPLAY" --db "$DB" --format json | wc -l)
[ "$rows" -eq "$N" ] || { echo "json wrote $rows rows, not $N" >&2; exit 1; }

# us CMD...: the wall time of one run of CMD > /dev/null, in µs.
us() {
	local t0=${EPOCHREALTIME/[.,]/}
	"$@" > /dev/null
	echo $(( ${EPOCHREALTIME/[.,]/} - t0 ))
}
raws=() jsons=() ratios=()
for ((i = 0; i <= PAIRS; i++)); do
	r=$(us "$REPLAY" --db "$DB" --format raw)
	j=$(us "$REPLAY" --db "$DB" --format json)
	[ "$i" -eq 0 ] && continue  # the warm-up pair
	raws+=("$r") jsons+=("$j")
	ratios+=("$(awk -v r="$r" -v j="$j" 'BEGIN { printf "%.3f", r / j }')")
done
# stat V...: "min median" of the values.
stat() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%s %s", v[1], v[int((NR + 1) / 2)] }'; }
read -r rmin rmed <<< "$(stat "${raws[@]}")"
read -r jmin jmed <<< "$(stat "${jsons[@]}")"
read -r qmin qmed <<< "$(stat "${ratios[@]}")"
printf 'bench/replay-json: %d envelopes, %d pairs (raw, json) after one of warm-up, warm cache, > /dev/null\n' "$N" "$PAIRS"
printf '    raksha-replay --format raw   min %8.1f ms  median %8.1f ms  %6.2f us a row\n' \
	"$(awk -v v="$rmin" 'BEGIN { print v / 1000 }')" "$(awk -v v="$rmed" 'BEGIN { print v / 1000 }')" \
	"$(awk -v v="$rmed" -v n="$N" 'BEGIN { print v / n }')"
printf '    raksha-replay --format json  min %8.1f ms  median %8.1f ms  %6.2f us a row\n' \
	"$(awk -v v="$jmin" 'BEGIN { print v / 1000 }')" "$(awk -v v="$jmed" 'BEGIN { print v / 1000 }')" \
	"$(awk -v v="$jmed" -v n="$N" 'BEGIN { print v / n }')"
printf '    speed json/raw, pair by pair  min %.3f  median %.3f\n' "$qmin" "$qmed"
