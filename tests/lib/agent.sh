# Helpers for the suites that run raksha-agent (10, 11, 13, tests/fault). Source after
# broker.sh; they use BROKER_PORT and DB (the agent's database path).

# agent_conf ID "FILTER ..." [EXTRA-[agent]-LINE ...]: a configuration for a
# GRP agent in Bhopal on the suite's broker, on stdout.
agent_conf() {
	printf '[agent]\nid = %s\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = %s\n' "$1" "$DB"
	filters=$2
	shift 2
	for line in "$@"; do printf '%s\n' "$line"; done
	printf '[broker]\nurl = mqtt://127.0.0.1:%s\n[subscribe]\n' "$BROKER_PORT"
	for f in $filters; do printf 'filter = %s\n' "$f"; done
}

# q SQL: the agent's database answers, once the agent has made it (the
# sqlite3 shell would otherwise create the file itself, with its own mode).
q() { if [ -s "$DB" ]; then sqlite3 "$DB" "$1" 2>/dev/null || echo 0; else echo 0; fi; }

# wait_rows SQL N: until the query gives at least N, at most 15 s.
wait_rows() { for _ in $(seq 150); do [ "$(q "$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }

# thread_switches NAME: the voluntary context switches of the thread NAME of
# the agent $AGENT (/proc/PID/task/TID/status; the agent names its threads
# in their start functions), or "none".
thread_switches() {
	for t in /proc/"$AGENT"/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = "$1" ] || continue
		awk '/^voluntary_ctxt_switches:/ { print $2 }' "$t/status"
		return 0
	done
	echo none
}
