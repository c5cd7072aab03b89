# Shared by bench/latency.sh, fanout.sh, catchup.sh, footprint.sh and
# publish.sh; sourced from the source root. Needs B (the build folder) and W
# (a private temporary folder, removed by the caller's trap).
RAKSHA_SOURCE_ROOT=$(pwd)
. scripts/dev-broker.sh

STAMP="$B/bench/commit-stamp.so"
AGENT="$B/subscriber/agent/raksha-agent"
PUB="$B/bench/stream-publish"
for f in "$STAMP" "$AGENT" "$PUB"; do
	[ -e "$f" ] || { echo "$f missing: meson compile -C $B" >&2; exit 1; }
done

now_us() { date +%s%6N; }

# bench_broker [TEMPLATE]: the embedded default broker (or TEMPLATE) in $W/broker.
bench_broker() {
	[ -n "${1:-}" ] && BROKER_TEMPLATE=$1
	dev_broker_start "$W/broker" >/dev/null || { echo "no broker" >&2; exit 1; }
	URL="mqtt://127.0.0.1:$BROKER_PORT"
}

# agent_conf NAME DURABILITY [DB]: $W/NAME.conf, the development agent
# (broker-config/dev/agent.conf.in) with id NAME, its own database (default
# $W/NAME.db) and outbox, and DURABILITY. The demonstration escalation rule
# is kept (its timers are made and scanned as in production) but waits 1 h
# instead of 2 min, so that no escalation fires during a run.
agent_conf() {
	sed -e "s|@PORT@|$BROKER_PORT|" -e "s|@STATE_DIR@|$W|" broker-config/dev/agent.conf.in |
		sed -e "s|^database = .*|database = ${3:-$W/$1.db}|" -e "s|^durability = .*|durability = $2|" \
		    -e "s|^id = .*|id = $1|" -e "s|^outbox = .*|outbox = $W/$1.outbox|" \
		    -e "s|^after = 2m|after = 1h|" > "$W/$1.conf"
}

# agent_start NAME [nowait]: starts the agent of $W/NAME.conf with the
# commit-stamp shim (each commit's seq and time in $W/NAME.commits), its log
# in $W/NAME.log; waits (up to 30 s) until it is connected and subscribed
# unless "nowait". Sets AGENT_PID.
agent_start() {
	: > "$W/$1.log"
	LD_PRELOAD="$(realpath "$STAMP")" RAKSHA_COMMIT_LOG="$W/$1.commits" \
		"$AGENT" --config "$W/$1.conf" 2>> "$W/$1.log" &
	AGENT_PID=$!
	[ "${2:-}" = nowait ] && return 0
	wait_for "connected;" "$W/$1.log" 30 || { echo "agent $1 did not connect" >&2; cat "$W/$1.log" >&2; exit 1; }
}

# wait_for TEXT FILE SECONDS: until FILE contains TEXT; 1 if it never did.
wait_for() {
	local _w=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		_w=$((_w + 1))
		[ $_w -gt $(($3 * 50)) ] && return 1
		sleep 0.02
	done
	return 0
}

# wait_lines FILE N SECONDS: until FILE has at least N lines; 1 if it never did.
wait_lines() {
	local _w=0
	while [ "$(wc -l < "$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		_w=$((_w + 1))
		[ $_w -gt $(($3 * 50)) ] && return 1
		sleep 0.02
	done
	return 0
}

# stop PID: SIGTERM and wait.
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# pct FILE P: the P-th percentile (nearest rank) of the numbers in FILE, one a line.
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; print v[i] }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }'; }

# thread_snap PID: a line a thread of PID, sorted: tid, name (its comm,
# spaces as _), context switches (voluntary and not), CPU ns (schedstat).
# For bench/agent-idle.sh and agent-lone.sh.
thread_snap() {
	for t in /proc/"$1"/task/*; do
		printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' _ < "$t/comm")" \
			"$(awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n }' "$t/status")" \
			"$(cut -d' ' -f1 "$t/schedstat")"
	done | sort
}
