#!/bin/sh
# 17: the production broker (broker-config/production/mosquitto.conf) on a
# loopback port with a test CA and a roster: raksha-roster names each bad
# CSV line; TLS with the CA works and plaintext to the TLS port fails;
# anonymous and wrong-password clients are refused; a unit's publication on
# another unit's topic never arrives while its own does; an agent reads its
# state and every state's acks; only a supervisor's replay request reaches the archive agent.
# Sessions bound to their owners (tools/clientid/): another unit's
# credentials, or the admin's, with the agent's client id and a clean
# session get "not authorised" and nothing else, the agent stays connected
# (no Will) and reports queued for it while it is away still reach it.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/scripts/dev-broker.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-prod.XXXXXX")
AGENT= ARCHIVE= SUB= PSUB=
TM=:
cleanup() {
	$TM kill-server 2>/dev/null
	kill $AGENT $ARCHIVE $SUB $PSUB 2>/dev/null
	dev_broker_stop
	rm -rf "$W"
}
trap cleanup EXIT
ROSTER=$RAKSHA_BUILD_ROOT/tools/roster/raksha-roster
cd "$W" || bail "no folder"

# The roster, and a broken one.
cat > units.csv <<'CSV'
id,state,region,agency,role
mp-bhopal-grp-post1,mp,bhopal,grp,unit
mp-itarsi-rpf-post1,mp,itarsi,rpf,unit
mp-bhopal-grp-1,mp,bhopal,grp,agent
mp-sp-railways,mp,state,control,supervisor
mp-archive,mp,state,control,archive
ops,mp,state,ops,admin
CSV
printf 'id,state,region,agency,role\nok-1,mp,bhopal,grp,unit\nok-2,mp,bhopal,grp,king\nok-3,mp,bhopal\nok-1,mp,bhopal,grp,unit\n' > bad.csv
out=$("$ROSTER" -n --roster bad.csv 2>&1); rc=$?
is "$rc" 65 "raksha-roster: a bad roster is refused (exit 65)"
contains "$out" "bad.csv:3: role 'king' is not unit, agent, control, supervisor, archive or admin" "  line 3 named"
contains "$out" "bad.csv:4: 3 field(s); a line is id,state,region,agency,role" "  line 4 named"
contains "$out" "bad.csv:5: id 'ok-1' is already on line 2" "  line 5 named"
ok "  and nothing written" test ! -e acl
is "$("$ROSTER" -n --roster units.csv)" "roster OK (6 units, 0 with a signing key)" "a good roster: roster OK"
"$ROSTER" --roster units.csv --acl acl --passwords passwd --secrets secrets > roster.out
ok "raksha-roster writes the ACL, the hashed password file and the secrets" \
	sh -c "test -s acl && grep -q '^ops:\\\$7\\\$' passwd && test \$(stat -c %a secrets) = 600"
pw() { grep "^$1:" secrets | cut -d: -f2-; }
for u in mp-bhopal-grp-post1 mp-itarsi-rpf-post1 mp-bhopal-grp-1 mp-sp-railways mp-archive ops; do
	pw "$u" > "$u.pw"
done

# The production configuration, moved to this folder and a free port.
"$RAKSHA_SOURCE_ROOT/broker-config/make-test-ca.sh" "$W" broker > /dev/null || bail "make-test-ca.sh"
sed -e 's|^listener 8883$|listener @PORT@ 127.0.0.1|' -e "s|/etc/mosquitto/raksha/|$W/|" \
	-e 's|^persistence_location .*|persistence_location @STATE_DIR@/|' \
	-e 's|^log_dest syslog|log_dest file @STATE_DIR@/mosquitto.log|' \
	-e "s|^plugin /usr/lib/raksha/raksha-clientid.so$|plugin $RAKSHA_BUILD_ROOT/tools/clientid/raksha-clientid.so|" \
	"$RAKSHA_SOURCE_ROOT/broker-config/production/mosquitto.conf" > prod.conf.in
