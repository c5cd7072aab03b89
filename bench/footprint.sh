#!/bin/sh
# bench/footprint.sh [IDLE_S] [N]: the district agent's memory and CPU.
#   1. idle: the agent (an empty database, connected, its five filters)
#      for IDLE_S seconds (default 30), beside mosquitto_sub -q 1 with a
#      persistent session on the same five filters (the baseline: an MQTT
#      subscriber that keeps nothing);
#   2. history: the agent started on a database of N stored envelopes
#      (default 1,000,000, written by bench/fill-history through the
#      agent's own store.c, kept as $B/bench/history-N.db as bench/replay.sh
#      does; the agent gets a copy, marked as scanned by its escalator as
#      if it had stored them itself), idle IDLE_S seconds, then 10,000
#      reports through it; the baseline: sqlite3 running the agent's start
#      check (PRAGMA quick_check) and a count on the same database.
# First it lists the libraries the agent links (ldd).
# Memory from /proc/PID/status (VmRSS now, VmHWM the peak), CPU from
# /proc/PID/stat (user + system, all threads). The goal: the agent's RSS
# under 10 MiB (issue 19 part 6; the desk's 16 is bench/desk-footprint.sh's).
# Needs a build in build/ (or RAKSHA_BUILD_DIR). With
# FOOTPRINT_SMAPS=FILE, the agent's /proc/PID/smaps (which mapping holds
# what) on the history goes to FILE.idle before the 10,000 reports and to
# FILE after them.
set -eu
cd "$(dirname "$0")/.."
IDLE=${1:-30}
N=${2:-1000000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID= SUB_PID=
trap 'for p in $AGENT_PID $SUB_PID; do kill -TERM $p 2>/dev/null; done; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker
HZ=$(getconf CLK_TCK)

kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpu() { awk -v t="$1" -v hz="$HZ" -v s="$IDLE" 'BEGIN { printf "%.2f", t * 100 / hz / s }'; }
# parts PID: VmRSS split into anonymous memory, mapped files (libraries;
# shared with other processes) and shared memory (SQLite's WAL index).
parts() { printf 'anon %s file %s shm %s' "$(mib "$(kib "$1" RssAnon)")" "$(mib "$(kib "$1" RssFile)")" \
	"$(mib "$(kib "$1" RssShmem)")"; }
line() {  # LABEL RSS_KIB HWM_KIB [EXTRA]
	printf '    %-46s VmRSS %6s MiB  VmHWM %6s MiB  %s\n' "$1" "$(mib "$2")" "$(mib "$3")" "${4:-}"
}
filters() { sed -n 's/^filter = //p' broker-config/dev/agent.conf.in | sed 's/^/-t /' | tr '\n' ' '; }

echo "bench/footprint: idle ${IDLE} s; a history of $N envelopes; goal: agent RSS < 10 MiB"
# What the service maps at start: every shared library ldd resolves (the
# vDSO and the loader among them), by name.
libs=$(ldd "$AGENT" | awk '{ print $1 }' | sed 's|.*/||')
echo "  raksha-agent links $(echo "$libs" | wc -l | tr -d ' ') libraries (ldd): $(echo "$libs" | tr '\n' ' ')"

# 1. Idle, side by side.
agent_conf bench-fp power
agent_start bench-fp
# shellcheck disable=SC2046
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -c -i bench-fp-sub $(filters) > /dev/null &
SUB_PID=$!
sleep 1
a0=$(ticks "$AGENT_PID") s0=$(ticks "$SUB_PID")
sleep "$IDLE"
a1=$(ticks "$AGENT_PID") s1=$(ticks "$SUB_PID")
a_rss=$(kib "$AGENT_PID" VmRSS) a_hwm=$(kib "$AGENT_PID" VmHWM)
s_rss=$(kib "$SUB_PID" VmRSS) s_hwm=$(kib "$SUB_PID" VmHWM)
a_thr=$(kib "$AGENT_PID" Threads)
a_parts=$(parts "$AGENT_PID") s_parts=$(parts "$SUB_PID")
stop "$AGENT_PID"
AGENT_PID=
echo "  idle, empty database (CPU: % of one core over ${IDLE} s)"
line "mosquitto_sub -q 1 (baseline)" "$s_rss" "$s_hwm" "CPU $(cpu $((s1 - s0))) %   ($s_parts)"
line "raksha-agent ($a_thr threads)" "$a_rss" "$a_hwm" \
	"CPU $(cpu $((a1 - a0))) %   RSS $(ratio "$a_rss" "$s_rss") x mosquitto_sub   ($a_parts)"

# 2. On a history of N envelopes.
DB="$B/bench/history-$N.db"
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM messages" 2>/dev/null || true)" != "$N" ]; then
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$B/bench/fill-history" "$DB.new" "$N" > /dev/null
	mv "$DB.new" "$DB"
