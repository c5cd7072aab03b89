#!/bin/sh
# 13: escalation and hooks. A rule fires after `after` (not before), again
# every `repeat`, and stops on an ack from an agency it listens to (not
# another's) or when the case ends; its Escalation envelope reaches an
# independent subscriber (mosquitto_sub, decoded by protoc) and its command
# gets the case in RAKSHA_* variables. A timer that falls due while the
# agent is down fires once when it is back. Hooks run per event; one that
# hangs is killed, one that fails is logged. A hook holds descriptors 0, 1
# and 2 only: an agent killed with SIGKILL while a hook runs loses its
# connection at once, and the broker publishes its Will then. -n checks the
# rules.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }
escalations() { q "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$1")'"; }

agent_conf mp-bhopal-grp-esc "raksha/v1/mp/#" > "$W/agent.conf"
cat >> "$W/agent.conf" <<EOF
[escalate.bhopal]
match = raksha/v1/mp/+/+/report
region = bhopal
after = 2s
repeat = 3s
unless_ack_from = rpf
publish = raksha/v1/mp/bhopal/grp/escalation
target = SP Railways Bhopal
exec = env | grep '^RAKSHA_' | sort > "$W/exec.\$RAKSHA_LEVEL.\$RAKSHA_REPORT_ID"
[escalate.itarsi]
match = raksha/v1/mp/itarsi/+/report
priority = urgent
after = 3s
publish = raksha/v1/mp/bhopal/grp/escalation
[hooks]
on_report = exec > "$W/fds.\$RAKSHA_REPORT_ID"; ls -l /proc/\$\$/fd; printf '%s %s\\n' "\$RAKSHA_REPORT_ID" "\$RAKSHA_CHILD_NAME" >> "$W/on_report"
on_sighting = sleep 3017
on_update = exit 3
timeout = 1s
EOF

out=$("$RAKSHA_AGENT" -n --config "$W/agent.conf" 2>&1); rc=$?
is "$rc" 0 "-n accepts the escalation rules and hooks"
is "$out" "configuration OK" "  configuration OK"
agent_conf mp-bhopal-grp-esc "raksha/v1/mp/#" > "$W/bad.conf"
base=$(grep -c '' "$W/bad.conf")
cat >> "$W/bad.conf" <<'EOF'
[escalate.sp]
match = raksha/v1/mp/#
after = soon
priority = panic
publish = raksha/v1/mp/bhopal/grp/report
[escalate.Bad_Name]
after = 1m
[escalate.nothing]
after = 5m
exec = true
[hooks]
timeout = forever
EOF
"$RAKSHA_AGENT" -n --config "$W/bad.conf" > /dev/null 2> "$W/bad.err"; rc=$?
is "$rc" 78 "-n on bad rules: exit 78"
for want in "bad.conf:$((base + 3)): after: 'soon' is not a duration" \
	"bad.conf:$((base + 4)): priority: 'panic' is not routine, elevated, high, urgent or critical" \
	"bad.conf:$((base + 5)): publish: 'raksha/v1/mp/bhopal/grp/report' is not an escalation topic" \
	"bad.conf:$((base + 7)): [escalate.Bad_Name]: a rule's name must match" \
	"bad.conf:$((base + 9)): [escalate.nothing]: match is missing" \
	"bad.conf:$((base + 12)): timeout: 'forever' is not a duration"; do
	contains "$(cat "$W/bad.err")" "$want" "  $want"
done
# The state control room's tree is not this agent's: the roster's ACL lets
# an agent write escalations only to its own, and mosquitto acknowledges and
# drops the rest (MQTT 3.1.1), so such a rule would never reach anybody.
agent_conf mp-bhopal-grp-esc "raksha/v1/mp/#" > "$W/far.conf"
base=$(grep -c '' "$W/far.conf")
printf '[escalate.control]\nmatch = raksha/v1/mp/+/+/report\nafter = 1m\npublish = raksha/v1/mp/state/control/escalation\n' \
	>> "$W/far.conf"
"$RAKSHA_AGENT" -n --config "$W/far.conf" > /dev/null 2> "$W/far.err"; rc=$?
is "$rc" 78 "-n on a rule publishing outside the agent's tree: exit 78"
is "$(cat "$W/far.err")" "raksha-agent: $W/far.conf:$((base + 4)): [escalate.control] publish: raksha/v1/mp/state/control/escalation is outside this agent's own tree raksha/v1/mp/bhopal/grp/: the broker's ACL drops every escalation published there" \
	"  names the file, the line of publish, the rule and the agent's tree"
timeout 10 "$RAKSHA_AGENT" --config "$W/far.conf" --foreground > /dev/null 2> "$W/far.err"; rc=$?
is "$rc" 78 "  and the agent does not start with it (exit 78)"

mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/+/+/+/escalation' -F '%x' -W 90 \
	> "$W/esc.hex" 2>/dev/null &
SUB=$!
start_agent() { "$RAKSHA_AGENT" --config "$W/agent.conf" --foreground >> "$W/fg.out" 2>> "$W/fg.err" & AGENT=$!; }
trap 'kill "$AGENT" "$SUB" 2>/dev/null; broker_stop' EXIT
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"
pub() { region=$1 agency=$2; shift 2; "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" \
	--outbox "$W/outbox" --state mp --region "$region" --agency "$agency" "$@"; }

