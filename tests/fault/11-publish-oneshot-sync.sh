#!/bin/sh
# 11: raksha-publish report's one-shot path under strace (no power cut
# here, the next best witness, as in 07), one report to a real mosquitto,
# each order read from the main thread's and the copy's thread's own
# calls (strace -x: a byte 0x32 shows as "2", 0x40 as "@"). The guarantee:
# the PUBLISH (a write starting 0x32 on the socket) after the fsync of the outbox entry and then of its folder; the entry
# unlinked only after the PUBACK was read (0x40), the folder fsynced after
# the unlink; the id printed (stdout) only after the copy for --revise and
# its folder (reports/) were fsynced. What session 4 of issue 19 part 3
# changed, each check failing without it: the CONNECT (0x10) written before
# the entry's fsync (the CONNACK comes while the entry is synced), the copy
# written by another thread than the one that sends (its fsyncs overlap the
# exchange), in one write (not one a JSON token). Never timed.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
command -v strace > /dev/null || bail "strace is not installed (scripts/debian-packages)"
broker_start
W=$BROKER_DIR
OB=$W/outbox
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -C 1 -W 30 -F '%t' > "$W/got" &
SUB=$!
trap 'kill "$SUB" 2>/dev/null; broker_stop' EXIT
sleep 0.5
# LeakSanitizer cannot run under ptrace (the build-san run): 51 checks this
# path for leaks without strace.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=socket,openat,write,read,fsync,rename,renameat,unlinkat -e signal=none \
	-s 1 -x -o "$W/trace" "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$OB" \
	--timeout 10 --state mp --region bhopal --agency grp report --name "सीमा" --age 9 \
	> "$W/id" 2> "$W/err"
is "$?" 0 "under strace: exit 0"
wait "$SUB"
is "$(cat "$W/got")" "raksha/v1/mp/bhopal/grp/report" "  the report reached a subscriber"
is "$(find "$OB" -maxdepth 1 -name '*.msg' | wc -l | tr -d ' ')" 0 "  the outbox is empty"

# Each call on one line at its end: strace splits a call that another
# thread's interrupts into "NAME(... <unfinished ...>" and "<... NAME
# resumed> ...) = R"; the two are joined, at the resumed line.
awk '
/<unfinished \.\.\.>$/ { sub(/ <unfinished \.\.\.>$/, ""); open_call[$1] = $0; next }
/<\.\.\. [a-z0-9_]+ resumed>/ { pid = $1; sub(/^[0-9]+ +<\.\.\. [a-z0-9_]+ resumed>/, ""); print open_call[pid] $0; next }
{ print }' "$W/trace" > "$W/calls"
MAIN=$(head -n 1 "$W/calls" | awk '{ print $1 }')

# Line numbers (in $W/calls) of the main thread's steps, or 0 if missing.
awk -v main="$MAIN" -v ob="$OB" '
function result(line) { sub(/.*\) += /, "", line); return line + 0 }
$1 != main { next }
/socket\(AF_INET/ { sock = result($0) }
index($0, "openat(AT_FDCWD, \"" ob "\", ") && /O_DIRECTORY/ && dir == "" { dir = result($0) }
/openat\([0-9]+, "\.tmp-.*\.msg"/ && entry == "" { entry = result($0) }
sock != "" && index($0, "write(" sock ", \"\\x10") && !connect_at { connect_at = NR }
entry != "" && index($0, "fsync(" entry ")") && / = 0$/ && !entry_sync { entry_sync = NR }
/renameat\(.*\.msg"/ { renamed = NR }
dir != "" && index($0, "fsync(" dir ")") && / = 0$/ && renamed && !dir_sync { dir_sync = NR }
sock != "" && index($0, "write(" sock ", \"2\"") { publish_at = NR }
sock != "" && index($0, "read(" sock ", \"@\"") { puback_at = NR }
/unlinkat\(.*\.msg"/ && / = 0$/ { unlinked = NR }
dir != "" && index($0, "fsync(" dir ")") && / = 0$/ && unlinked && !removal_sync { removal_sync = NR }
END {
	printf "connect=%d entry_sync=%d dir_sync=%d publish=%d puback=%d unlink=%d removal_sync=%d\n",
		connect_at, entry_sync, dir_sync, publish_at, puback_at, unlinked, removal_sync
}' "$W/calls" > "$W/main"
# The copy for --revise: who wrote it, in how many writes, when its file
# and folder were synced, and when the id went to stdout (same thread).
awk -v main="$MAIN" -v ob="$OB" '
function result(line) { sub(/.*\) += /, "", line); return line + 0 }
index($0, "\"" ob "/reports/") && /\.json\.tmp/ && /O_CREAT/ { copy[$1] = result($0); who = $1 }
index($0, "openat(AT_FDCWD, \"" ob "/reports\", ") && /O_DIRECTORY/ { rdir[$1] = result($0) }
who != "" && $1 == who && index($0, "write(" copy[who] ", ") && !copy_sync { writes++ }
who != "" && $1 == who && index($0, "fsync(" copy[who] ")") && / = 0$/ && !copy_sync { copy_sync = NR }
who != "" && $1 == who && (rdir[who] != "") && index($0, "fsync(" rdir[who] ")") && / = 0$/ { rdir_sync = NR }
/ write\(1, / { printed = NR; printer = $1 }
END {
	printf "thread=%s writes=%d copy_sync=%d rdir_sync=%d printed=%d same=%d\n", (who == main ? "main" : "other"),
		writes, copy_sync, rdir_sync, printed, (printer == who)
}' "$W/calls" > "$W/copy"
eval "$(cat "$W/main")"
eval "$(tr ' ' '\n' < "$W/copy" | sed 's/^/copy_/')"
tap_comment "main thread: $(cat "$W/main"); copy: $(cat "$W/copy")"

ok "the entry was fsynced, then its folder" test "$entry_sync" -gt 0 -a "$dir_sync" -gt "$entry_sync"
ok "  the PUBLISH only after both" test "$publish" -gt "$dir_sync"
ok "  the entry unlinked only after the PUBACK" test "$puback" -gt "$publish" -a "$unlink" -gt "$puback"
ok "  and the folder fsynced after the unlink" test "$removal_sync" -gt "$unlink"
ok "the CONNECT went out before the entry's fsync (its answer overlaps the sync)" \
	test "$connect" -gt 0 -a "$connect" -lt "$entry_sync"
is "$copy_thread" other "the copy for --revise is written by another thread than the sending one"
is "$copy_writes" 1 "  in one write"
ok "  its file fsynced, then its folder" test "$copy_copy_sync" -gt 0 -a "$copy_rdir_sync" -gt "$copy_copy_sync"
ok "  the id printed after both, by that thread" test "$copy_printed" -gt "$copy_rdir_sync" -a "$copy_same" = 1
id=$(cat "$W/id")
ok "  the copy is the report printed" test -s "$OB/reports/$id.json"
done_testing
