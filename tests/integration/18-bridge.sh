#!/bin/sh
# 18: federation (broker-config/bridge/): three real mosquittos on loopback,
# MP and UP state brokers each bridged over TLS to a national hub. A report
# published on MP reaches a subscriber and an agent on UP exactly once,
# byte-identical, and never comes back to MP; the reverse too; a UP unit's
# ack of an MP case reaches MP once and ends the MP agent's escalation of
# it; presence, escalations, replay requests, link states and another
# state's tree stay home, and the hub refuses a state writing another's tree; with the
# hub down (and MP restarted meanwhile) or UP down, reports wait in the
# persistent bridge sessions and arrive once. Then the neighbour shape: MP
# bridged straight to UP, no hub.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
FED=$RAKSHA_SOURCE_ROOT/broker-config/bridge/federation.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-18.XXXXXX")
F=$W/fed
SUBS= AGENT= MPAGENT=
cleanup() {
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	[ -n "$MPAGENT" ] && kill "$MPAGENT" 2>/dev/null && wait "$MPAGENT" 2>/dev/null
	for p in $SUBS; do kill "$p" 2>/dev/null; done
	"$FED" stop "$F"
	"$FED" stop "$W/pair"
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$FED" start "$F" > "$W/urls" 2> "$W/fed.err" || { sed 's/^/# /' "$W/fed.err"; bail "the federation did not start"; }
. "$F/federation.env"
CA_DIR=$F/ca

# --- The hub's listener: TLS with a client certificate from the federation's CA, nothing else.
"$RAKSHA_SOURCE_ROOT/broker-config/make-test-ca.sh" "$CA_DIR" dl > /dev/null
"$RAKSHA_SOURCE_ROOT/broker-config/make-test-ca.sh" "$W/rogue-ca" dl > /dev/null
hubpub() {  # extra mosquitto_pub options...
	timeout 10 mosquitto_pub -h 127.0.0.1 -p "$HUB_PORT" -q 1 -t raksha/test/connect -m x "$@" 2>/dev/null
}
hubpub; rc=$?
ok "the hub refuses plaintext MQTT" test "$rc" -ne 0
hubpub --cafile "$CA"; rc=$?
ok "the hub refuses TLS without a client certificate" test "$rc" -ne 0
hubpub --cafile "$CA" --cert "$W/rogue-ca/dl.crt" --key "$W/rogue-ca/dl.key"; rc=$?
ok "the hub refuses a certificate from another CA" test "$rc" -ne 0
hubpub --cafile "$CA" --cert "$CA_DIR/dl.crt" --key "$CA_DIR/dl.key"; rc=$?
is "$rc" 0 "the hub accepts a certificate from the federation's CA"
for s in mp up; do
	ok "$s's bridge: a bridge (try_private), MQTT 3.1.1, persistent session, known as '$s' by its certificate" \
		grep -qE "New bridge connected from 127\.0\.0\.1:[0-9]+ as raksha-bridge-$s \(p2, c0, k30, u'$s'\)" \
		"$F/hub/mosquitto.log"
done
# The plan as MP's broker has it: out, MP's own alerts; in, every state's.
plan() { sed -n "s/^topic \([^ ]*\) $1 1\$/\1/p" "$F/mp/mosquitto.conf" | tr '\n' ' '; }
is "$(plan out)" "raksha/v1/mp/+/+/report raksha/v1/mp/+/+/sighting raksha/v1/mp/+/+/update raksha/v1/mp/+/+/ack raksha/v1/mp/+/+/link " \
	"MP's bridge sends out only MP's reports, sightings, updates, acks and links, at QoS 1"
is "$(plan in)" "raksha/v1/+/+/+/report raksha/v1/+/+/+/sighting raksha/v1/+/+/+/update raksha/v1/+/+/+/ack raksha/v1/+/+/+/link " \
	"  and takes in every state's, at QoS 1"

# --- Independent subscribers with persistent sessions: everything on MP
# and UP, and what a third state (Delhi, by its certificate) reads on the hub.
sub() {  # NAME PORT [options...]
	n=$1 p=$2; shift 2
	mosquitto_sub -h 127.0.0.1 -p "$p" -c -i "raksha-18-$n" -q 1 -t '#' -F '%t %x' -W 110 "$@" \
		> "$W/$n.sub" 2> "$W/$n.sub.err" &
	SUBS="$SUBS $!"
}
sub mp "$MP_PORT"
sub up "$UP_PORT"
sub hub "$HUB_PORT" --cafile "$CA" --cert "$CA_DIR/dl.crt" --key "$CA_DIR/dl.key"

# agent_ini NAME ID STATE REGION PORT FILTER...: a GRP agent's configuration
# in $W/NAME.conf, its database $W/NAME.db; what else it needs is appended.
agent_ini() {
	n=$1 id=$2 st=$3 rg=$4 port=$5
	shift 5
	printf '[agent]\nid = %s\nstate = %s\nregion = %s\nagency = grp\ndatabase = %s\noutbox = %s\n' \
		"$id" "$st" "$rg" "$W/$n.db" "$W/$n-outbox" > "$W/$n.conf"
	printf '[broker]\nurl = mqtt://127.0.0.1:%s\n[subscribe]\n' "$port" >> "$W/$n.conf"
	for f in "$@"; do printf 'filter = %s\n' "$f" >> "$W/$n.conf"; done
}
# agent_run NAME: starts the agent of $W/NAME.conf, its pid in STARTED,
# and waits until it is connected, at most 15 s.
agent_run() {
	"$RAKSHA_AGENT" --config "$W/$1.conf" --foreground > "$W/$1.out" 2> "$W/$1.err" &
	STARTED=$!
	for _ in $(seq 150); do grep -q "connected;" "$W/$1.err" 2>/dev/null && return 0; sleep 0.1; done
	sed 's/^/# /' "$W/$1.err"
	return 1
}

# --- A district agent on UP (GRP Lucknow), subscribed as docs/topics.md says.
DB=$W/up-agent.db
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
agent_ini up-agent up-lucknow-grp-1 up lucknow "$UP_PORT" 'raksha/v1/+/+/+/report' 'raksha/v1/+/+/+/sighting' \
	'raksha/v1/+/+/+/update' 'raksha/v1/+/+/+/ack' 'raksha/v1/up/+/+/escalation'
agent_run up-agent || bail "the agent on UP did not come up"
AGENT=$STARTED
for s in mp up hub; do
	for _ in $(seq 50); do grep -q " as raksha-18-$s " "$F/$s/mosquitto.log" && break; sleep 0.1; done
done
sleep 0.3

pub() {  # STATE REGION extra-options... COMMAND ...: raksha-publish on that state's broker
	s=$1 r=$2; shift 2
	eval "port=\$$(echo "$s" | tr a-z A-Z)_PORT"
	"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$port" --outbox "$W/outbox-$s" --timeout 10 \
		--state "$s" --region "$r" --agency grp "$@"
}
hexid() { printf '%s' "$1" | tr -d -; }
# seen NAME TOPIC ID: how many messages on TOPIC, whose bytes hold the id,
# subscriber NAME received (fixed strings: a photo report's line is 3.6 MB).
lines() { grep -F "$(hexid "$3")" "$W/$1.sub" | grep -F "$2 "; }
seen() { lines "$@" | grep -c "^$2 "; }
line() { lines "$@" | grep -m 1 "^$2 "; }
wait_seen() {  # NAME TOPIC ID: until it arrived, at most 20 s
	for _ in $(seq 200); do [ "$(seen "$@")" -ge 1 ] && return 0; sleep 0.1; done
	return 1
}
msgid() { "$RAKSHA_INSPECT" --lines | sed -n 's/.*"message_id":"\([0-9a-f-]*\)".*/\1/p'; }
agent_has() {  # MESSAGE-ID: how many times the UP agent logged it
	q "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$(hexid "$1")'"
}
# A loop would repeat a message within milliseconds: after the first
# arrival, wait SECONDS (default 1) for copies that should not come.
settle() { sleep "${1:-1}"; }

# --- MP -> hub -> UP, once.
MPR=raksha/v1/mp/bhopal/grp/report
r1=$(pub mp bhopal --unit "GRP Post Bhopal Jn" report --name "सीमा कुमारी" --age 9 --gender female \
	--station BPL --train 12627 --coach S4 --priority urgent)
ok "a report published on MP (raksha-publish)" test -n "$r1"
ok "  reaches the subscriber on UP" wait_seen up $MPR "$r1"
settle 3
is "$(seen up $MPR "$r1")" 1 "  exactly once on UP"
is "$(seen hub $MPR "$r1")" 1 "  exactly once on the hub"
is "$(seen mp $MPR "$r1")" 1 "  and once on MP: it never came back from the hub"
l_mp=$(line mp $MPR "$r1")
is "$(line up $MPR "$r1")" "$l_mp" "  byte-identical on UP and MP"
is "$(line hub $MPR "$r1")" "$l_mp" "  and on the hub"
contains "$(printf '%s\n' "$l_mp" | "$RAKSHA_INSPECT" --lines)" "\"report_id\":\"$r1\"" "  raksha-inspect decodes it: the report's id"
m1=$(printf '%s\n' "$l_mp" | msgid)
wait_rows "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$(hexid "$m1")'" 1
is "$(agent_has "$m1")" 1 "the agent on UP logged it exactly once (by message_id)"
is "$(q "SELECT lower(hex(envelope)) FROM messages WHERE lower(hex(message_id)) = '$(hexid "$m1")'")" \
	"${l_mp#* }" "  the very bytes published on MP"
is "$(q "SELECT child_name || '|' || state || '|' || region || '|' || station FROM cases
	WHERE lower(hex(report_id)) = '$(hexid "$r1")'")" "सीमा कुमारी|mp|bhopal|BPL" "  in its case view as MP's case"

# --- UP -> hub -> MP, once.
UPR=raksha/v1/up/lucknow/grp/report
r2=$(pub up lucknow --unit "GRP Post Lucknow Jn" report --name "Ravi" --age 7 --station LKO)
ok "a report published on UP reaches the subscriber on MP" wait_seen mp $UPR "$r2"
settle
is "$(seen mp $UPR "$r2")" 1 "  exactly once on MP"
is "$(seen up $UPR "$r2")" 1 "  once on UP: it never came back"
is "$(seen hub $UPR "$r2")" 1 "  once on the hub"
is "$(line mp $UPR "$r2")" "$(line up $UPR "$r2")" "  byte-identical"
pub mp bhopal sighting --report "$r2" --station BPL > /dev/null
ok "MP's sighting of UP's child reaches UP" wait_seen up raksha/v1/mp/bhopal/grp/sighting "$r2"

# --- An ack across states ends the owner state's escalation. An agent of
# GRP Bhopal on MP escalates Itarsi's reports nobody of GRP acknowledged
# within 2 s, and again 4 s later; GRP Lucknow acts on the case and acks
# it on its own UP broker, on its own topic (raksha/v1/up/...: a topic
# names its sender, not the case). The bridges carry acks of every state
# (README.md), so MP's agent stores it and the rule ends at level 1. With
# the plan of before (acks stay home), it never arrives and level 2 fires.
MPDB=$W/mp-agent.db
agent_ini mp-agent mp-bhopal-grp-1 mp bhopal "$MP_PORT" 'raksha/v1/+/+/+/report' 'raksha/v1/+/+/+/ack'
printf '[escalate.itarsi]\nmatch = raksha/v1/mp/+/+/report\nregion = itarsi\nafter = 2s\nrepeat = 4s\n%s\n%s\n' \
	'unless_ack_from = grp' 'publish = raksha/v1/mp/bhopal/grp/escalation' >> "$W/mp-agent.conf"
agent_run mp-agent || bail "the agent on MP did not come up"
MPAGENT=$STARTED
qmp() { if [ -s "$MPDB" ]; then sqlite3 "$MPDB" "$1" 2>/dev/null || echo 0; else echo 0; fi; }
wait_mp() {  # SQL WANT: until the MP agent's database answers WANT, at most 15 s
	for _ in $(seq 150); do [ "$(qmp "$1")" = "$2" ] && return 0; sleep 0.1; done
	return 1
}
ra=$(pub mp itarsi --unit "GRP Post Itarsi Jn" report --name "Pooja" --age 11 --station ET)
timer="FROM timers WHERE lower(hex(report_id)) = '$(hexid "$ra")' AND rule = 'itarsi'"
ok "MP's agent escalates MP's unacknowledged report: level 1" wait_mp "SELECT level $timer" 1
pub up lucknow --unit "GRP Post Lucknow Jn" ack --report "$ra" --state acting --notes "child with us at LKO" > /dev/null
UPA=raksha/v1/up/lucknow/grp/ack
ok "GRP Lucknow's ack of it, published on UP, reaches MP" wait_seen mp $UPA "$ra"
ok "  MP's agent stores it against MP's case" wait_mp "SELECT state || '/' || region || '/' || agency || '|' || ack_state
	FROM acks WHERE lower(hex(report_id)) = '$(hexid "$ra")'" "up/lucknow/grp|acting"
ok "  and its rule for GRP ends there" wait_mp "SELECT ended $timer" "acknowledged by lucknow/grp"
settle 5  # past the 4 s of the repeat
is "$(qmp "SELECT level || '|' || (due_ms IS NULL) $timer")" "1|1" "  at level 1, nothing more due"
is "$(seen mp raksha/v1/mp/bhopal/grp/escalation "$ra")" 1 "  one Escalation on MP: no level 2"
is "$(seen up $UPA "$ra")|$(seen hub $UPA "$ra")|$(seen mp $UPA "$ra")" "1|1|1" \
	"  the ack once on UP, on the hub and on MP: nothing loops"
kill "$MPAGENT"; wait "$MPAGENT"
is "$?" 0 "  the agent on MP exits cleanly"
MPAGENT=

# --- A 1.8 MB report (two 900 KB photos) fits every hop. raksha-publish
# sends only the photos it makes (a few hundred KB): these come as another
# program on the bus would send them, by protoc and mosquitto_pub.
{ printf '\377\330\377\340JFIF'; head -c 921000 /dev/urandom; } > "$W/a.jpg"
{ printf '\211PNG\r\n\032\n'; head -c 921000 /dev/urandom; } > "$W/b.png"
r3=$(pub mp bhopal --dry-run report --name "Photo" --age 5 |
	/usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/tools/publish-photos.py" "$MP_PORT" "$W/a.jpg" "$W/b.png")
ok "a report with two 900 KB photos crosses to UP" wait_seen up $MPR "$r3"
# mosquitto_sub writes a 3.6 MB line in pieces: wait until both are whole.
same() { [ "$(line "$1" "$3" "$4" | cksum)" = "$(line "$2" "$3" "$4" | cksum)" ]; }
wait_same() { for _ in $(seq 200); do same "$@" && return 0; sleep 0.1; done; return 1; }
ok "  byte-identical" wait_same up mp $MPR "$r3"
wait_rows "SELECT count(*) FROM messages WHERE lower(hex(report_id)) = '$(hexid "$r3")'" 1
is "$(q "SELECT lower(hex(envelope)) FROM messages WHERE lower(hex(report_id)) = '$(hexid "$r3")'" | cksum)" \
	"$(line mp $MPR "$r3" | cut -d' ' -f2 | cksum)" "  the agent on UP checked it (photo hashes too) and logged the same bytes"

# --- What stays home. On MP: presence, an escalation, a remote replay
# request, and a report on UP's tree (a forgery: MP pushes only its own).
# On UP: the agent's presence. Then a report, which does cross: once it is
# on UP, anything of these that could cross would have. An ack published
# with them crosses.
for k in agent ack escalation; do
	t=$("$MAKE_SAMPLE" $k "$W/$k.bin" --fresh)
	mosquitto_pub -h 127.0.0.1 -p "$MP_PORT" -q 1 -t "$t" -f "$W/$k.bin" $( [ $k = agent ] && echo -r)
done
mosquitto_pub -h 127.0.0.1 -p "$MP_PORT" -q 1 -t raksha/replay/mp-archive/request/018f0000-0000-7000-8000-000000000000 -m '{}'
"$MAKE_SAMPLE" report "$W/forged.bin" --fresh > /dev/null
mosquitto_pub -h 127.0.0.1 -p "$MP_PORT" -q 1 -t raksha/v1/up/lucknow/grp/report -f "$W/forged.bin"
r4=$(pub mp bhopal report --name "Sentinel" --age 8)
ok "after them, a report crosses" wait_seen up $MPR "$r4"
up_topics=$(cut -d' ' -f1 "$W/up.sub" | sort -u | tr '\n' ' ')
hub_topics=$(cut -d' ' -f1 "$W/hub.sub" | sort -u | tr '\n' ' ')
case " $up_topics " in
*" raksha/v1/mp/bhopal/grp/ack "*) ok "an ack published on MP crosses to UP" true ;;
*) ok "an ack published on MP crosses to UP" false ;;
esac
for t in raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1 raksha/v1/mp/bhopal/grp/escalation \
	raksha/replay/ raksha/bridge/mp/; do
	case " $up_topics $hub_topics " in
	*" $t"*) ok "$t stays in MP" false ;;
	*) ok "$t stays in MP" true ;;
	esac
