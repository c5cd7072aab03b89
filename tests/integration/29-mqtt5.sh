#!/bin/sh
# 29: MQTT 5 (mqtt_version = 5) against a real mosquitto with passwords and
# an ACL: a publication the ACL refuses is an error naming the topic and the
# broker's words (raksha-publish exits 77 and sets the entry aside in the
# outbox's refused/), one inside the ACL is acknowledged; under MQTT 3.1.1
# the same refusal returns 0 (the documented limit: 3.1.1's PUBACK cannot
# say). An agent with mqtt_version = 5 whose escalations the broker's ACL
# does not allow (an ACL that lags the roster: its own tree, which its
# configuration may name) logs the refusal with the topic and sets it
# aside; its reconnects speak MQTT 5 too; its persistent session (Session
# Expiry Interval) keeps what was published while it was away; its board
# says an ack the ACL refuses was not sent. A NATS server (MQTT 3.1.1 only)
# is named as one.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-29.XXXXXX")
AGENT= SUB= NATS=
TM="tmux -L raksha-29-$$ -f /dev/null"
cleanup() {
	$TM kill-server 2>/dev/null
	for p in $AGENT $SUB $NATS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	dev_broker_stop
	rm -rf "$W"
}
trap cleanup EXIT
cd "$W" || bail "no folder"
show() { [ -s "$1" ] && sed 's/^/# /' "$1" | head -n 20; return 0; }

# --- the broker: a desk and an agent, each kept to its own tree -----------------
broker_start_acl "$W" "log_type debug" desk mp-bhopal-grp-5 <<'EOF'
user desk
topic readwrite raksha/v1/mp/bhopal/grp/#

user mp-bhopal-grp-5
topic write raksha/v1/mp/bhopal/grp/agent/#
topic read raksha/v1/#
EOF
URL=mqtt://127.0.0.1:$BROKER_PORT
printf '[broker]\nurl = %s\nusername = desk\npassword_file = %s\n' "$URL" "$W/desk.pw" > desk.conf
pub() { "$RAKSHA_PUBLISH" --config desk.conf --outbox "$W/outbox" --timeout 5 --state mp "$@"; }
waiting() { "$RAKSHA_PUBLISH" --outbox "$1" outbox 2>&1 >/dev/null; }
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u mp-bhopal-grp-5 -P "$(cat mp-bhopal-grp-5.pw)" \
	-q 1 -t 'raksha/v1/#' -F '%t' -W 60 > seen 2>/dev/null &
SUB=$!
sleep 0.5

# --- raksha-publish: refused outside the ACL, acknowledged inside -----------------
R=$(pub --mqtt-version 5 --region itarsi --agency grp report --name Ravi --age 7 2> err); rc=$?
is "$rc" 77 "MQTT 5, outside the ACL: exit 77 (EX_NOPERM)"
contains "$(cat err)" "the broker refused the publication on raksha/v1/mp/itarsi/grp/report: Not authorized (MQTT 5 reason code 0x87)" \
	"  the error names the topic and the broker's reason"
contains "$(cat err)" "$W/outbox/refused/" "  and says where the entry went"
show err
is "$(ls outbox/refused | wc -l | tr -d ' ')" 1 "  the entry is set aside in refused/"
is "$(waiting "$W/outbox")" "0 envelope(s) waiting in $W/outbox" "  and no longer waits in the outbox"
# A refused/ that cannot be made (a file in its place): the entry stays
# queued, and the message says that and only that.
mkdir -m 700 blocked && : > blocked/refused
"$RAKSHA_PUBLISH" --config desk.conf --outbox "$W/blocked" --timeout 5 --state mp --mqtt-version 5 \
	--region itarsi --agency grp report --name Ravi --age 7 > /dev/null 2> err; rc=$?
is "$rc" 75 "refused/ cannot be made (a file in its place): exit 75 (still queued), not 77"
contains "$(cat err)" "outbox entry $W/blocked/" "  the message names the entry where it is"
contains "$(cat err)" "Not authorized (MQTT 5 reason code 0x87); it stays queued, and each flush meets the same refusal, as refused/ cannot take it: Not a directory" \
	"  it says the entry stays queued, and why"
ok "  and neither that it was moved aside nor that it is not sent again" \
	sh -c '! grep -e "moved aside" -e "not sent again" -e "would not change" err'
