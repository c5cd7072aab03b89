#!/bin/sh
# 52: an idle agent does not step every second (issue 19 part 1): the
# escalator sleeps until the next thing is due, the hooks runner until a hook
# is queued. A real agent on a real mosquitto, connected and idle, over 4 s:
# the hooks thread switches voluntarily at most once (4 when it polled every
# second: tried), the escalator at most 6 times (8 or more when it stepped
# every second: tried) (/proc/PID/task/TID/status, the threads named in
# their start functions). An escalation (`after = 2s`) still fires on time,
# as in 13; the agent exits 0.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT=
trap '[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null; broker_stop' EXIT
agent_conf mp-bhopal-grp-idle "raksha/v1/mp/#" > "$W/agent.conf"
cat >> "$W/agent.conf" <<CONF
[escalate.bhopal]
match = raksha/v1/mp/+/+/report
after = 2s
publish = raksha/v1/mp/bhopal/grp/escalation
CONF
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/agent.out" 2> "$W/agent.err" &
AGENT=$!
for _ in $(seq 150); do grep -q "connected;" "$W/agent.err" && break; sleep 0.1; done
grep -q "connected;" "$W/agent.err" || bail "the agent did not connect: $(cat "$W/agent.err")"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "the agent's presence not stored"
sleep 2  # the escalator's first passes, over a database with nothing due

esc0=$(thread_switches escalator)
hooks0=$(thread_switches hooks)
ok "the agent has threads named escalator and hooks (the test counts the right ones)" \
	test "$esc0" != none -a "$hooks0" != none
sleep 4
esc=$(( $(thread_switches escalator) - esc0 ))
hooks=$(( $(thread_switches hooks) - hooks0 ))
ok "idle for 4 s, the hooks runner waits without a timeout ($hooks switches, at most 1)" test "$hooks" -le 1
ok "idle for 4 s, the escalator does not step every second ($esc switches, at most 6)" test "$esc" -le 6

"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" --state mp --region bhopal \
	--agency grp report --name "Ravi" --age 7 > /dev/null
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 1
is "$(q "SELECT count(*) FROM messages WHERE kind = 'escalation'")" 1 "a report nobody acts on is still escalated"
waited=$(q "SELECT min(e.received_at_ms) - r.received_at_ms FROM messages e JOIN messages r
	ON e.report_id = r.report_id WHERE e.kind = 'escalation' AND r.kind = 'report'")
ok "  not before 'after' (2s), and soon after it (waited $waited ms)" \
	test "$waited" -ge 2000 -a "$waited" -lt 6000
kill "$AGENT"
wait "$AGENT"; rc=$?
AGENT=
is "$rc" 0 "SIGTERM: the agent exits 0"
done_testing