fi
cp "$DB" "$W/hist.db"
# fill-history leaves the escalator's mark (meta.scanned_seq) at 0; an agent
# that stored these itself would have looked at them all: say so, or its
# escalator would first scan the whole history and fire its rule on it.
sqlite3 "$W/hist.db" "UPDATE meta SET value = (SELECT max(seq) FROM messages) WHERE key = 'scanned_seq'"
cat "$W/hist.db" > /dev/null  # warm, for both sides
q_hwm=$( { /usr/bin/time -f '%M' sqlite3 "$W/hist.db" "PRAGMA quick_check; SELECT count(*) FROM messages" > "$W/q.out"; } 2>&1 )
[ "$(sed -n 2p "$W/q.out")" = "$N" ] || { echo "sqlite3 counted $(sed -n 2p "$W/q.out")" >&2; exit 1; }
reports=$(sqlite3 "$W/hist.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
agent_conf bench-fph power "$W/hist.db"
t0=$(now_us)
agent_start bench-fph
start_ms=$(( ($(now_us) - t0) / 1000 ))
h0=$(ticks "$AGENT_PID")
sleep "$IDLE"
h1=$(ticks "$AGENT_PID")
h_rss=$(kib "$AGENT_PID" VmRSS) h_hwm=$(kib "$AGENT_PID" VmHWM) h_parts=$(parts "$AGENT_PID")
[ -z "${FOOTPRINT_SMAPS:-}" ] || cat "/proc/$AGENT_PID/smaps" > "$FOOTPRINT_SMAPS.idle"
"$PUB" "$URL" 10000 0 > /dev/null
wait_lines "$W/bench-fph.commits" 10000 300 || { echo "the 10,000 reports were not all stored" >&2; exit 1; }
l_rss=$(kib "$AGENT_PID" VmRSS) l_hwm=$(kib "$AGENT_PID" VmHWM) l_parts=$(parts "$AGENT_PID")
[ -z "${FOOTPRINT_SMAPS:-}" ] || cat "/proc/$AGENT_PID/smaps" > "$FOOTPRINT_SMAPS"
stop "$AGENT_PID"
AGENT_PID=
stored=$(sqlite3 "$W/hist.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
[ "$stored" -eq $((reports + 10000)) ] || { echo "$stored reports stored, not $((reports + 10000))" >&2; exit 1; }
others=$(sqlite3 "$W/hist.db" "SELECT group_concat(kind || ' ' || n, ', ') FROM (SELECT kind, count(*) AS n
	FROM messages WHERE seq > (SELECT max(seq) FROM messages) - $(( $(sqlite3 "$W/hist.db" "SELECT count(*) FROM messages") - N ))
	AND kind <> 'report' GROUP BY kind)")
echo "  a history of $N envelopes ($(du -m "$W/hist.db" | cut -f1) MB)"
line "sqlite3: quick_check and count (baseline)" "$q_hwm" "$q_hwm" "(peak: /usr/bin/time %M)"
line "raksha-agent, idle after its start" "$h_rss" "$h_hwm" \
	"CPU $(cpu $((h1 - h0))) %   start ${start_ms} ms   peak $(ratio "$h_hwm" "$q_hwm") x sqlite3   ($h_parts)"
line "raksha-agent, after 10,000 more reports" "$l_rss" "$l_hwm" \
	"peak $(ratio "$l_hwm" "$q_hwm") x sqlite3, $(mib "$l_hwm") of 10 MiB   ($l_parts)"
[ -z "$others" ] || echo "    (besides the 10,000 reports the agent stored its own: $others)"