show err
is "$(waiting "$W/blocked")" "1 envelope(s) waiting in $W/blocked" "  it still waits in the outbox"
pub --mqtt-version 5 --region bhopal --agency grp report --name Munni --age 4 > /dev/null 2> err; rc=$?
is "$rc" 0 "MQTT 5, inside the ACL: exit 0 (acknowledged)"
is "$(cat err)" "" "  and says nothing"
printf 'mqtt_version = 5\n' >> desk.conf
pub --region itarsi --agency rpf ack --report "$R" --state acting > /dev/null 2> err; rc=$?
is "$rc" 77 "[broker] mqtt_version = 5 in the config: refused the same way (77)"
contains "$(cat err)" "on raksha/v1/mp/itarsi/rpf/ack: Not authorized" "  naming its topic"
sed -i '/^mqtt_version/d' desk.conf
pub --region itarsi --agency grp report --name Kiran --age 5 > /dev/null 2> err; rc=$?
is "$rc" 0 "MQTT 3.1.1, outside the ACL: exit 0 (the documented limit: its PUBACK cannot say)"
is "$(ls outbox/refused | wc -l | tr -d ' ')" 2 "  nothing more set aside"

# A backlog that a later flush finds refused.
"$RAKSHA_PUBLISH" --url mqtt://127.0.0.1:1 --outbox "$W/backlog" --timeout 1 --state mp \
	--region itarsi --agency grp report --name Asha --age 6 > /dev/null 2>&1
"$RAKSHA_PUBLISH" --url mqtt://127.0.0.1:1 --outbox "$W/backlog" --timeout 1 --state mp \
	--region bhopal --agency grp report --name Asha --age 6 > /dev/null 2>&1
is "$(waiting "$W/backlog")" "2 envelope(s) waiting in $W/backlog" "two envelopes queued while the broker was away"
"$RAKSHA_PUBLISH" --config desk.conf --mqtt-version 5 --outbox "$W/backlog" flush 2> err; rc=$?
is "$rc" 77 "flush under MQTT 5: exit 77, one was refused"
contains "$(cat err)" "refused 1 envelope(s) for the reason above; they stay in $W/backlog/refused/" \
	"  it says how many and where they stay"
is "$(waiting "$W/backlog")" "0 envelope(s) waiting in $W/backlog" "  the other was sent"
sleep 1
is "$(grep -c '^raksha/v1/mp/itarsi/' seen)" 0 "no refused publication reached a subscriber"
is "$(grep -c '^raksha/v1/mp/bhopal/grp/report' seen)" 2 "both inside the ACL did"

# --- the agent under MQTT 5 ---------------------------------------------------------
DB=$W/agent.db
cat > agent.conf <<EOF
[agent]
id = mp-bhopal-grp-5
state = mp
region = bhopal
agency = grp
database = $DB
durability = crash
outbox = $W/agent-outbox
[broker]
url = $URL
username = mp-bhopal-grp-5
password_file = $W/mp-bhopal-grp-5.pw
mqtt_version = 5
[subscribe]
filter = raksha/v1/mp/#
[escalate.elsewhere]
match = raksha/v1/mp/+/+/report
after = 1s
publish = raksha/v1/mp/bhopal/grp/escalation
EOF
q() { if [ -s "$DB" ]; then sqlite3 "$DB" "$1" 2>/dev/null || echo 0; else echo 0; fi; }
wait_for() { for _ in $(seq 150); do eval "$1" && return 0; sleep 0.1; done; return 1; }
start_agent() { "$RAKSHA_AGENT" --config agent.conf --foreground >> agent.out 2>> agent.err & AGENT=$!; }
start_agent
wait_for 'grep -q "connected;" agent.err' || { show agent.err; bail "the agent did not connect"; }
pub --region bhopal --agency grp report --name Seema --age 9 > /dev/null
wait_for 'grep -q "refused the publication" agent.err'
line=$(grep "refused the publication" agent.err)
contains "$line" "the broker refused the publication on raksha/v1/mp/bhopal/grp/escalation: Not authorized (MQTT 5 reason code 0x87)" \
	"the agent logs the refusal of its escalation, naming the topic"