done
forged=$(od -An -tx1 -v "$W/forged.bin" | tr -d ' \n')
is "$(grep -cF "$forged" "$W/up.sub" "$W/hub.sub" | cut -d: -f2 | tr '\n' ' ')" "0 0 " \
	"a report on UP's tree published on MP goes nowhere"
contains "$(cut -d' ' -f1 "$W/mp.sub" | sort -u | tr '\n' ' ')" "raksha/bridge/mp/hub " \
	"MP's link state is on MP (raksha/bridge/mp/hub)"
is "$(grep "^raksha/bridge/mp/hub " "$W/mp.sub" | tail -n 1)" "raksha/bridge/mp/hub 31" "  and says 1: connected"
case " $(cut -d' ' -f1 "$W/mp.sub" | sort -u | tr '\n' ' ') $hub_topics " in
*" raksha/v1/up/lucknow/grp/agent/"*) ok "the UP agent's presence stays in UP" false ;;
*) ok "the UP agent's presence stays in UP" true ;;
esac

# --- The hub's ACL: with UP's certificate, a unit straight on the hub may
# publish UP's alerts, and not MP's.
cat > "$W/up-at-hub.ini" <<INI
[origin]
state = up
region = lucknow
agency = grp
[broker]
url = mqtts://127.0.0.1:$HUB_PORT
ca_file = $CA
cert_file = $CA_DIR/up.crt
key_file = $CA_DIR/up.key
INI
r5=$("$RAKSHA_PUBLISH" --config "$W/up-at-hub.ini" --outbox "$W/outbox-forge" --timeout 10 \
	--state mp --region bhopal report --name "Forged at the hub")