echo "user @USER@" >> prod.conf.in
BROKER_TEMPLATE=$W/prod.conf.in
dev_broker_start "$W/broker" || { sed 's/^/# /' "$W/broker/mosquitto.log"; bail "the production broker did not start"; }
P=$BROKER_PORT
pub() {  # USER TOPIC MESSAGE [PASSWORD]
	mosquitto_pub -h 127.0.0.1 -p "$P" --cafile ca.crt -q 1 -u "$1" -P "${4:-$(cat "$1.pw")}" -I "$1:" \
		-t "$2" -m "$3" 2>&1
}

out=$(pub ops raksha/ops/check hello); rc=$?
is "$rc" 0 "TLS with the test CA and a roster password: accepted"
out=$(mosquitto_pub -h 127.0.0.1 -p "$P" -q 1 -u ops -P "$(cat ops.pw)" -t raksha/ops/check -m x 2>&1); rc=$?
ok "plaintext MQTT to the TLS port fails" test "$rc" -ne 0
out=$(mosquitto_pub -h 127.0.0.1 -p "$P" --cafile ca.crt -q 1 -t raksha/ops/check -m x 2>&1); rc=$?
ok "an anonymous client is refused" test "$rc" -ne 0
contains "$out" "not authorised" "  not authorised"
out=$(pub ops raksha/ops/check x wrong-password); rc=$?
ok "a wrong password is refused" test "$rc" -ne 0
contains "$out" "not authorised" "  not authorised"

# Unit A (Bhopal GRP) writes on unit B's (Itarsi RPF) topic, then on its own.
mosquitto_sub -h 127.0.0.1 -p "$P" --cafile ca.crt -q 1 -u ops -P "$(cat ops.pw)" -I ops: -t 'raksha/v1/#' \
	-F '%t %p' -W 30 > seen 2>/dev/null &
SUB=$!
sleep 0.5
pub mp-bhopal-grp-post1 raksha/v1/mp/itarsi/rpf/report forged > /dev/null
pub mp-bhopal-grp-post1 raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1 forged-presence > /dev/null
pub mp-bhopal-grp-post1 raksha/v1/mp/bhopal/grp/report own > /dev/null
for _ in $(seq 50); do grep -q " own$" seen && break; sleep 0.1; done
contains "$(cat seen)" "raksha/v1/mp/bhopal/grp/report own" "a unit's publication on its own topic arrives"
ok "  one on another unit's topic never arrives" sh -c "! grep -q forged seen"
# A supervisor may close any case: it publishes updates, on its own topics only.
pub mp-sp-railways raksha/v1/mp/bhopal/grp/update sp-forged > /dev/null
pub mp-sp-railways raksha/v1/mp/state/control/update sp-own > /dev/null
for _ in $(seq 50); do grep -q " sp-own$" seen && break; sleep 0.1; done
contains "$(cat seen)" "raksha/v1/mp/state/control/update sp-own" "a supervisor's update on its own topic arrives"
ok "  one on another unit's topic never arrives" sh -c "! grep -q sp-forged seen"

# What a bridge brings in from another state (published here by the admin):
# an agent reads every state's acks, so that UP's ack of an MP case stops
# MP's escalation (broker-config/bridge/README.md).
timeout 15 mosquitto_sub -h 127.0.0.1 -p "$P" --cafile ca.crt -q 1 -u mp-bhopal-grp-1 \
	-P "$(cat mp-bhopal-grp-1.pw)" -I mp-bhopal-grp-1: -t 'raksha/v1/+/+/+/ack' -F '%t %p' -C 1 -W 10 \
	> agent-acks 2>/dev/null &
ASUB=$!
sleep 0.5
pub ops raksha/v1/up/lucknow/grp/ack up-ack > /dev/null
wait "$ASUB"
is "$(cat agent-acks)" "raksha/v1/up/lucknow/grp/ack up-ack" "an agent reads another state's ack (the roster's ACL)"

