#!/bin/sh
# 19: our programs on the 3-node NATS cluster (broker-config/cluster/): a
# report published through node 1 reaches an agent on node 3 once, and
# mosquitto_sub on node 2 sees the same bytes; what is published while the
# agent is away reaches it when it returns; the presence is retained across
# nodes and the Will replaces it; one node lost: a node the agent is not on,
# and then the agent's own node (killed), which it leaves for the next URL
# with its session, the backlog included; publishers fail over too.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
CLUSTER=$RAKSHA_SOURCE_ROOT/broker-config/cluster/cluster.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-cluster.XXXXXX")
DB=$W/agent.db
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"  # q, wait_rows
AGENT=
cleanup() {
	[ -n "$AGENT" ] && kill -KILL "$AGENT" 2>/dev/null
	bash "$CLUSTER" stop "$W/cluster"
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

command -v nats-server > /dev/null || [ -x /usr/sbin/nats-server ] ||
	bail "nats-server is not installed (scripts/debian-packages)"
CLUSTER_TIMEOUT=30 bash "$CLUSTER" start "$W/cluster" > "$W/urls" 2> "$W/cluster.err" || {
	sed 's/^/# /' "$W/cluster.err"
	bail "the NATS cluster did not start"
}
. "$W/cluster/cluster.env"
url() { echo "mqtt://127.0.0.1:$1"; }

# The agent lists node 3 first, then 1, then 2.
cat > "$W/agent.conf" <<EOF
[agent]
id = mp-bhopal-grp-1
state = mp
region = bhopal
agency = grp
database = $DB
durability = crash
outbox = $W/local
[broker]
url = $(url "$NODE3_MQTT")
url = $(url "$NODE1_MQTT")
url = $(url "$NODE2_MQTT")
[subscribe]
filter = raksha/v1/+/+/+/report
filter = raksha/v1/+/+/+/sighting
filter = raksha/v1/+/+/+/update
filter = raksha/v1/mp/+/+/ack
filter = raksha/v1/mp/+/+/escalation
EOF
start_agent() { "$RAKSHA_AGENT" --config "$W/agent.conf" --foreground >> "$W/fg.out" 2>> "$W/fg.err" & AGENT=$!; }
stop_agent() { kill -TERM "$AGENT"; wait "$AGENT"; AGENT=; }
connections() { grep -c 'connected; subscribed to 5 filter(s)' "$W/fg.err"; }
# wait_connected N: until the agent has said "connected" N times, 15 s at most.
wait_connected() { for _ in $(seq 150); do [ "$(connections)" -ge "$1" ] && return 0; sleep 0.1; done; return 1; }
# pub URL... -- COMMAND ARGS: raksha-publish through the nodes given.
pub() {
	urls=
	while [ "$1" != -- ]; do urls="$urls --url $1"; shift; done
	shift
	# shellcheck disable=SC2086
	"$RAKSHA_PUBLISH" $urls --timeout 10 --outbox "$W/outbox" --state mp --region bhopal \
		--agency grp --unit "GRP Post Bhopal Jn" "$@" 2>> "$W/pub.err"
}
reports() { q "SELECT count(*) FROM messages WHERE kind = 'report'"; }
named() { q "SELECT count(*) FROM cases WHERE child_name = '$1'"; }
# settled NODE...: every JetStream consumer behind an MQTT subscription has
# a leader among the running NODEs (n1, n2, n3). A new subscription's
# consumers elect theirs within seconds of the SUBACK, and those a lost node
# led elect new ones within seconds of the loss (until then they still name
# it). A client that leaves before they have may get what is published just
# after it left only ack_wait (30 s) later (broker-config/cluster/README.md).
settled() {
	/usr/bin/python3 - "$NODE1_HTTP" "$@" <<'EOF'
import json, sys, urllib.request
d = json.load(urllib.request.urlopen("http://127.0.0.1:%s/jsz?consumers=true" % sys.argv[1], timeout=3))
cs = [c for a in d.get("account_details", []) for s in a.get("stream_detail", [])
      if s["name"] == "$MQTT_msgs" for c in s.get("consumer_detail", [])]
sys.exit(0 if cs and all(c.get("cluster", {}).get("leader") in sys.argv[2:] for c in cs) else 1)
EOF
}
wait_settled() { for _ in $(seq 150); do settled "$@" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

is "$(cat "$W/urls")" "$(printf '%s\n%s\n%s' "$(url "$NODE1_MQTT")" "$(url "$NODE2_MQTT")" "$(url "$NODE3_MQTT")")" \
	"cluster.sh start prints the three MQTT URLs"
contains "$(bash "$CLUSTER" status "$W/cluster")" "n3: $(url "$NODE3_MQTT") running" "  and status shows the nodes running"

start_agent
ok "the agent connects through node 3" wait_connected 1
ok "  its five subscriptions settle on the cluster" wait_settled n1 n2 n3

# An independent client on node 2, subscribed before the report is published.
stdbuf -oL mosquitto_sub -d -h 127.0.0.1 -p "$NODE2_MQTT" -q 1 -t 'raksha/v1/+/+/+/report' -C 1 -W 20 \
	-F '%x' > "$W/sub.out" 2>&1 &
SUB=$!
for _ in $(seq 100); do grep -q 'received SUBACK' "$W/sub.out" && break; sleep 0.1; done
id=$(pub "$(url "$NODE1_MQTT")" -- report --name "सीमा कुमारी" --age 9 --station BPL --train 12627)
ok "a report published through node 1 is acknowledged" test -n "$id"
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'सीमा कुमारी'" 1
sleep 0.5
is "$(named "सीमा कुमारी")|$(reports)" "1|1" "the agent on node 3 stores it, once"
is "$(q "SELECT lower(hex(report_id)) FROM cases")" "$(echo "$id" | tr -d -)" "  the report whose id raksha-publish printed"
wait "$SUB"
hex=$(grep -x '[0-9a-f]\{2,\}' "$W/sub.out" | head -n 1)
is "$hex" "$(q "SELECT lower(hex(envelope)) FROM messages WHERE kind = 'report'")" \
	"mosquitto_sub on node 2 got the very bytes the agent stored"
contains "$(printf '%s' "$hex" | perl -ne 'print pack("H*", $_)' | "$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/report)" \
	'"name":"सीमा कुमारी"' "  and raksha-inspect accepts them"

# Presence is a retained message: a newcomer on another node sees it.
PRESENCE=raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1
presence() {
	mosquitto_sub -h 127.0.0.1 -p "$1" -t "$PRESENCE" -C 1 -W 5 -F '%r %x' 2>/dev/null |
		{ read -r r x && printf 'retained=%s ' "$r" && printf '%s' "$x" | perl -ne 'print pack("H*", $_)' |
			"$RAKSHA_INSPECT" --topic "$PRESENCE"; }
}
on=$(presence "$NODE1_MQTT")
contains "$on" 'retained=1 ' "the agent's presence is retained, seen on node 1"
contains "$on" '"online":true' "  and says online"

# Away: N reports while the agent is stopped; all arrive when it returns.
N=20
stop_agent
"$FILL_OUTBOX" "$W/away" $N
"$RAKSHA_PUBLISH" --url "$(url "$NODE1_MQTT")" --url "$(url "$NODE2_MQTT")" --outbox "$W/away" flush 2>> "$W/pub.err"
is "$?" 0 "$N reports published through node 1 while the agent is stopped"
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" $((1 + N))
sleep 1
is "$(reports)" $((1 + N)) "  all $N arrive when it returns to node 3, each once"

# After a node is lost, the streams and consumers it led elect new leaders
# (about 5 s); a publish meanwhile gets no PUBACK and raksha-publish keeps it
# in its outbox (exit 75), as it does whenever a broker cannot take it.
# resend URL...: flushes the test's outbox until it is empty, 20 s at most.
resend() {
	urls=
	for u in "$@"; do urls="$urls --url $u"; done
	for _ in $(seq 20); do
		# shellcheck disable=SC2086
		"$RAKSHA_PUBLISH" $urls --timeout 5 --outbox "$W/outbox" flush 2>> "$W/pub.err" &&
			[ -z "$(ls "$W/outbox"/*.msg 2>/dev/null)" ] && return 0
		sleep 1
	done
	return 1
}

# Node 2 lost (the agent is on node 3): publishing through node 1 goes on.
bash "$CLUSTER" stop-node "$W/cluster" 2
contains "$(bash "$CLUSTER" status "$W/cluster")" "n2: $(url "$NODE2_MQTT") stopped" "node 2 stopped"
pub "$(url "$NODE1_MQTT")" -- report --name "Ravi" --age 7 > /dev/null
rc=$?
ok "a report through node 1: acknowledged, or kept in the outbox during the election (exit $rc)" \
	test "$rc" -eq 0 -o "$rc" -eq 75
ok "  the outbox empties through node 1" resend "$(url "$NODE1_MQTT")"
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'Ravi'" 1
is "$(named Ravi)" 1 "  and the report reaches the agent on node 3, once"
pub "$(url "$NODE2_MQTT")" "$(url "$NODE1_MQTT")" -- report --name "Aman" --age 8 > /dev/null
is "$?" 0 "a publisher listing node 2 first goes on to node 1, acknowledged at once"
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'Aman'" 1
is "$(named Aman)" 1 "  and its report arrives"
is "$(connections)" 2 "the agent kept its connection to node 3 meanwhile"
CLUSTER_TIMEOUT=30 bash "$CLUSTER" start-node "$W/cluster" 2
ok "node 2 rejoins and catches up" test $? -eq 0

# The agent's own node dies: it goes on through node 1, with its session.
c=$(connections)
bash "$CLUSTER" stop-node "$W/cluster" 3 kill
ok "node 3, the agent's, killed (SIGKILL): the agent connects through the next URL" wait_connected $((c + 1))
pub "$(url "$NODE1_MQTT")" -- report --name "Priya" --age 6 > /dev/null
rc=$?
ok "a report through node 1: acknowledged, or kept in the outbox during the election (exit $rc)" \
	test "$rc" -eq 0 -o "$rc" -eq 75
ok "  the outbox empties through node 1" resend "$(url "$NODE1_MQTT")"
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'Priya'" 1
is "$(named Priya)" 1 "  and the report reaches the agent on node 1, once"
M=5
ok "  the consumers node 3 led have new leaders" wait_settled n1 n2
stop_agent
"$FILL_OUTBOX" "$W/away2" $M
"$RAKSHA_PUBLISH" --url "$(url "$NODE3_MQTT")" --url "$(url "$NODE2_MQTT")" --outbox "$W/away2" flush 2>> "$W/pub.err"
is "$?" 0 "$M reports published while it is stopped, through node 2 (node 3 listed first, down)"
before=$(reports)
c=$(connections)
start_agent
ok "the agent starts with node 3 still down, and connects to node 1" wait_connected $((c + 1))
wait_rows "SELECT count(*) FROM messages WHERE kind = 'report'" $((before + M))
sleep 1
is "$(reports)" $((before + M)) "  its session outlived its node: all $M arrive, each once"

# The Will: the agent dies, its node publishes "offline" in its place.
kill -KILL "$AGENT"; wait "$AGENT" 2>/dev/null; AGENT=
off=
for _ in $(seq 25); do
	off=$(presence "$NODE2_MQTT")
	case $off in *'"online":true'*) sleep 0.2 ;; *) break ;; esac
done
contains "$off" '"agent_id":"mp-bhopal-grp-1"' "after SIGKILL the retained presence, seen on node 2, is the Will"
case $off in *'"online":true'*) is online offline "  and says offline" ;; *) is offline offline "  and says offline" ;; esac
ok "no subscription was ever refused by the cluster" sh -c "! grep -q refused '$W/fg.err'"
is "$(q "PRAGMA integrity_check")" "ok" "the agent's database is intact"
done_testing
