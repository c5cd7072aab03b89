#!/bin/sh
# 23: clocks. District PCs' clocks drift and get stepped (by hand, by NTP
# at boot). A preloaded shim (tests/tools/clock-shim.c) moves the agent's
# wall clock only (the monotonic clock and every wait stay real), by the
# milliseconds a file says, so that the suite steps a running agent's clock. Two days slow,
# the agent refuses a correct report for its time, keeps it whole and says
# so; the clock set right, it takes the report within seconds, as a case
# that escalates. A 5 s rule survives the clock set back an hour (it fires
# at 5 s, not an hour later) and set forward three (the next level does not
# fire at once). raksha-replay on a clock three days slow still reads what
# was stored.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }
escalations() { q "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$1")'"; }
now_ms() { date +%s%3N; }  # the shell's clock is not faked

# faked CMD...: CMD with its wall clock offset by what set_clock last said;
# in place of the shell that runs it, so that $! is CMD's.
faked() {
	exec env RAKSHA_CLOCK_OFFSET_FILE="$W/offset" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" LD_PRELOAD="$CLOCK_SHIM" "$@"
}
# set_clock HOURS: the faked clock that many hours off the real one (the shim
# reads it within 20 ms).
set_clock() { echo "$(( $1 * 3600000 ))" > "$W/offset.new"; mv "$W/offset.new" "$W/offset"; }

agent_conf mp-bhopal-grp-clock "raksha/v1/mp/#" > "$W/agent.conf"
cat >> "$W/agent.conf" <<EOF
[escalate.fast]
match = raksha/v1/mp/+/+/report
after = 5s
repeat = 1h
publish = raksha/v1/mp/bhopal/grp/escalation
EOF
pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/outbox" --state mp \
	--region bhopal --agency grp "$@"; }

set_clock -48
faked "$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/fg.out" 2> "$W/fg.err" &
AGENT=$!
trap 'kill "$AGENT" 2>/dev/null; broker_stop' EXIT
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"

# A PC two days slow.
A=$(pub report --name "Asha" --age 6)
wait_rows "SELECT count(*) FROM rejected WHERE cause = 'clock'" 1
is "$(q "SELECT count(*) FROM rejected WHERE cause = 'clock' AND length(bytes) = size")" 1 \
	"two days slow: the correct report is refused for its time (cause clock), kept whole"
is "$(q "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$A")'")" 0 "  no case yet"
contains "$(cat "$W/fg.err")" "rejected clock on raksha/v1/mp/bhopal/grp/report: sent_at_ms:" \
	"  the log names the cause"
contains "$(cat "$W/fg.err")" "kept whole, and taken once this PC's clock is within a day of its time" \
	"  and says it is kept"
sleep 1.5
is "$(q "SELECT count(*) FROM rejected WHERE cause = 'clock'")" 1 "  a pass with the clock still slow leaves it"

# The clock set right: taken within seconds, as a case, which escalates.
set_clock 0
set_right=$(now_ms)
wait_rows "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$A")'" 1
took=$(( $(now_ms) - set_right ))
ok "the clock set right: the report is a case within 5 s (took $took ms)" test "$took" -lt 5000
is "$(q "SELECT count(*) FROM rejected")" 0 "  its rejection ended"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" 1 "  stored once"
contains "$(cat "$W/fg.err")" "the clock was set forward by 172800 s" "  the agent saw the step"
contains "$(cat "$W/fg.err")" "taken now that this clock allows it (it arrived at " "  and said what it took"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 1
is "$(escalations "$A")" 1 "  unacknowledged 5 s, it escalates"

# Set back an hour right after a report: its 5 s rule still fires at 5 s.
B=$(pub report --name "Bhola" --age 8)
wait_rows "SELECT count(*) FROM messages WHERE hex(report_id) = '$(hexid "$B")'" 1
set_clock -1
set_back=$(now_ms)
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$B")'" 1
took=$(( $(now_ms) - set_back ))
is "$(escalations "$B")" 1 "the clock set back an hour after a report: it escalates"
ok "  within 5 s of the report, not an hour and 5 s (took $took ms after the step)" test "$took" -lt 6000
contains "$(cat "$W/fg.err")" "the clock was set back by 3600 s; pending escalations keep their time" \
	"  the agent said so"

# Forward three hours: the next level (repeat = 1h) is still an hour away.
set_clock 2
for _ in $(seq 40); do grep -q "set forward by 10800 s" "$W/fg.err" && break; sleep 0.1; done
contains "$(cat "$W/fg.err")" "the clock was set forward by 10800 s" "the clock set forward three hours"
sleep 3
is "$(escalations "$A")-$(escalations "$B")" "1-1" "  no level fires early"

# raksha-replay on a PC three days slow reads what was stored then.
set_clock -72
out=$(faked "$RAKSHA_REPLAY" --db "$DB" --kind report --format text 2>&1)
contains "$out" "Asha" "raksha-replay three days slow shows Asha's report"
contains "$out" "Bhola" "  and Bhola's"
is "$(printf '%s\n' "$out" | grep -c 'no longer passes')" 0 "  none refused for the clock of now"

kill -TERM "$AGENT"
wait "$AGENT"
is "$?" 0 "the agent stops cleanly"
done_testing