contains "$line" "<3>" "  as an error"
show agent.err
is "$(ls agent-outbox/refused | wc -l | tr -d ' ')" 1 "  the escalation is set aside in its outbox's refused/"
is "$(waiting "$W/agent-outbox")" "0 envelope(s) waiting in $W/agent-outbox" "  and not sent again"
# mosquitto 2.0 closes the connection after a refusal (its issue 2579).
wait_for '[ "$(grep -c "connected;" agent.err)" -ge 2 ]'
is "$(grep -c "connected;" agent.err)" 2 "  mosquitto dropped the agent after refusing; it reconnected by itself"
contains "$(grep 'New client connected.*mp-bhopal-grp-5' broker/mosquitto.log | tail -1)" "p5, c0" \
	"  again with MQTT 5 and its session (libraksha's own reconnect, its options kept)"

# Its board, whose ack the ACL refuses (the agent's user may not publish acks).
command -v tmux > /dev/null || bail "tmux is not installed (scripts/debian-packages)"
screen() { $TM capture-pane -p -t board 2>/dev/null; }
$TM new-session -d -s board -x 100 -y 24 "LC_ALL=C.UTF-8 TERM=tmux-256color '$RAKSHA_AGENT' board \
	--config '$W/agent.conf' 2> '$W/board.err'" || bail "tmux cannot start a session"
wait_for 'screen | grep -qF Seema' || screen | sed 's/^/# /'
$TM send-keys -t board a
wait_for 'screen | grep -qF "ack NOT sent"'
contains "$(screen)" "ack NOT sent: the broker refused it on raksha/v1/mp/bhopal/grp/ack (MQTT 5)" \
	"the board says the ack the broker refused was not sent, naming the topic"
is "$(ls agent-outbox/refused | wc -l | tr -d ' ')" 2 "  and it is set aside in refused/ too"
$TM kill-server 2>/dev/null

# Its persistent session keeps what is published while it is away.
kill "$AGENT"; wait "$AGENT"; rc=$?
AGENT=
is "$rc" 0 "the agent stops on SIGTERM (exit 0)"
before=$(q "SELECT count(*) FROM messages WHERE kind = 'report'")
for n in 1 2 3; do pub --region bhopal --agency grp report --name "Away $n" --age 8 > /dev/null; done
start_agent
wait_for '[ "$(q "SELECT count(*) FROM messages WHERE kind = '"'report'"'")" -ge $((before + 3)) ]'
is "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" $((before + 3)) \
	"MQTT 5: the 3 reports published while the agent was away arrive (its session did not expire)"
contains "$(grep 'New client connected.*mp-bhopal-grp-5' broker/mosquitto.log | tail -1)" "p5, c0" \
	"  the broker saw MQTT 5 without a clean start"
kill "$AGENT"; wait "$AGENT"
AGENT=

# --- NATS speaks MQTT 3.1.1 only ----------------------------------------------------
. "$RAKSHA_SOURCE_ROOT/tests/lib/nats.sh"
nats_conf() {
	printf 'server_name: mqtt5\nlisten: 127.0.0.1:%s\njetstream { store_dir: "%s/js" }\n' \
		"$CLIENT_PORT" "$W" > "$W/nats.conf"
	printf 'mqtt { listen: 127.0.0.1:%s }\n' "$MQTT_PORT" >> "$W/nats.conf"
}
nats_start nats_conf
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$MQTT_PORT" --mqtt-version 5 --outbox "$W/nats-outbox" \
	--timeout 3 --state mp --region bhopal --agency grp report --name Ravi --age 7 > /dev/null 2> err; rc=$?
is "$rc" 75 "raksha-publish --mqtt-version 5 to NATS: exit 75, kept"
contains "$(cat err)" "cannot connect: the broker refused MQTT 5 (CONNACK code 1, unacceptable protocol version; NATS 2.9 speaks MQTT 3.1.1 only)" \
	"  it says the broker refused MQTT 5"
"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$MQTT_PORT" --outbox "$W/nats-outbox" --timeout 5 flush 2> err; rc=$?
is "$rc" 0 "  and MQTT 3.1.1 sends it"
sed -i -e "s|^url = .*|url = mqtt://127.0.0.1:$MQTT_PORT|" -e '/^username/d' -e '/^password_file/d' agent.conf
: > agent.err
start_agent
wait_for 'grep -q "cannot connect" agent.err'
contains "$(cat agent.err)" "broker connection lost: cannot connect: the broker refused MQTT 5" \
	"the agent with mqtt_version = 5 names NATS's refusal of MQTT 5"
kill "$AGENT"; wait "$AGENT"; rc=$?
AGENT=
is "$rc" 0 "  and still stops on SIGTERM (exit 0)"
done_testing
