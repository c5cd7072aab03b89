#!/bin/sh
# fault 02: the link to the broker goes dead for 20 s (tests/tools/
# blackhole-proxy: connections stay open, no byte moves, new connections get
# nothing) while a publisher sends a report every ~100 ms and an agent with
# a persistent session listens, both through the proxy. The agent's
# keepalive (5 s) notices and says so; after the link returns both recover
# by themselves (no restart, no flush but the publisher's own backlog
# sending), and the agent holds every published report, each once.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
CUT_S=20
KEEPALIVE=5
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT= PROXY_PID= STREAM=
cleanup() {
	: > "$W/stop"
	[ -n "$STREAM" ] && wait_until 10 finished "$STREAM"
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
	broker_stop
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

proxy_start "$BROKER_PORT" proxy
URL=mqtt://127.0.0.1:$PROXY_PORT
cat > "$W/agent.conf" <<INI
[agent]
id = mp-bhopal-grp-f02
state = mp
region = bhopal
agency = grp
database = $DB
outbox = $W/agent-outbox
[broker]
url = $URL
keepalive = $KEEPALIVE
[subscribe]
filter = raksha/v1/+/+/+/report
INI
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/agent.out" 2> "$W/agent.err" &
AGENT=$!
wait_until 30 grep -q "connected;" "$W/agent.err" || { sed 's/^/# /' "$W/agent.err"; bail "the agent did not connect"; }

# The stream: one raksha-publish a time, every ~100 ms, each queueing one
# report (its id on stdout) and sending the outbox's backlog, giving up
# after 2 s. One line per run in pubs.log: exit status, report id.
stream() {
	i=0
	while [ ! -e "$W/stop" ]; do
		i=$((i + 1))
		id=$("$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --timeout 2 --state mp \
			--region bhopal --agency grp report --name "Child $i" --age 9 2>> "$W/pub.err")
		echo "$? $id" >> "$W/pubs.log"
		sleep 0.1
	done
}
stream &
STREAM=$!
runs() { wc -l < "$W/pubs.log" 2>/dev/null | tr -d ' ' || echo 0; }
wait_until 60 at_least 10 reports || bail "the stream did not start"

# --- Cut. The agent must find out by itself, within the cut.
lost_before=$(lines_in "$W/agent.err" "broker connection lost")
proxy_cut || bail "the proxy did not cut the link"
runs_at_cut=$(runs)
t0=$(date +%s)
# Within 2 x keepalive as a rule; a loaded machine may take longer, and
# then the cut lasts until it has noticed (at most 60 s).
wait_until 60 at_least $((lost_before + 1)) lines_in "$W/agent.err" "broker connection lost"
noticed=$(( $(date +%s) - t0 ))
ok "the agent's keepalive ($KEEPALIVE s) noticed the dead link during the cut (after ~${noticed} s)" \
	test "$(lines_in "$W/agent.err" "broker connection lost")" -gt "$lost_before"
grep "broker connection lost" "$W/agent.err" | sed -n "$((lost_before + 1))p" | sed 's/^/# agent: /'
rest=$((t0 + CUT_S - $(date +%s)))
[ "$rest" -gt 0 ] && sleep "$rest"
at_restore=$(reports)
runs_at_restore=$(runs)
queued_in_cut=$(awk -v a="$runs_at_cut" -v b="$runs_at_restore" 'NR > a && NR <= b && $1 == 75' "$W/pubs.log" | wc -l | tr -d ' ')
ok "  the publishers could not deliver meanwhile: $queued_in_cut run(s) kept their report in the outbox (exit 75)" \
	test "$queued_in_cut" -gt 0
links=$(lines_in "$W/agent.err" "connected;")
proxy_restore || bail "the proxy did not restore the link"

# --- Restored: the agent reconnects by itself, the stream's next runs send
# the backlog.
wait_until 90 at_least $((links + 1)) lines_in "$W/agent.err" "connected;"
ok "the agent reconnected by itself after the link returned" \
	test "$(lines_in "$W/agent.err" "connected;")" -gt "$links"
# Let the stream run on until a run after the reconnection left the outbox empty.
drained() { [ "$(outbox_count "$W/outbox")" -eq 0 ] && [ "$(runs)" -ge $((runs_at_restore + 10)) ]; }
wait_until 90 drained
: > "$W/stop"
wait_until 30 finished "$STREAM"
STREAM=
published=$(awk '$1 == 0 || $1 == 75 { print $2 }' "$W/pubs.log" | tr -d - | sort -u)
n=$(printf '%s\n' "$published" | grep -c .)
is "$(awk '$1 != 0 && $1 != 75' "$W/pubs.log" | wc -l | tr -d ' ')" 0 "every run queued its report (exit 0, or 75 during the cut)"
is "$(tail -n 1 "$W/pubs.log" | cut -d' ' -f1)" 0 "  the last run delivered (exit 0)"
is "$(outbox_count "$W/outbox")" 0 "  and the outbox is empty: the stream sent its own backlog"
ok "  $n reports published, $((n - at_restore)) of them not yet with the agent when the link returned" \
	test "$n" -gt "$at_restore"
wait_until 60 at_least "$n" reports
sleep 1  # a late redelivery would come now
is "$(reports)" "$n" "the agent holds $n reports"
is "$(distinct_reports)" "$n" "  $n distinct message ids: nothing doubled"
got=$(q "SELECT lower(hex(report_id)) FROM messages WHERE kind = 'report'" | sort)
ok "  exactly the reports published, none lost" test "$got" = "$published"
is "$(q "PRAGMA integrity_check")" ok "  its database is intact"
ok "the agent ran throughout (no restart)" kill -0 "$AGENT"
kill "$AGENT"; wait "$AGENT"; rc=$?; AGENT=
is "$rc" 0 "  and stops cleanly on SIGTERM (exit 0)"
kill "$PROXY_PID"; wait "$PROXY_PID"; rc=$?; PROXY_PID=
is "$rc" 0 "blackhole-proxy exits 0 on SIGTERM"
ok "no sanitizer report from the agent, the publishers or the proxy" clean_logs "$W/agent.err" "$W/pub.err" "$W/proxy.err"
done_testing
