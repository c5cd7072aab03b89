#!/bin/sh
# 45: raksha-replay --format json writes, byte for byte, what the jansson
# tree of every row wrote before it was written directly: a database of
# every kind of message and hostile rejected input (tests/tools/fill-kinds,
# the same at every run) against tests/fixtures/replay-kinds.json, made by
# main's raksha-replay at commit 9b3927b (tests/fixtures/README.md). And a
# write that fails (/dev/full) is an error and exit 74 in every format,
# never a short output and exit 0.
# WRITE_GOLDEN=1 with RAKSHA_REPLAY of the reference build writes the file.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DB=$W/kinds.db
GOLDEN=$RAKSHA_SOURCE_ROOT/tests/fixtures/replay-kinds.json
replay() { TZ=Asia/Kolkata "$RAKSHA_REPLAY" "$@" --db "$DB"; }

"$FILL_KINDS" "$DB" || bail "fill-kinds failed"
# A row that no longer passes the checks: its envelope is shown as null.
sqlite3 "$DB" "UPDATE messages SET envelope = X'FF01' WHERE seq = 3" || bail "sqlite3 failed"
{ replay --format json; replay --rejected --format json; } > "$W/out.json" 2> "$W/err"
if [ "${WRITE_GOLDEN:-0}" = 1 ]; then
	cp "$W/out.json" "$GOLDEN"
	echo "# wrote $GOLDEN"
fi
ok "every kind, a row that no longer decodes and hostile rejected input: the golden bytes" \
	cmp "$W/out.json" "$GOLDEN"
is "$(wc -l < "$W/out.json" | tr -d ' ')" 13 "  8 messages and 5 rejected payloads"
is "$(cat "$W/err")" "" "  nothing on stderr"

# received_at, written digit by digit from localtime_r() (replay/output_time.c),
# is what Python's zoneinfo says of received_at_ms in every kind of zone: a
# half-hour DST (Lord_Howe), 45 minutes (Kathmandu, Chatham), west of UTC,
# each at its 2026 transitions (found by Python, to the ms) and 1 ms and an
# hour either side, the epoch and the last ms of 9999 (west of Asia: east,
# its year is 10000, which Python cannot show, nor strftime's %Y the same way).
ZONES="UTC Asia/Kolkata America/New_York Europe/London Australia/Lord_Howe Asia/Kathmandu Pacific/Chatham America/St_Johns"
/usr/bin/python3 - $ZONES > "$W/instants" <<'PY' || bail "python3 failed"
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
def offset(z, ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).astimezone(z).utcoffset()
out = {0, 999, 1000, 253402300799999}
start = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()) * 1000
for name in sys.argv[1:]:
    z = ZoneInfo(name)
    step = 3600000
    for t in range(start, start + 366 * 86400000, step):
        if offset(z, t) == offset(z, t + step):
            continue
        lo, hi = t, t + step  # the first ms of the new offset is in (lo, hi]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if offset(z, mid) == offset(z, lo):
                lo = mid
            else:
                hi = mid
        out |= {hi - 3600000, hi - 1, hi, hi + 1, hi + 3600000}
print(" ".join(str(v) for v in sorted(out)))
PY
: > "$W/times"
cp "$DB" "$W/times.db"
# A row at each instant: the first message's columns, a fresh message_id.
values=$(sed 's/ /),(/g' "$W/instants")
sqlite3 "$W/times.db" "INSERT INTO messages (message_id, received_at_ms, sent_at_ms, topic, kind,
	report_id, state, region, agency, envelope) SELECT randomblob(16), t.column1, sent_at_ms, topic,
	kind, report_id, state, region, agency, envelope FROM messages, (VALUES ($values)) AS t
	WHERE seq = 1" || bail "sqlite3 failed"
for zone in $ZONES; do
	TZ=$zone "$RAKSHA_REPLAY" --db "$W/times.db" --format json |
		sed "s/^/$(echo "$zone" | tr / :) /" >> "$W/times"
done
wrong=$(/usr/bin/python3 - "$W/times" <<'PY'
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
n = bad = 0
for line in open(sys.argv[1]):
    zone, row = line.split(" ", 1)
    row = json.loads(row)
    ms = row["received_at_ms"]
    try:
        local = datetime.fromtimestamp(ms // 1000, timezone.utc).astimezone(ZoneInfo(zone.replace(":", "/")))
    except OverflowError:
        continue  # the year 10000 east of UTC: beyond Python's dates
    off = int(local.utcoffset().total_seconds()) // 60
    want = local.strftime("%Y-%m-%dT%H:%M:%S") + ".%03d" % (ms % 1000) + "%s%02d:%02d" % (
        "-" if off < 0 else "+", abs(off) // 60, abs(off) % 60)
    n += 1
    if row["received_at"] != want:
        bad += 1
        if bad <= 3:
            print("# %s %d: %s, not %s" % (zone, ms, row["received_at"], want), file=sys.stderr)
print("%d %d" % (n, bad))
PY
)
count=${wrong% *}
is "${wrong#* }" 0 "received_at in 8 zones at $count instants (their 2026 transitions and 1 ms and 1 h either side): as zoneinfo says"
[ "$count" -gt 200 ] || bail "only $count instants"

# A full disk: the error said and exit 74 (EX_IOERR), whatever was buffered.
for args in "--format json" "--format raw" "--format text" "--format json --limit 1" \
	"--rejected" "stats" "presence"; do
	# shellcheck disable=SC2086 # the words of $args are the arguments
	replay $args > /dev/full 2> "$W/full.err"; rc=$?
	is "$rc" 74 "$args > /dev/full: exit 74"
	contains "$(cat "$W/full.err")" "cannot write the output" "  and says so"
done
done_testing
