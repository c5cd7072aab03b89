#!/bin/sh
# 21: a subscription the broker refuses is tried again on the same
# connection until the broker takes it. A real nats-server (JetStream and
# MQTT) whose permissions at first refuse the agent one of its filters
# (SUBACK 0x80, as a cluster short of a node does while it cannot make the
# consumer); the agent says so, keeps logging what it has, and once the
# permission is given (the server's configuration reloaded) takes the filter
# by itself, without a reconnection or a restart, and stores what arrives.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-resub.XXXXXX")
NATS= AGENT=
cleanup() {
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	[ -n "$NATS" ] && kill "$NATS" 2>/dev/null && wait "$NATS" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
. "$RAKSHA_SOURCE_ROOT/tests/lib/nats.sh"
DB=$W/agent.db
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"

# nats_conf SUBJECTS: the server's configuration, the agent allowed SUBJECTS.
nats_conf() {
	cat > "$W/nats.conf" <<EOF
server_name: resub
listen: 127.0.0.1:$CLIENT_PORT
jetstream { store_dir: "$W/js" }
authorization {
  users = [
    { user: agent, password: agentpw, permissions: { publish: ">", subscribe: [ $1, "\$MQTT.>", "_INBOX.>" ] } }
    { user: desk, password: deskpw }
  ]
}
mqtt { listen: 127.0.0.1:$MQTT_PORT }
EOF
}
nats_start nats_conf '"raksha.v1.mp", "raksha.v1.mp.>"'

printf 'agentpw\n' > "$W/agent.pw"; chmod 600 "$W/agent.pw"
BROKER_PORT=$MQTT_PORT
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/# raksha/v1/up/#" "durability = crash" "outbox = $W/local" \
	| sed "s|^\[broker\]|[broker]\nusername = agent\npassword_file = $W/agent.pw|" > "$W/agent.conf"
"$RAKSHA_AGENT" --config "$W/agent.conf" > /dev/null 2> "$W/agent.err" &
AGENT=$!
# 20 s: a first connection that fails (a loaded machine, the server's MQTT
# side still making its streams) is tried again 1, 3, 7 and 15 s on.
for _ in $(seq 200); do grep -q "refused 1 of 2" "$W/agent.err" && break; sleep 0.1; done
contains "$(cat "$W/agent.err")" "the broker refused 1 of 2 subscription(s); trying them again until it takes them" \
	"the agent says the broker refused one of its two filters"
pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$MQTT_PORT" --outbox "$W/outbox" --timeout 10 "$@"; }
cat > "$W/desk.ini" <<EOF
[broker]
username = desk
password_file = $W/desk.pw
EOF
printf 'deskpw\n' > "$W/desk.pw"; chmod 600 "$W/desk.pw"
pub --config "$W/desk.ini" --state mp --region bhopal --agency grp report --name "Bhopal child" --age 6 > /dev/null \
	|| bail "publishing to nats-server failed"
wait_rows "SELECT count(*) FROM cases" 1
is "$(q "SELECT child_name FROM cases")" "Bhopal child" "what it has is logged meanwhile"
is "$(grep -c "connected; subscribed to 2 filter(s)" "$W/agent.err")" 1 "it says it is connected once"
sleep 3  # a few refused retries (1 s, 2 s): silent
is "$(grep -c "refused" "$W/agent.err")" 1 "  and the refusal once, not at every retry"

# The permission is given; the server reloads its configuration.
nats_conf '"raksha.v1.mp", "raksha.v1.mp.>", "raksha.v1.up", "raksha.v1.up.>"'
kill -HUP "$NATS"
for _ in $(seq 150); do
	[ "$(grep -c "connected; subscribed to 2 filter(s)" "$W/agent.err")" -ge 2 ] && break
	sleep 0.1
done
is "$(grep -c "connected; subscribed to 2 filter(s)" "$W/agent.err")" 2 \
	"the agent takes the filter by itself (within the 4 s retry) and says it has all of them"
is "$(grep -c "broker connection lost" "$W/agent.err")" 0 "  on the same connection (no reconnection)"
pub --config "$W/desk.ini" --state up --region lucknow --agency grp report --name "Lucknow child" --age 7 > /dev/null
wait_rows "SELECT count(*) FROM cases" 2
is "$(q "SELECT child_name FROM cases WHERE region = 'lucknow'")" "Lucknow child" \
	"a report on the filter it was refused before is stored"
is "$(q "SELECT count(*) FROM rejected")" 0 "nothing rejected"
done_testing