r6=$("$RAKSHA_PUBLISH" --config "$W/up-at-hub.ini" --outbox "$W/outbox-hub" --timeout 10 \
	report --name "UP at the hub")
ok "UP's certificate on the hub: a UP report reaches MP" wait_seen mp $UPR "$r6"
is "$(seen mp $MPR "$r5")|$(seen up $MPR "$r5")|$(seen hub $MPR "$r5")" "0|0|0" \
	"  an MP report with UP's certificate is refused by the hub: nobody gets it"

# --- The hub down: MP keeps the report in its bridge session, also across
# its own restart, and sends it when the hub is back.
"$FED" stop-node "$F" hub
for _ in $(seq 50); do [ "$(grep "^raksha/bridge/mp/hub " "$W/mp.sub" | tail -n 1)" = "raksha/bridge/mp/hub 30" ] && break; sleep 0.1; done
is "$(grep "^raksha/bridge/mp/hub " "$W/mp.sub" | tail -n 1)" "raksha/bridge/mp/hub 30" "the hub down: MP's link state says 0"
r7=$(pub mp bhopal report --name "Hub down" --age 6); rc=$?
is "$rc" 0 "  MP still takes a report"
"$FED" stop-node "$F" mp
"$FED" start-node "$F" mp 2> "$W/fed.err" || sed 's/^/# /' "$W/fed.err"
r8=$(pub mp bhopal report --name "Hub down, MP restarted" --age 6)
ok "  and one more after MP restarted" test -n "$r8"
"$FED" start-node "$F" hub 2> "$W/fed.err" || { sed 's/^/# /' "$W/fed.err"; bail "the hub did not come back"; }
ok "when the hub is back, the first reaches UP" wait_seen up $MPR "$r7"
ok "  and the one published after MP's restart" wait_seen up $MPR "$r8"
settle
is "$(seen up $MPR "$r7")|$(seen up $MPR "$r8")" "1|1" "  each once"
is "$(line up $MPR "$r7")" "$(line mp $MPR "$r7")" "  byte-identical"
is "$(seen hub $MPR "$r7")|$(seen hub $MPR "$r8")" "1|1" "  once each at the hub"
m7=$(line up $MPR "$r7" | msgid)
wait_rows "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$(hexid "$m7")'" 1
is "$(agent_has "$m7")" 1 "  the agent on UP logged it once"

