#!/bin/bash
# bench/replay.sh [N]: history replay from an agent database of N envelopes
# (default 1,000,000; a smaller N for a quick run), filled once by
# fill-history (the agent's own store.c) and kept in the build folder as
# bench/history-N.db (delete it to fill again). Measures, warm cache, the
# best of several runs of each:
#   1. raksha-replay --format raw > /dev/null, against the baseline
#      sqlite3 DB "SELECT envelope FROM messages ORDER BY seq" > /dev/null:
#      SQLite's own scan of the same rows in the same order, written by the
#      stock sqlite3 shell (the floor for any tool over this database);
#   2. raksha-replay --format json > /dev/null, against the same baseline;
#   3. one hour (about N/720 rows) with a topic filter, raksha-replay raw and
#      json against sqlite3 running the same selection in SQL (the index on
#      received_at_ms, topic LIKE, ORDER BY seq): latency, process start
#      included on both sides (each program's start alone is shown too).
# Prints rates, latencies and the ratios ours/baseline. Needs a build in
# build/ (or RAKSHA_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
B=${RAKSHA_BUILD_DIR:-build}
REPLAY="$B/subscriber/replay/raksha-replay"
FILL="$B/bench/fill-history"
DB="$B/bench/history-$N.db"
RUNS_FULL=5 RUNS_JSON=3 RUNS_WINDOW=20

if [ "$(sqlite3 "$DB" "SELECT count(*) FROM messages" 2>/dev/null || true)" != "$N" ]; then
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.new" "$DB.new-wal" "$DB.new-shm"
	"$FILL" "$DB.new" "$N"
	mv "$DB.new" "$DB"
else
	echo "bench/replay: reusing $DB"
fi
cat "$DB" > /dev/null  # warm: every contestant reads from the page cache

# best RUNS CMD...: the shortest wall time of RUNS runs of CMD > /dev/null, in µs.
best() {
	local runs=$1 best=0 t0 t i
	shift
	for ((i = 0; i < runs; i++)); do
		t0=${EPOCHREALTIME/[.,]/}
		"$@" > /dev/null
		t=$(( ${EPOCHREALTIME/[.,]/} - t0 ))
		if [ "$best" -eq 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best"
}
sql() { sqlite3 "$DB" "$@"; }

# The window: an hour in the middle of the history; the topic filter: GRP in mp.
T=$(( $(sql "SELECT min(received_at_ms) FROM messages") + 15 * 86400000 ))
U=$((T + 3600000))
FILTER='raksha/v1/mp/+/grp/#'
WHERE="received_at_ms >= $T AND received_at_ms < $U AND topic LIKE 'raksha/v1/mp/%/grp/%'"

# Checks first (also a warm-up): each side selects and writes what it should.
bytes=$(sql "SELECT sum(length(envelope) + CASE WHEN length(envelope) < 128 THEN 1
	WHEN length(envelope) < 16384 THEN 2 ELSE 3 END) FROM messages")
raw_bytes=$("$REPLAY" --db "$DB" --format raw | wc -c)
[ "$raw_bytes" -eq "$bytes" ] || { echo "raw wrote $raw_bytes bytes, not $bytes" >&2; exit 1; }
rows=$("$REPLAY" --db "$DB" --format json | wc -l)
[ "$rows" -eq "$N" ] || { echo "json wrote $rows rows, not $N" >&2; exit 1; }
in_window=$(sql "SELECT count(*) FROM messages WHERE $WHERE")
ours=$("$REPLAY" --db "$DB" --since "$T" --until "$U" --topic "$FILTER" --format json | wc -l)
[ "$ours" -eq "$in_window" ] || { echo "window: $ours rows, sqlite3 $in_window" >&2; exit 1; }
hour=$(sql "SELECT count(*) FROM messages WHERE received_at_ms >= $T AND received_at_ms < $U")

base_us=$(best $RUNS_FULL sqlite3 "$DB" "SELECT envelope FROM messages ORDER BY seq")
raw_us=$(best $RUNS_FULL "$REPLAY" --db "$DB" --format raw)
json_us=$(best $RUNS_JSON "$REPLAY" --db "$DB" --format json)
start_us=$(best $RUNS_WINDOW sqlite3 "$DB" "SELECT 1")
ostart_us=$(best $RUNS_WINDOW "$REPLAY" --help)
wbase_us=$(best $RUNS_WINDOW sqlite3 "$DB" "SELECT envelope FROM messages WHERE $WHERE ORDER BY seq")
wraw_us=$(best $RUNS_WINDOW "$REPLAY" --db "$DB" --since "$T" --until "$U" --topic "$FILTER" --format raw)
wjson_us=$(best $RUNS_WINDOW "$REPLAY" --db "$DB" --since "$T" --until "$U" --topic "$FILTER" --format json)

rate() { awk -v n="$N" -v us="$1" 'BEGIN { printf "%.0f", n * 1e6 / us }'; }
mbs() { awk -v b="$bytes" -v us="$1" 'BEGIN { printf "%.0f", b / us }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
line() { printf '    %-44s %9s ms %s\n' "$@"; }
printf 'bench/replay: %d envelopes (%s MB of envelopes, %s on disk), best of %d/%d/%d runs, warm cache\n' \
	"$N" "$(( bytes / 1000000 ))" "$(du -h "$DB" | cut -f1)" "$RUNS_FULL" "$RUNS_JSON" "$RUNS_WINDOW"
echo "  full replay to /dev/null (rows/s, MB of envelopes/s, rate ratio ours/baseline)"
line "sqlite3 SELECT envelope (baseline)" "$(ms "$base_us")" \
	"$(printf '%9s/s %5s MB/s' "$(rate "$base_us")" "$(mbs "$base_us")")"
line "raksha-replay --format raw" "$(ms "$raw_us")" \
	"$(printf '%9s/s %5s MB/s  %s x sqlite3' "$(rate "$raw_us")" "$(mbs "$raw_us")" "$(ratio "$base_us" "$raw_us")")"
line "raksha-replay --format json" "$(ms "$json_us")" \
	"$(printf '%9s/s %5s MB/s  %s x sqlite3' "$(rate "$json_us")" "$(mbs "$json_us")" "$(ratio "$base_us" "$json_us")")"
echo "  one hour ($hour rows) with --topic $FILTER ($in_window rows) (latency, latency ratio ours/baseline)"
line "sqlite3 SELECT 1 (its start and open only)" "$(ms "$start_us")"
line "raksha-replay --help (its start only)" "$(ms "$ostart_us")"
line "sqlite3, the same selection in SQL (baseline)" "$(ms "$wbase_us")"
line "raksha-replay --format raw" "$(ms "$wraw_us")" "$(ratio "$wraw_us" "$wbase_us") x sqlite3"
line "raksha-replay --format json" "$(ms "$wjson_us")" "$(ratio "$wjson_us" "$wbase_us") x sqlite3"
