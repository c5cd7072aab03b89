#!/bin/sh
# bench/catchup.sh [N]: catch-up after an absence against live ingest, for
# the district agent (durability crash, then power, each a phase of its own).
#   drain: N reports (default 100,000) are published while the agent is
#          away; its persistent session queues them in the broker; the agent
#          starts and drains them. Time: from the agent's start (database
#          open and check, connection included, as after a real absence)
#          to the commit of the last.
#   live:  the same agent, connected, while N more are published as fast as
#          the broker acknowledges them (bench/stream-publish, 64 in
#          flight). Time: from the first publication to the last commit.
# Commit times come from bench/commit-stamp.so. Prints both rates and the
# ratio drain/live. The embedded default broker (broker-config/dev) has no
# limit on a session's queue (max_queued_messages 0): N = 100,000 needs no
# special configuration. Needs a build in build/ (or RAKSHA_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
B=${RAKSHA_BUILD_DIR:-build}
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-bench.XXXXXX")
AGENT_PID=
trap '[ -n "$AGENT_PID" ] && kill -TERM $AGENT_PID 2>/dev/null; dev_broker_stop; rm -rf "$W"' EXIT
. bench/common.sh
bench_broker

last_commit() { tail -n 1 "$1" | cut -d' ' -f2; }
rate() { awk -v n="$N" -v us="$1" 'BEGIN { printf "%.0f", n * 1e6 / us }'; }
secs() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1e6 }'; }

phase() {
	d=$1 name="bench-catch-$1"
	agent_conf "$name" "$d"
	agent_start "$name"          # the broker learns the session and its filters
	stop "$AGENT_PID"
	AGENT_PID=
	: > "$W/$name.commits"
	t0=$(now_us)
	"$PUB" "$URL" "$N" 0 > "$W/queue-$d.out"
	queue_us=$(( $(now_us) - t0 ))

	t0=$(now_us)
	agent_start "$name" nowait
	wait_lines "$W/$name.commits" "$N" 900 || { echo "$d: drain incomplete" >&2; exit 1; }
	drain_us=$(( $(last_commit "$W/$name.commits") - t0 ))
	first_us=$(head -n 1 "$W/$name.commits" | cut -d' ' -f2)
	start_us=$(( first_us - t0 ))

	wait_for "connected;" "$W/$name.log" 30
	"$PUB" "$URL" "$N" 0 > "$W/live-$d.out"
	wait_lines "$W/$name.commits" $((2 * N)) 900 || { echo "$d: live incomplete" >&2; exit 1; }
	read -r _ _ _ acked _ size _ first _ _ _ pub_us < "$W/live-$d.out"
	live_us=$(( $(last_commit "$W/$name.commits") - first ))
	stop "$AGENT_PID"
	AGENT_PID=
	stored=$(sqlite3 "$W/$name.db" "SELECT count(*) FROM messages WHERE kind = 'report'")
	[ "$stored" -eq $((2 * N)) ] && [ "$acked" -eq "$N" ] ||
		{ echo "$d: stored $stored reports, not $((2 * N))" >&2; exit 1; }
	printf '  durability = %s\n' "$d"
	printf '    %-44s %8s/s  (%s s; the first commit %s ms after the start)\n' \
		"drain of $N queued while away" "$(rate "$drain_us")" "$(secs "$drain_us")" $((start_us / 1000))
	printf '    %-44s %8s/s  (%s s; the publisher alone took %s s)\n' \
		"live, published while connected" "$(rate "$live_us")" "$(secs "$live_us")" "$(secs "$pub_us")"
	printf '    ratio drain/live %s x   (queueing %d reports of %s B took %s s)\n' \
		"$(ratio "$live_us" "$drain_us")" "$N" "$size" "$(secs "$queue_us")"
}

echo "bench/catchup: $N reports, catch-up drain against live ingest"
phase crash
phase power
