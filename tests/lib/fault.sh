# Helpers for the fault suites (tests/fault/). Source after tap.sh (and
# broker.sh, agent.sh where used).

# fault_suite: starts the suite's broker and sets W (its folder), S (a
# scratch folder on a tmpfs when there is one, for the publishers' outboxes:
# their fsyncs are not what these suites test, and would set their pace on
# a busy disk) and URL. On exit the processes whose ids are in AGENT, FEED,
# PUB, SUB and PROXY_PID are killed, and all of it goes.
fault_suite() {
	broker_start
	W=$BROKER_DIR
	S=$(mktemp -d /dev/shm/raksha-fault.XXXXXX 2>/dev/null || mktemp -d "$W/shm.XXXXXX")
	AGENT= FEED= PUB= SUB=
	URL="mqtt://127.0.0.1:$BROKER_PORT"
	trap fault_cleanup EXIT
}
fault_cleanup() {
	for _p in $AGENT $FEED $PUB $SUB ${PROXY_PID:-}; do kill -KILL "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	rm -rf "$S"
	broker_stop
}

# rnd N: a random number in 0..N-1.
rnd() { echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 )); }
# msleep MS: sleeps MS milliseconds.
msleep() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# wait_until SECONDS COMMAND [ARGS...]: polls COMMAND every 0.1 s until it
# succeeds (0) or SECONDS have passed (1). Bounds are generous: the
# sanitizer build on a loaded machine is several times slower.
wait_until() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	"$@"
}

# at_least N COMMAND...: COMMAND prints a number that is N or more.
at_least() { _want=$1; shift; [ "$("$@")" -ge "$_want" ]; }

# lines_in FILE PATTERN: how many lines of FILE hold the fixed string PATTERN.
lines_in() { _c=$(grep -cF -- "$2" "$1" 2>/dev/null); echo "${_c:-0}"; }

# outbox_ids DIR: the message ids (32 hex digits) queued in an outbox, sorted.
outbox_ids() { ls "$1" | sed -n 's/^\([0-9a-f-]\{36\}\)\.msg$/\1/p' | tr -d - | sort; }
# outbox_count DIR
outbox_count() { outbox_ids "$1" | wc -l | tr -d ' '; }
# outbox_left DIR: how many entries raksha-publish says the outbox holds.
outbox_left() { "$RAKSHA_PUBLISH" --outbox "$1" outbox 2>&1 >/dev/null | cut -d' ' -f1; }

# report_ids: the message ids of the reports in the agent's database ($DB), sorted.
report_ids() { sqlite3 "$DB" "SELECT lower(hex(message_id)) FROM messages WHERE kind = 'report'" | sort; }
reports() { q "SELECT count(*) FROM messages WHERE kind = 'report'"; }
distinct_reports() { q "SELECT count(DISTINCT message_id) FROM messages WHERE kind = 'report'"; }

# finished PID: the process has exited.
finished() { ! kill -0 "$1" 2>/dev/null; }

# proxy_start UPSTREAM-PORT NAME: a tests/tools/blackhole-proxy in front of
# UPSTREAM-PORT, its output in $W/NAME.out. Sets PROXY_PID and PROXY_PORT.
proxy_start() {
	"$BLACKHOLE_PROXY" "$1" > "$W/$2.out" 2> "$W/$2.err" &
	PROXY_PID=$!
	PROXY_OUT=$W/$2.out
	wait_until 5 test -s "$PROXY_OUT" || bail "blackhole-proxy did not start"
	PROXY_PORT=$(head -n 1 "$PROXY_OUT")
}

# proxy_cut, proxy_restore: signal the proxy and wait until it confirms.
proxy_cut() {
	_had=$(lines_in "$PROXY_OUT" cut)
	kill -USR1 "$PROXY_PID"
	wait_until 5 at_least $((_had + 1)) lines_in "$PROXY_OUT" cut
}
proxy_restore() {
	_had=$(lines_in "$PROXY_OUT" restored)
	kill -USR2 "$PROXY_PID"
	wait_until 5 at_least $((_had + 1)) lines_in "$PROXY_OUT" restored
}

# broker_respawn DIR: starts a suite's mosquitto again (after SIGKILL) on its
# port, configuration and state, as tests/lib/restart-broker.sh does after
# SIGTERM; a child of the suite's shell (BROKER_PID), so that it can be
# waited for. Returns 1 if it never says it is running.
broker_respawn() {
	: > "$1/mosquitto.log"
	mosquitto -c "$1/mosquitto.conf" 2>> "$1/mosquitto.log" &
	BROKER_PID=$!
	echo "$BROKER_PID" > "$1/mosquitto.pid"
	wait_until 10 grep -q " running" "$1/mosquitto.log"
}

# clean_logs FILE...: no sanitizer report (ASan, LSan, UBSan) in any of
# them. A report found is printed as TAP comments, the first of each file:
# the files usually go with the suite's folder.
SANITIZER_REPORT="ERROR: (Address|Leak)Sanitizer|runtime error:"
clean_logs() {
	grep -qE "$SANITIZER_REPORT" "$@" 2>/dev/null || return 0
	for _f in "$@"; do
		grep -m1 -A60 -E "$SANITIZER_REPORT" "$_f" 2>/dev/null | sed "s|^|# ${_f##*/}: |"
	done
	return 1
}
