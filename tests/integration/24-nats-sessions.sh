#!/bin/sh
# 24: what NATS (2.9, Debian 12's nats-server) does with a client id that is
# not the connecting user's. It cannot bind client ids to users: any user of
# an agent's account may connect with the agent's id. Shown against a real
# nats-server (JetStream and MQTT, two accounts, users with passwords): the
# agent is replaced (NATS logs it, the agent says it lost the broker) and its
# Will is dropped, not sent; reports queued for it while it was away are
# lost after another user's clean session with its id, where without one
# they arrive; a user of another account with the same id touches nothing
# (sessions are per account). broker-config/cluster/README.md and
# docs/security.md say what a deployer must do about it.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-natssess.XXXXXX")
NATS= AGENT= VICTIM= WATCH=
cleanup() {
	kill $VICTIM $WATCH 2>/dev/null
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	[ -n "$NATS" ] && kill "$NATS" 2>/dev/null && wait "$NATS" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
. "$RAKSHA_SOURCE_ROOT/tests/lib/nats.sh"
DB=$W/agent.db
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"

nats_conf() {
	cat > "$W/nats.conf" <<EOF
server_name: sessions
listen: 127.0.0.1:$CLIENT_PORT
jetstream { store_dir: "$W/js" }
accounts {
  RAKSHA: {
    jetstream: enabled
    users: [
      { user: "mp-bhopal-grp-1", password: "agentpw" }
      { user: "mp-bhopal-grp-post1", password: "postpw" }
    ]
  }
  OTHER: {
    jetstream: enabled
    users: [ { user: "up-outsider", password: "outpw" } ]
  }
}
mqtt { listen: 127.0.0.1:$MQTT_PORT }
EOF
}
nats_start nats_conf

# as USER PASSWORD CLIENT-ID MOSQUITTO_SUB-ARGS...: a clean session.
as() {
	u=$1 pw=$2 i=$3
	shift 3
	mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -u "$u" -P "$pw" -i "$i" "$@" 2>&1
}
printf 'agentpw\n' > "$W/agent.pw"; chmod 600 "$W/agent.pw"
BROKER_PORT=$MQTT_PORT
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/#" "durability = crash" "outbox = $W/local" \
	| sed "s|^\[broker\]|[broker]\nusername = mp-bhopal-grp-1\npassword_file = $W/agent.pw|" > "$W/agent.conf"
connections() { grep -c "connected; subscribed" "$W/agent.err" 2>/dev/null; }
# 30 s: a first connection that fails (seen once on a loaded machine: the
# server makes the session's JetStream streams) is tried again 1, 3, 7 and
# 15 s on.
wait_connections() { for _ in $(seq 300); do [ "$(connections)" -ge "$1" ] && return 0; sleep 0.1; done; return 1; }
# start_agent: starts it and waits until it is connected and subscribed.
start_agent() {
	n=$(connections)
	"$RAKSHA_AGENT" --config "$W/agent.conf" > /dev/null 2>> "$W/agent.err" &
	AGENT=$!
	wait_connections $((${n:-0} + 1))
}
stop_agent() { kill -TERM "$AGENT"; wait "$AGENT"; AGENT=; }
printf '[broker]\nusername = mp-bhopal-grp-post1\npassword_file = %s\n' "$W/post.pw" > "$W/post.ini"
printf 'postpw\n' > "$W/post.pw"; chmod 600 "$W/post.pw"
report() {
	"$RAKSHA_PUBLISH" --config "$W/post.ini" --url "mqtt://127.0.0.1:$MQTT_PORT" --outbox "$W/outbox" \
		--timeout 10 --state mp --region bhopal --agency grp report --name "$1" --age 6 > /dev/null
}
reports() { q "SELECT count(*) FROM cases"; }

start_agent || bail "the agent did not connect to nats-server"
report "first" || bail "publishing to nats-server failed"
wait_rows "SELECT count(*) FROM cases" 1
is "$(reports)" 1 "the agent stores a report through nats-server"
sleep 1  # NATS holds a client id that connects again within a second

# 1. Another user of the agent's account, with the agent's id.
out=$(as mp-bhopal-grp-post1 postpw mp-bhopal-grp-1 -t raksha/none -W 2)
is "$out" "Timed out" "another user with the agent's client id (clean session) is accepted: no refusal"
for _ in $(seq 50); do grep -q "broker connection lost" "$W/agent.err" && break; sleep 0.1; done
contains "$(cat "$W/nats.log")" "Replacing old client" "  NATS replaces the agent with it (its log says so)"
contains "$(cat "$W/agent.err")" "broker connection lost" "  the agent loses its connection"
wait_connections 2
is "$(connections)" 2 "  and reconnects by itself"

# 2. The Will of a client replaced that way: NATS drops it, does not send it.
WILL=raksha/v1/mp/bhopal/grp/agent/sessions-victim
mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -u mp-bhopal-grp-post1 -P postpw -i sessions-watch -t "$WILL" \
	-F '%p' > "$W/will" 2>/dev/null &
WATCH=$!
victim() {
	mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -u mp-bhopal-grp-post1 -P postpw -i sessions-victim \
		--will-topic "$WILL" --will-payload "gone $1" --will-qos 1 -t raksha/none > /dev/null 2>&1 &
	VICTIM=$!
	sleep 1.5
}
victim 1
as mp-bhopal-grp-1 agentpw sessions-victim -t raksha/none -W 2 > /dev/null
sleep 2
is "$(grep -c "gone 1" "$W/will")" 0 "a client replaced by another user's connection with its id: its Will is not sent"
kill "$VICTIM" 2>/dev/null; wait "$VICTIM" 2>/dev/null
sleep 1
victim 2
kill -KILL "$VICTIM"; wait "$VICTIM" 2>/dev/null
VICTIM=
for _ in $(seq 50); do grep -q "gone 2" "$W/will" && break; sleep 0.1; done
is "$(grep -c "gone 2" "$W/will")" 1 "  where its connection killed sends it (the check can tell)"

# 3. Away: reports queued for the agent arrive, unless another user of its
# account connects with its id meanwhile.
sleep 1
stop_agent
report "away 1"
report "away 2"
start_agent
wait_rows "SELECT count(*) FROM cases" 3
is "$(reports)" 3 "the agent back: the 2 reports queued while it was away arrive"
stop_agent
report "lost 1"
report "lost 2"
out=$(as mp-bhopal-grp-post1 postpw mp-bhopal-grp-1 -t 'raksha/v1/mp/+/+/report' -F '%t' -W 2)
is "$out" "Timed out" "while it is away, another user's clean session with its id gets none of them"
start_agent
sleep 3
is "$(reports)" 3 "  but NATS has thrown the agent's session away: the 2 reports queued for it never arrive"
report "after"
wait_rows "SELECT count(*) FROM cases" 4
is "$(reports)" 4 "  (what is published after it reconnected arrives)"

# 4. Another account: sessions are per account, so a user there with the
# agent's id touches neither its connection nor its queue.
stop_agent
report "other 1"
lost=$(grep -c "broker connection lost" "$W/agent.err")
out=$(as up-outsider outpw mp-bhopal-grp-1 -t 'raksha/v1/mp/#' -F '%t' -W 2)
is "$out" "Timed out" "a user of another account with the agent's id connects (and sees nothing of this account)"
start_agent
wait_rows "SELECT count(*) FROM cases" 5
is "$(reports)" 5 "  the report queued for the agent meanwhile arrives"
sleep 1
as up-outsider outpw mp-bhopal-grp-1 -t 'raksha/v1/mp/#' -W 2 > /dev/null
sleep 1
is "$(grep -c "broker connection lost" "$W/agent.err")" "$lost" "  connected, the agent is not replaced by it"
done_testing