# --- UP down: the hub keeps the report in UP's bridge session.
"$FED" stop-node "$F" up
r9=$(pub mp bhopal report --name "UP down" --age 4)
ok "with UP down, a report from MP reaches the hub" wait_seen hub $MPR "$r9"
"$FED" start-node "$F" up 2> "$W/fed.err" || { sed 's/^/# /' "$W/fed.err"; bail "UP did not come back"; }
ok "  and UP when it is back" wait_seen up $MPR "$r9"
m9=$(line up $MPR "$r9" | msgid)
wait_rows "SELECT count(*) FROM messages WHERE lower(hex(message_id)) = '$(hexid "$m9")'" 1
settle
is "$(seen up $MPR "$r9")" 1 "  once"
is "$(agent_has "$m9")" 1 "  the agent on UP logged it once"

# --- Over the whole run, nobody received any alert twice, and the agent
# logged every report each subscriber on UP saw.
for n in mp up hub; do
	is "$(grep -E '^raksha/v1/[^ ]+/(report|sighting|update|ack) ' "$W/$n.sub" | sort | uniq -d | wc -l)" 0 \
		"no alert twice on the $n subscriber"
done
is "$(grep -cE '^raksha/v1/[^ ]+/report ' "$W/up.sub")" "$(q "SELECT count(*) FROM messages WHERE kind = 'report'")" \
	"the agent on UP logged as many reports as its broker delivered"