# An agent with roster credentials over TLS logs its state's reports, and
# the archive answers only a supervisor.
agent() {  # ID ROLE-LINE DB
	printf '[agent]\nid = %s\nstate = mp\nregion = %s\nagency = %s\ndatabase = %s\n%s\n' \
		"$1" "$4" "$5" "$3" "$2"
	printf '[broker]\nurl = mqtts://127.0.0.1:%s\nusername = %s\npassword_file = %s\nca_file = %s\n' \
		"$P" "$1" "$W/$1.pw" "$W/ca.crt"
	printf '[subscribe]\nfilter = raksha/v1/mp/#\n'
}
agent mp-bhopal-grp-1 "role = district" "$W/agent.db" bhopal grp > agent.conf
agent mp-archive "role = archive" "$W/archive.db" state control > archive.conf
"$RAKSHA_AGENT" --config agent.conf 2> agent.err & AGENT=$!
"$RAKSHA_AGENT" --config archive.conf 2> archive.err & ARCHIVE=$!
for _ in $(seq 100); do grep -q "connected;" agent.err && grep -q "connected;" archive.err && break; sleep 0.1; done
cat > unit.conf <<INI
[origin]
state = mp
region = bhopal
agency = grp
[broker]
url = mqtts://127.0.0.1:$P
username = mp-bhopal-grp-post1
password_file = $W/mp-bhopal-grp-post1.pw
ca_file = $W/ca.crt
INI
id=$("$RAKSHA_PUBLISH" --config unit.conf --outbox "$W/ob" report --name "सीमा कुमारी" --age 9 2>pub.err); rc=$?
is "$rc" 0 "raksha-publish with roster credentials over TLS"
count() { sqlite3 "$1" "SELECT count(*) FROM messages WHERE kind = 'report'" 2>/dev/null || echo 0; }
for _ in $(seq 100); do [ "$(count archive.db)" -ge 1 ] && [ "$(count agent.db)" -ge 1 ] && break; sleep 0.1; done
is "$(count agent.db)" 1 "the district agent logged it"
is "$(count archive.db)" 1 "the archive logged it"

remote() {  # USER
	"$RAKSHA_REPLAY" --remote --archive mp-archive --url "mqtts://127.0.0.1:$P" --ca-file "$W/ca.crt" \
		--username "$1" --password-file "$W/$1.pw" --timeout 3 --kind report --format json
}
out=$(remote mp-sp-railways 2> remote.err); rc=$?
is "$rc" 0 "a supervisor's remote replay is answered"
contains "$out" "\"message_id\"" "  with the report"
is "$out" "$("$RAKSHA_REPLAY" --db archive.db --kind report --format json)" "  exactly what a local replay gives"
out=$(remote mp-bhopal-grp-post1 2> remote.err); rc=$?
is "$rc" 69 "a unit's remote replay request never reaches the archive (no answer: exit 69)"
is "$out" "" "  nothing printed"
is "$(grep -c 'replay on' archive.err)" 1 "  the archive answered only the supervisor"
out=$(remote mp-bhopal-grp-1 2> remote.err); rc=$?
is "$rc" 69 "nor does an agent's"

# Sessions bound to their owners. The agent mp-bhopal-grp-1 is connected
# (persistent session); others try its client id with clean sessions.
BLOG=$W/broker/mosquitto.log
as() {  # USER CLIENT-ID MOSQUITTO_SUB-ARGS...: a clean session
	u=$1 i=$2
	shift 2
	mosquitto_sub -h 127.0.0.1 -p "$P" --cafile ca.crt -q 1 -u "$u" -P "$(cat "$u.pw")" -i "$i" "$@" 2>&1
}
# refused USER CLIENT-ID WHAT: a clean session as USER with CLIENT-ID, which
# subscribes to the agent's state for 3 s, gets "not authorised" and nothing
# else (no CONNACK, no message: mosquitto_sub exits at once).
refused() {
	is "$(as "$1" "$2" -t 'raksha/v1/mp/#' -W 3)" "Connection error: Connection Refused: not authorised." "$3"
}
PRESENCE=raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1
mosquitto_sub -h 127.0.0.1 -p "$P" --cafile ca.crt -q 1 -u ops -P "$(cat ops.pw)" -I ops: -t "$PRESENCE" \
	-F '%t' -W 6 > presence 2>/dev/null &
PSUB=$!
sleep 0.5
refused mp-bhopal-grp-post1 mp-bhopal-grp-1 \
	"another unit's credentials with the agent's client id and a clean session: not authorised, nothing else"
