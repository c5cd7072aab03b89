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

# A full disk: the error said and exit 74 (EX_IOERR), whatever was buffered.
for args in "--format json" "--format raw" "--format text" "--format json --limit 1" \
	"--rejected" "stats" "presence"; do
	# shellcheck disable=SC2086 # the words of $args are the arguments
	replay $args > /dev/full 2> "$W/full.err"; rc=$?
	is "$rc" 74 "$args > /dev/full: exit 74"
	contains "$(cat "$W/full.err")" "cannot write the output" "  and says so"
done
done_testing