is "$(q "SELECT count(*) FROM rejected")" 0 "  and rejected none"
kill "$AGENT"; wait "$AGENT"
is "$?" 0 "the agent exits cleanly"
AGENT=
for p in $SUBS; do kill "$p" 2>/dev/null; done
SUBS=
"$FED" stop "$F"

# --- The neighbour shape: MP bridged straight to UP's TLS bridge listener.
"$FED" start "$W/pair" neighbour > /dev/null 2> "$W/fed.err" || { sed 's/^/# /' "$W/fed.err"; bail "the neighbour pair did not start"; }
. "$W/pair/federation.env"
timeout 10 mosquitto_pub -h 127.0.0.1 -p "$UP_BRIDGE_PORT" -q 1 -t x -m x 2>/dev/null; rc=$?
ok "neighbour: UP's bridge listener refuses plaintext" test "$rc" -ne 0
contains "$(cat "$W/pair/up/mosquitto.log")" "as raksha-bridge-mp (p2, c0, k30, u'mp')" "  MP's bridge is connected with its certificate"
for s in mp up; do
	eval "p=\$$(echo "$s" | tr a-z A-Z)_PORT"
	mosquitto_sub -h 127.0.0.1 -p "$p" -q 1 -t '#' -F '%t %x' -W 60 > "$W/$s.sub" 2>/dev/null &
	SUBS="$SUBS $!"