contains "$(cat "$BLOG")" "raksha-clientid: refused client id 'mp-bhopal-grp-1' for user 'mp-bhopal-grp-post1': it must be 'mp-bhopal-grp-post1' or begin with 'mp-bhopal-grp-post1:'" \
	"  the broker's log says why"
refused ops mp-bhopal-grp-1 "  the admin's too"
refused mp-bhopal-grp-post1 mp-bhopal-grp-1:board-1 "  the agent's id with a suffix (its board's form) too"
refused mp-bhopal-grp-post1 mp-bhopal-grp-post1x "  an id that only begins with the unit's own too"
refused mp-bhopal-grp-post1 mp-bhopal-grp-post1: "  and its own id with an empty suffix"
out=$(as mp-bhopal-grp-1 mp-bhopal-grp-1:board-1 -t raksha/none -E); rc=$?
is "$rc" 0 "the agent's own credentials with ID:board-... (a clean session beside the agent) connect"
out=$(as mp-bhopal-grp-post1 mp-bhopal-grp-post1:desk -t raksha/none -E); rc=$?
is "$rc" 0 "a unit's own ID:... connects"
wait "$PSUB"
PSUB=
is "$(grep -c . presence)" 1 "the agent's presence: its retained 'online' only, no Will"
ok "the agent was never knocked off" sh -c "! grep -q 'connection lost' agent.err"
ok "  nor its connection closed by the broker" sh -c "! grep -q 'already connected' '$BLOG'"

# Away: reports queued for it survive another unit's clean session with its id.
kill -TERM "$AGENT"
wait "$AGENT"
AGENT=
for i in 1 2 3; do
	"$RAKSHA_PUBLISH" --config unit.conf --outbox "$W/ob" report --name "away $i" --age 7 > /dev/null 2>>pub.err
done
refused mp-bhopal-grp-post1 mp-bhopal-grp-1 "while it is away, another unit with its client id gets none of its queued reports"
refused mp-sp-railways mp-bhopal-grp-1 "  nor does a supervisor"
"$RAKSHA_AGENT" --config agent.conf 2> agent2.err & AGENT=$!
for _ in $(seq 100); do [ "$(count agent.db)" -ge 4 ] && break; sleep 0.1; done
is "$(count agent.db)" 4 "back, the agent gets the 3 reports queued for it while it was away"

# The agent's board beside it, with the agent's credentials: its own id.
TM="tmux -L raksha-17-$$ -f /dev/null"
$TM new-session -d -s board -x 80 -y 24 "TERM=tmux-256color '$RAKSHA_AGENT' board --config '$W/agent.conf' 2> '$W/board.err'"
for _ in $(seq 100); do grep -q " as mp-bhopal-grp-1:board-" "$BLOG" && break; sleep 0.1; done
contains "$(cat "$BLOG")" " as mp-bhopal-grp-1:board-" "raksha-board connects with the agent's credentials as ID:board-PID"
$TM kill-server 2>/dev/null

# A roster change is applied with SIGHUP (broker-config/production/README.md):
# the binding holds after it, before the password file as before.
kill -HUP "$BROKER_PID"
for _ in $(seq 50); do grep -q "Reloading config" "$BLOG" && break; sleep 0.1; done
ok "the agent was not knocked off by its board nor by the attempts" sh -c "! grep -q 'connection lost' agent2.err"
refused mp-bhopal-grp-post1 mp-bhopal-grp-1 "after a reload (SIGHUP) another unit with the agent's id is still refused"
out=$(as mp-bhopal-grp-post1 mp-bhopal-grp-post1:desk -t raksha/none -E); rc=$?
is "$rc" 0 "  and the unit's own ID:... still connects"
out=$(mosquitto_sub -h 127.0.0.1 -p "$P" --cafile ca.crt -u mp-bhopal-grp-post1 -P wrong \
	-i mp-bhopal-grp-post1:desk -t raksha/none -E 2>&1)
is "$out" "Connection error: Connection Refused: not authorised." "  with its password only"
ok "  (the password file's refusal, not the plugin's)" sh -c "! grep -q \"client id 'mp-bhopal-grp-post1:desk'\" '$BLOG'"
done_testing