# A: nobody acts. B: RPF acks at once. C: only ChildLine acks. D: found at once.
B=$(pub bhopal grp report --name "Ravi" --age 7)
pub bhopal rpf ack --report "$B" --state acting > /dev/null
D=$(pub bhopal grp report --name "Munni" --age 4)
pub bhopal grp update --report "$D" --status found > /dev/null
C=$(pub bhopal grp report --name "Kiran" --age 5)
pub bhopal childline ack --report "$C" --state acting > /dev/null
A=$(pub bhopal grp report --name "सीमा कुमारी" --age 9 --station BPL --train 12627 --coach S4)
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 2
is "$(escalations "$A")" 1 "A, not acknowledged: escalated"
waited=$(q "SELECT min(e.received_at_ms) - r.received_at_ms FROM messages e JOIN messages r
	ON e.report_id = r.report_id WHERE e.kind = 'escalation' AND r.kind = 'report'
	AND hex(r.report_id) = '$(hexid "$A")'")
ok "  not before 'after' (2s), and soon after it (waited $waited ms)" \
	test "$waited" -ge 2000 -a "$waited" -lt 6000
is "$(escalations "$C")" 1 "C, acknowledged by ChildLine only (the rule waits for RPF): escalated"
is "$(escalations "$B")" 0 "B, acknowledged by RPF in time: not escalated"
is "$(escalations "$D")" 0 "D, found in time: not escalated"
is "$(q "SELECT ended FROM timers WHERE hex(report_id) = '$(hexid "$B")'")" "acknowledged by bhopal/rpf" \
	"  B's timer says why it ended"
is "$(q "SELECT ended FROM timers WHERE hex(report_id) = '$(hexid "$D")'")" "case found" \
	"  D's timer says why it ended"

for _ in $(seq 100); do [ "$(grep -c '' "$W/esc.hex")" -ge 2 ] && break; sleep 0.1; done
is "$(grep -c '' "$W/esc.hex")" 2 "mosquitto_sub received both escalations"
dec=$(head -n 1 "$W/esc.hex" | unhex | protoc $PROTO --decode=raksha.v1.Envelope)
for want in "level: 1" 'rule: "bhopal"' 'target: "SP Railways Bhopal"' 'reason: "no ack from rpf within 2s"' \
	'sender_id: "mp-bhopal-grp-esc"'; do
	contains "$dec" "$want" "  protoc sees $want"
done

env1="$W/exec.1.$A"
for _ in $(seq 50); do [ -s "$env1" ] && break; sleep 0.1; done
for want in "RAKSHA_EVENT=escalation" "RAKSHA_LEVEL=1" "RAKSHA_RULE=bhopal" "RAKSHA_REPORT_ID=$A" \
	"RAKSHA_CHILD_NAME=सीमा कुमारी" "RAKSHA_STATION=BPL" "RAKSHA_TRAIN=12627" "RAKSHA_COACH=S4" \
	"RAKSHA_PRIORITY=high" "RAKSHA_TARGET=SP Railways Bhopal" "RAKSHA_REASON=no ack from rpf within 2s"; do
	contains "$(cat "$env1" 2>/dev/null)" "$want" "exec got $want"
done

wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 4
is "$(escalations "$A")" 2 "'repeat' (3s): A raised to level 2"
is "$(q "SELECT escalation_level FROM cases WHERE hex(report_id) = '$(hexid "$A")'")" 2 \
	"  the case view shows level 2"
pub bhopal rpf ack --report "$A" --state received > /dev/null
wait_rows "SELECT count(*) FROM acks WHERE agency = 'rpf'" 2
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$C")'" 3
is "$(escalations "$C")" 3 "C goes on to level 3"
is "$(escalations "$A")" 2 "  but A, acknowledged by RPF, stops at 2"

# E: an urgent report from Itarsi; the agent is stopped before its timer (3s)
# falls due and comes back after: it fires once. F: routine, not matched.
E=$(pub itarsi grp report --name "Sonu" --age 6 --priority urgent)
F=$(pub itarsi grp report --name "Chhotu" --age 6 --priority routine)
wait_rows "SELECT count(*) FROM timers WHERE rule = 'itarsi'" 1
is "$(q "SELECT count(*) FROM timers WHERE hex(report_id) = '$(hexid "$F")'")" 0 \
	"a routine report does not arm a rule for urgent ones"
kill "$AGENT"; wait "$AGENT"
sleep 4
is "$(escalations "$E")" 0 "E is not escalated while the agent is down"
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$E")'" 1
sleep 1.5
is "$(escalations "$E")" 1 "the overdue timer fired once at start"
is "$(q "SELECT ended FROM timers WHERE hex(report_id) = '$(hexid "$E")'")" "fired; the rule does not repeat" \
	"  and ended: the rule does not repeat"
logged=$(q "SELECT count(*) FROM messages WHERE kind = 'escalation'")
for _ in $(seq 100); do [ "$(grep -c '' "$W/esc.hex")" -ge "$logged" ] && break; sleep 0.1; done
is "$(grep -c '' "$W/esc.hex")" "$logged" "every escalation the agent logged reached the independent subscriber"

for id in "$A" "$B" "$C" "$D" "$E"; do
	contains "$(cat "$W/on_report" 2>/dev/null)" "$id" "on_report ran for $id"
done
contains "$(cat "$W/on_report")" "$A सीमा कुमारी" "  with the child's name"
# The hook's shell lists its own descriptors, those it was started with:
# after `exec > FILE`, since for `ls > FILE` it would hold a copy of its
# stdout (fd 10) while ls runs.
for id in "$A" "$E"; do
	fds=$(awk 'NR > 1 { printf "%s%s", sep, $9; sep = " " }' "$W/fds.$id" 2>/dev/null)
	is "$fds" "0 1 2" "a hook ($id) inherits descriptors 0, 1 and 2 only"
	ok "  none of them a socket, the database, the journal or the outbox" \
		sh -c "[ -s '$W/fds.$id' ] && ! grep -Eq 'socket:|agent\.db|\.ingest|outbox' '$W/fds.$id'"
done
pub bhopal grp sighting --report "$A" --station ET > /dev/null
G=$(pub bhopal grp report --name "After" --age 8)
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'After'" 1
is "$(q "SELECT count(*) FROM cases WHERE child_name = 'After'")" 1 "a hanging hook does not hold up ingestion"
for _ in $(seq 60); do grep -q "on_sighting.*killed" "$W/fg.err" && break; sleep 0.1; done
contains "$(cat "$W/fg.err")" "hook on_sighting: 'sleep 3017' still running after 1 s; killed" \
	"the hanging hook is killed after the timeout"
contains "$(cat "$W/fg.err")" "hook on_update: 'exit 3' failed with exit status 3" "a failing hook is logged"
# Among this suite's processes only (its session: meson starts each test in
# a session of its own; the hooks share the agent's).
ok "no hook left running" sh -c "! pgrep -s 0 -f '^sleep 3017$' > /dev/null"
kill "$AGENT"; wait "$AGENT"
is "$?" 0 "SIGTERM: clean exit"

# A SIGKILLed agent's Will does not wait for a hook still running: with no
# copy of the agent's socket in the hook, the kernel closes the connection
# at the kill and the broker publishes the Will at once. With the socket
# held open by the hook, the keepalive (5 s) would publish it too, once the
# broker has heard nothing for 1.5 keepalives (about 12 s after the kill):
# the time tells them apart, and the broker's log says which it was.
DB=$W/will.db
WILL_ID=mp-bhopal-grp-will
PRESENCE=raksha/v1/mp/bhopal/grp/agent/$WILL_ID
agent_conf "$WILL_ID" "raksha/v1/mp/#" > "$W/will.conf"
cat >> "$W/will.conf" <<EOF
[broker]
keepalive = 5
[hooks]
on_report = echo \$\$ > "$W/hook.pgid"; sleep 60
timeout = 2m
EOF
trap '[ -s "$W/hook.pgid" ] && kill -KILL "-$(cat "$W/hook.pgid")" 2>/dev/null
	kill "$AGENT" "$SUB" 2>/dev/null; broker_stop' EXIT
presence() { mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "$PRESENCE" -C 1 -W 2 -F '%x' 2>/dev/null |
	unhex | protoc $PROTO --decode=raksha.v1.Envelope 2>/dev/null; }
now_ms() { date +%s%3N; }
"$RAKSHA_AGENT" --config "$W/will.conf" --foreground > /dev/null 2>> "$W/will.err" & AGENT=$!
for _ in $(seq 20); do case $(presence) in *"online: true"*) break ;; esac; sleep 0.2; done
pub bhopal grp report --name "Hook" --age 3 > /dev/null
for _ in $(seq 150); do [ -s "$W/hook.pgid" ] && break; sleep 0.1; done
ok "a hook that sleeps 60 s runs" kill -0 "-$(cat "$W/hook.pgid" 2>/dev/null)"
contains "$(presence)" "online: true" "  while the agent's presence says online"
killed=$(now_ms)
kill -KILL "$AGENT"; wait "$AGENT" 2>/dev/null
off=
for _ in $(seq 30); do
	off=$(presence)
	case $off in *"online: true"*) sleep 0.5 ;; *) break ;; esac
done
waited=$(($(now_ms) - killed))
contains "$off" "agent_id: \"$WILL_ID\"" "SIGKILL with the hook running: the retained presence is the Will"
case $off in *"online: true"*) said=online ;; *) said=offline ;; esac
is "$said" offline "  it says offline"
ok "  $waited ms after the kill (at most 3 s)" test "$waited" -le 3000
contains "$(grep "Client $WILL_ID " "$W/mosquitto.log")" "Client $WILL_ID closed its connection." \
	"  the broker saw the connection close (not its keepalive run out)"
ok "  and the hook still runs" kill -0 "-$(cat "$W/hook.pgid")"
kill -KILL "-$(cat "$W/hook.pgid")"
rm -f "$W/hook.pgid"
done_testing