done
sleep 0.5
t=$("$MAKE_SAMPLE" agent "$W/agent.bin" --fresh)
mosquitto_pub -h 127.0.0.1 -p "$MP_PORT" -q 1 -r -t "$t" -f "$W/agent.bin"
# UP's listener has no ACL here: only MP's plan keeps a forgery home.
mosquitto_pub -h 127.0.0.1 -p "$MP_PORT" -q 1 -t raksha/v1/up/lucknow/grp/report -f "$W/forged.bin"
n1=$(pub mp bhopal report --name "Neighbour" --age 9)
ok "neighbour: a report on MP reaches UP" wait_seen up $MPR "$n1"
n2=$(pub up lucknow report --name "Back" --age 9)
ok "  a report on UP reaches MP" wait_seen mp $UPR "$n2"
settle
is "$(seen up $MPR "$n1")|$(seen mp $MPR "$n1")|$(seen mp $UPR "$n2")|$(seen up $UPR "$n2")" "1|1|1|1" \
	"  each once on each broker: nothing came back"
is "$(line up $MPR "$n1")" "$(line mp $MPR "$n1")" "  byte-identical"
pub up lucknow ack --report "$n1" --state acting > /dev/null
ok "  UP's ack of MP's report reaches MP" wait_seen mp raksha/v1/up/lucknow/grp/ack "$n1"
ok "  MP's presence stays in MP" sh -c "! grep -q '^$t ' '$W/up.sub'"
is "$(grep -cF "$forged" "$W/up.sub")" 0 "  a report on UP's tree published on MP goes nowhere"
done_testing
