#!/bin/sh
# 15: raksha-replay on a database a real agent filled from real publishes:
# arrival order; MQTT topic filters; --since inclusive and --until exclusive
# to the millisecond; kinds, a whole case, rejected input, --limit; the json,
# text and raw formats read by independent parsers (python json, protobuf);
# --follow; --republish seen by mosquitto_sub byte for byte; misuse; stats;
# and the agent's prune_closed_after.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
URL=mqtt://127.0.0.1:$BROKER_PORT
AGENT= SUB= FOLLOW= FOLLOW1=
cleanup() { for p in $AGENT $SUB $FOLLOW $FOLLOW1; do kill "$p" 2>/dev/null; done; broker_stop; }
trap cleanup EXIT
now_ms() { date +%s%3N; }
T0=$(now_ms)
# A TAP description cannot hold "#" (it starts a directive).
nohash() { printf '%s' "$*" | sed 's/#/(hash)/g'; }

RULE='[escalate.quick]
match = raksha/v1/mp/bhopal/grp/report
after = 1s
unless_ack_from = rpf
publish = raksha/v1/mp/bhopal/grp/escalation
target = SP Railways Bhopal'
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/# raksha/v1/up/#" "outbox = $W/local" > "$W/agent.conf"
printf '%s\n' "$RULE" >> "$W/agent.conf"
start_agent() { "$RAKSHA_AGENT" --config "${1:-$W/agent.conf}" --foreground >> "$W/fg.out" 2>> "$W/fg.err" & AGENT=$!; }
stop_agent() { kill -TERM "$AGENT"; wait "$AGENT"; AGENT=; }
pub() { st=$1 rg=$2 ag=$3; shift 3; "$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --state "$st" \
	--region "$rg" --agency "$ag" --unit "$ag $rg" "$@"; }
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }
replay() { "$RAKSHA_REPLAY" --db "$DB" "$@"; }

# The seqs raksha-replay selects (read by python's json), and those the
# database holds for a WHERE clause.
cat > "$W/json-seqs.py" <<'EOF'
import json, sys
print(" ".join(str(json.loads(line)["seq"]) for line in sys.stdin))
EOF
jseq() { replay --format json "$@" | /usr/bin/python3 "$W/json-seqs.py"; }
want() { q "SELECT group_concat(seq, ' ') FROM (SELECT seq FROM ${2:-messages} WHERE $1 ORDER BY seq)"; }
UUID_SQL="lower(substr(hex(message_id), 1, 8) || '-' || substr(hex(message_id), 9, 4) || '-' ||
	substr(hex(message_id), 13, 4) || '-' || substr(hex(message_id), 17, 4) || '-' || substr(hex(message_id), 21))"

# --- a history: reports, an escalation, a revision, a sighting, acks, an
# update, garbage, and the agent's own presence across a restart ---------------
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"
R1=$(pub mp bhopal grp report --name "सीमा कुमारी" --age 9 --gender female --station BPL --train 12627 --coach S4)
R2=$(pub mp vidisha childline report --name "Ravi" --age 7)
R3=$(pub up lucknow grp report --name "Kiran" --age 5)
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 1 || bail "no escalation of R1"
pub mp bhopal grp report --revise "$R1" --coach S5 > /dev/null
pub mp bhopal grp sighting --report "$R1" --station ET > /dev/null
pub mp bhopal rpf ack --report "$R1" --state acting > /dev/null
pub mp bhopal grp ack --report "$R3" --state received > /dev/null
pub mp bhopal grp update --report "$R1" --status found > /dev/null
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/mp/bhopal/grp/report -m "not protobuf"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/mp -m "on the parent level"
wait_rows "SELECT count(*) FROM rejected" 2
# Offline for a while: the agent's presence says so, for stats.
stop_agent
sleep 1.2
start_agent
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 3
is "$(q "SELECT count(*) FROM messages")" 12 "the agent logged 12 messages (3 presence, 4 reports, escalation, sighting, 2 acks, update)"
[ -n "$R1" ] && [ -n "$R2" ] && [ -n "$R3" ] || bail "a report was not published"

# --- order --------------------------------------------------------------------
cat > "$W/json-ids.py" <<'EOF'
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["seq"], o["message_id"])
EOF
is "$(replay --format json | /usr/bin/python3 "$W/json-ids.py")" \
	"$(q "SELECT seq || ' ' || $UUID_SQL FROM messages ORDER BY seq")" \
	"every message, in arrival order (seq and message_id as in the messages table)"
is "$(jseq --kind report)" "$(want "kind = 'report'")" \
	"  revision 2 of R1 comes after R2 and R3, as it arrived"

# --- topic filters ------------------------------------------------------------
is "$(jseq --topic 'raksha/v1/+/+/+/report')" "$(want "kind = 'report'")" "+: every unit's reports"
is "$(jseq --topic 'raksha/v1/mp/bhopal/+/ack')" "$(want "topic LIKE 'raksha/v1/mp/bhopal/%/ack'")" \
	"+: the acks of every agency in Bhopal"
is "$(jseq --topic 'raksha/v1/+/report')" "" "+ is one level only: raksha/v1/+/report matches nothing"
is "$(jseq --topic 'raksha/v1/mp/#')" "$(want "topic LIKE 'raksha/v1/mp/%'")" "a trailing multi-level wildcard: the mp tree"
is "$(jseq --topic 'raksha/v1/mp/bhopal/grp/report/#')" "$(want "topic = 'raksha/v1/mp/bhopal/grp/report'")" \
	"  its parent level included: .../grp/report/(wildcard) matches .../grp/report"
is "$(jseq --rejected --topic 'raksha/v1/mp/#')" "$(want "1" rejected)" \
	"  the rejected input on topic raksha/v1/mp itself is matched by raksha/v1/mp/(wildcard)"
is "$(jseq --topic raksha/v1/mp/vidisha/childline/report)" "$(want "topic = 'raksha/v1/mp/vidisha/childline/report'")" \
	"an exact topic: just that topic"
is "$(jseq --topic raksha/v1/mp)" "" "a prefix without a wildcard matches nothing (raksha/v1/mp)"
is "$(jseq --topic raksha/v1/mp/bhopal)" "" "  nor raksha/v1/mp/bhopal"
is "$(jseq --rejected --topic raksha/v1/mp)" "$(want "topic = 'raksha/v1/mp'" rejected)" \
	"  but raksha/v1/mp is exact for what came on raksha/v1/mp"
is "$(jseq --topic 'raksha/v1/up/#' --topic raksha/v1/mp/vidisha/childline/report)" \
	"$(want "topic LIKE 'raksha/v1/up/%' OR topic = 'raksha/v1/mp/vidisha/childline/report'")" \
	"several --topic: any of them"

# --- time bounds, on the arrival time ------------------------------------------
M=$(q "SELECT seq FROM messages WHERE topic = 'raksha/v1/mp/vidisha/childline/report'")
ms=$(q "SELECT received_at_ms FROM messages WHERE seq = $M")
iso_z() { printf '%s.%03dZ' "$(date -u -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%S)" $(($1 % 1000)); }
iso_ist() { t=$(($1 + 19800000)); printf '%s.%03d+05:30' "$(date -u -d "@$((t / 1000))" +%Y-%m-%dT%H:%M:%S)" $((t % 1000)); }
is "$(jseq --since "$(iso_z "$ms")")" "$(want "received_at_ms >= $ms")" \
	"--since $(iso_z "$ms") (a message's arrival, to the ms): inclusive"
contains " $(jseq --since "$(iso_z "$ms")") " " $M " "  that message is in"
is "$(jseq --until "$(iso_z "$ms")")" "$(want "received_at_ms < $ms")" "--until the same time: exclusive"
case " $(jseq --until "$(iso_z "$ms")") " in *" $M "*) r=1 ;; *) r=0 ;; esac
is "$r" 0 "  that message is out"
is "$(jseq --since "$(iso_z $((ms + 1)))")" "$(want "received_at_ms >= $((ms + 1))")" \
	"--since one millisecond later: it is out"
is "$(jseq --since "$(iso_ist "$ms")" --until "$(iso_ist $((ms + 1)))")" "$(want "received_at_ms = $ms")" \
	"--since T --until T+1ms with a +05:30 offset: just that message"
at=$(replay --format json --since "$ms" --limit 1 | /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["received_at"])')
is "$(jseq --since "$at")" "$(want "received_at_ms >= $ms")" "--since the json format's received_at ($at)"
is "$(jseq --since "$ms" --until $((ms + 1)))" "$(want "received_at_ms = $ms")" "Unix milliseconds (received_at_ms)"
local_t=$(TZ=Asia/Kolkata date -d "@$((ms / 1000))" '+%Y-%m-%d %H:%M:%S')
is "$(export TZ=Asia/Kolkata; jseq --since "$local_t")" "$(want "received_at_ms >= $((ms / 1000 * 1000))")" \
	"a local date and time (IST): '$local_t'"
is "$(jseq --since 1h)" "$(want 1)" "--since 1h: everything recent"
is "$(jseq --until 1h)" "" "--until 1h: nothing (all arrived within the hour)"
is "$(jseq --rejected --since 1h)" "$(want 1 rejected)" "--rejected --since 1h: all rejected input"
rej_ms=$(q "SELECT received_at_ms FROM rejected WHERE topic = 'raksha/v1/mp'")
is "$(jseq --rejected --until "$(iso_z "$rej_ms")")" "$(want "received_at_ms < $rej_ms" rejected)" \
	"--until on rejected input: exclusive too"

# --- kinds, a case, rejected input, limit ----------------------------------------
is "$(jseq --kind ack)" "$(want "kind = 'ack'")" "--kind ack"
is "$(jseq --kind ack --kind sighting --kind escalation)" "$(want "kind IN ('ack', 'sighting', 'escalation')")" \
	"--kind, repeated: any of them"
is "$(jseq --report "$R1")" "$(want "hex(report_id) = '$(hexid "$R1")'")" "--report R1: the whole case"
is "$(replay --format json --report "$R1" | /usr/bin/python3 -c 'import json, sys
print(" ".join(json.loads(l)["kind"] for l in sys.stdin))')" "report escalation report sighting ack update" \
	"  both revisions, the escalation, the sighting, the ack and the update, in order"
is "$(jseq --report "$R3")" "$(want "hex(report_id) = '$(hexid "$R3")'")" \
	"--report R3: its report and ack, nothing of R1's case"
is "$(jseq --report "$R2" --kind ack)" "" "--report R2 --kind ack: nothing (no one acknowledged R2)"
is "$(jseq --report 01a225b9-c94c-773a-915e-498ba362bd63)" "" "--report of an unknown case: nothing"
cat > "$W/json-rejected.py" <<'EOF'
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    assert "message_id" not in o and "kind" not in o and "envelope" not in o, line
    print(o["seq"], o["topic"], o["cause"], o["size"], o["reason"])
EOF
is "$(replay --rejected --format json | /usr/bin/python3 "$W/json-rejected.py")" \
	"$(q "SELECT seq || ' ' || topic || ' ' || cause || ' ' || size || ' ' || reason FROM rejected ORDER BY seq")" \
	"--rejected --format json: topic, cause, size and reason of each"
contains "$(q "SELECT reason FROM rejected WHERE seq = 1")" "not a raksha.v1.Envelope" "  the reason says why"
text=$(replay --rejected)
is "$(printf '%s\n' "$text" | sed 's/^[0-9-]* [0-9:]*  //')" \
	"$(q "SELECT 'REJECTED ' || cause || ' on ' || topic || ': ' || reason FROM rejected ORDER BY seq")" \
	"--rejected as text: 'REJECTED cause on topic: reason', one line each"
is "$(jseq --limit 3)" "$(q "SELECT group_concat(seq, ' ') FROM (SELECT seq FROM messages ORDER BY seq LIMIT 3)")" \
	"--limit 3: the first three"
is "$(jseq --limit 2 --kind report)" "$(q "SELECT group_concat(seq, ' ') FROM (SELECT seq FROM messages WHERE kind = 'report' ORDER BY seq LIMIT 2)")" \
	"--limit 2 --kind report: the first two reports"

# --- formats --------------------------------------------------------------------
cat > "$W/check-json.py" <<'EOF'
import json, re, sys
from datetime import datetime
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
for n, line in enumerate(sys.stdin, 1):
    o = json.loads(line)
    env = o["envelope"]
    problems = []
    if not UUID.match(o["message_id"]): problems.append("message_id is not UUID text")
    if env.get("message_id") != o["message_id"]: problems.append("envelope.message_id differs")
    if o["kind"] not in env: problems.append("the envelope has no " + o["kind"])
    when = datetime.fromisoformat(o["received_at"])
    if round(when.timestamp() * 1000) != o["received_at_ms"]: problems.append("received_at")
    print(o["seq"], o["topic"], o["kind"], o["message_id"], o["received_at_ms"], *problems)
EOF
is "$(replay --format json | /usr/bin/python3 "$W/check-json.py")" \
	"$(q "SELECT seq || ' ' || topic || ' ' || kind || ' ' || $UUID_SQL || ' ' || received_at_ms FROM messages ORDER BY seq")" \
	"json: topic, kind, message_id (UUID text, the envelope's), received_at (= received_at_ms) on each line"
contains "$(replay --format json --kind report --limit 1)" '"child":{"name":"सीमा कुमारी","age_years":9' \
	"  the envelope decoded, Devanagari as is"
text=$(replay)
is "$(printf '%s\n' "$text" | grep -c '')" "$(q "SELECT count(*) FROM messages")" "text: one line per message"
is "$(printf '%s\n' "$text" | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}  [A-Z]+ ')" \
	"$(q "SELECT count(*) FROM messages")" "  each after its arrival time"
contains "$text" "  REPORT mp/bhopal/grp  सीमा कुमारी, 9, F, last seen BPL 12627 coach S4  id $R1" \
	"  the report readable, Devanagari intact"
contains "$text" "  ESCALATION mp/bhopal/grp  level 1: no ack from rpf within 1s  id $R1" "  the escalation readable"

mkdir -p "$W/py"
protoc --python_out="$W/py" --proto_path="$RAKSHA_SOURCE_ROOT/schemas" raksha/v1/raksha.proto || bail "protoc --python_out"
cat > "$W/read-raw.py" <<'EOF'
# Reads varint-length-delimited envelopes (protobuf's writeDelimitedTo).
import sys
from raksha.v1 import raksha_pb2
data = open(sys.argv[1], "rb").read()
pos = 0
while pos < len(data):
    n = shift = 0
    while True:
        b = data[pos]; pos += 1
        n |= (b & 0x7F) << shift; shift += 7
        if not b & 0x80: break
    if pos + n > len(data): sys.exit("truncated at byte %d" % pos)
    env = raksha_pb2.Envelope()
    env.ParseFromString(data[pos:pos + n])
    print(env.message_id.hex(), env.WhichOneof("body"), data[pos:pos + n].hex())
    pos += n
EOF
replay --format raw > "$W/raw.bin"
is "$(PYTHONPATH=$W/py /usr/bin/python3 "$W/read-raw.py" "$W/raw.bin")" \
	"$(q "SELECT lower(hex(message_id)) || ' ' || kind || ' ' || lower(hex(envelope)) FROM messages ORDER BY seq")" \
	"raw: google.protobuf reads each length-delimited Envelope: the ids, kinds and bytes of the database, in order"
replay --format raw --report "$R3" > "$W/raw3.bin"
is "$(PYTHONPATH=$W/py /usr/bin/python3 "$W/read-raw.py" "$W/raw3.bin" | cut -d' ' -f1,2)" \
	"$(q "SELECT lower(hex(message_id)) || ' ' || kind FROM messages WHERE hex(report_id) = '$(hexid "$R3")' ORDER BY seq")" \
	"raw --report R3: its two envelopes"

# --- --follow -------------------------------------------------------------------
n0=$(q "SELECT count(*) FROM messages WHERE kind = 'report'")
"$RAKSHA_REPLAY" --db "$DB" --follow --format json --kind report > "$W/follow.out" 2> "$W/follow.err" &
FOLLOW=$!
# --limit applies to the first part; what it left out is not new.
"$RAKSHA_REPLAY" --db "$DB" --follow --format json --kind report --limit 1 > "$W/follow1.out" 2>&1 &
FOLLOW1=$!
for _ in $(seq 100); do
	[ "$(grep -c '' "$W/follow.out")" -ge "$n0" ] && [ "$(grep -c '' "$W/follow1.out")" -ge 1 ] && break
	sleep 0.05
done
is "$(grep -c '' "$W/follow.out")" "$n0" "--follow prints the selection first ($n0 reports)"
R4=$(pub mp itarsi rpf report --name "Follow" --age 3)
pub mp itarsi rpf sighting --report "$R4" --station ET > /dev/null
for _ in $(seq 100); do grep -q "\"report_id\":\"$R4\"" "$W/follow.out" && break; sleep 0.05; done
contains "$(tail -n 1 "$W/follow.out")" "\"report_id\":\"$R4\"" "  then a report committed after it started"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'sighting'" 2
sleep 0.6  # two of its polls (250 ms) after the sighting was committed
is "$(/usr/bin/python3 "$W/json-seqs.py" < "$W/follow.out")" "$(want "kind = 'report'")" \
	"  every report once, in order, and not the sighting (--kind holds while following)"
t=$(now_ms)
kill -TERM "$FOLLOW"
for _ in $(seq 40); do kill -0 "$FOLLOW" 2>/dev/null || break; sleep 0.05; done
waited=$(($(now_ms) - t))
wait "$FOLLOW"; rc=$?
FOLLOW=
is "$rc" 0 "  SIGTERM: exit 0"
ok "  promptly (${waited} ms)" test "$waited" -lt 2000
is "$(cat "$W/follow.err")" "" "  nothing on stderr"
for _ in $(seq 100); do [ "$(grep -c '' "$W/follow1.out")" -ge 2 ] && break; sleep 0.05; done
kill -TERM "$FOLLOW1"; wait "$FOLLOW1"; FOLLOW1=
is "$(/usr/bin/python3 "$W/json-seqs.py" < "$W/follow1.out")" \
	"$(q "SELECT min(seq) FROM messages WHERE kind = 'report'") $(q "SELECT max(seq) FROM messages WHERE kind = 'report'")" \
	"--follow --limit 1: the first report, then only the new one (not those --limit left out)"

# --- --republish ----------------------------------------------------------------
# sub_start FILE FILTER: an independent subscriber, once its SUBACK came.
sub_start() {
	stdbuf -oL mosquitto_sub -d -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$2" -F '%t %x' -W 60 > "$1" 2>&1 &
	SUB=$!
	for _ in $(seq 100); do grep -q '^Subscribed (mid' "$1" && return 0; sleep 0.05; done
	bail "mosquitto_sub did not subscribe to $2"
}
# sub_lines FILE PREFIX N: its messages under PREFIX once N came (at most 10 s).
sub_lines() {
	for _ in $(seq 200); do [ "$(grep -c "^$2/" "$1")" -ge "$3" ] && break; sleep 0.05; done
	grep "^$2/" "$1"
}
sub_start "$W/rep1.out" 'replay/drill-1/#'
n=$(q "SELECT count(*) FROM messages")
replay --republish replay/drill-1 --url "$URL" 2> "$W/rep.err"; rc=$?
is "$rc" 0 "--republish replay/drill-1: exit 0"
contains "$(cat "$W/rep.err")" "republished $n message(s) under replay/drill-1/" "  says how many"
is "$(sub_lines "$W/rep1.out" replay/drill-1 "$n")" \
	"$(q "SELECT 'replay/drill-1/' || topic || ' ' || lower(hex(envelope)) FROM messages ORDER BY seq")" \
	"  mosquitto_sub gets every message on PREFIX/<its topic>, byte-identical, in order"
kill "$SUB"; SUB=
sub_start "$W/rep2.out" 'replay/drill-2/#'
replay --republish replay/drill-2 --url "$URL" --report "$R1" --speed 100 2> "$W/rep.err"; rc=$?
is "$rc" 0 "--republish --report R1 --speed 100: exit 0"
is "$(sub_lines "$W/rep2.out" replay/drill-2 6)" \
	"$(q "SELECT 'replay/drill-2/' || topic || ' ' || lower(hex(envelope)) FROM messages WHERE hex(report_id) = '$(hexid "$R1")' ORDER BY seq")" \
	"  the case, byte-identical, in order"
# R1's report and its escalation arrived at least 1 s apart: at --speed 2,
# the second leaves at least half that after the first.
gap=$(q "SELECT max(received_at_ms) - min(received_at_ms) FROM (SELECT received_at_ms FROM messages
	WHERE hex(report_id) = '$(hexid "$R1")' ORDER BY seq LIMIT 2)")
t=$(now_ms)
replay --republish replay/drill-3 --url "$URL" --report "$R1" --limit 2 --speed 2 2> "$W/rep.err"; rc=$?
took=$(($(now_ms) - t))
is "$rc" 0 "--speed 2: exit 0"
ok "  keeps the spacing of arrivals, twice as fast (gap $gap ms, took $took ms)" \
	test "$gap" -ge 1000 -a "$took" -ge $((gap / 2))
kill "$SUB"; SUB=
for prefix in raksha/v1/drill raksha/v1 'replay/+' 'replay/#' 'drill/#/x' replay/drill/; do
	out=$(replay --republish "$prefix" --url "$URL" 2>&1 >/dev/null); rc=$?
	is "$rc" 64 "$(nohash "--republish '$prefix' refused: exit 64")"
	contains "$out" "--republish '$prefix': a prefix must be a topic without wildcards" "  says why"
done
out=$(replay --republish replay/x --rejected --url "$URL" 2>&1 >/dev/null); rc=$?
is "$rc" 64 "--republish --rejected refused: exit 64"
contains "$out" "rejected input is not republished" "  says why"
out=$(replay --republish replay/x 2>&1 >/dev/null); rc=$?
is "$rc" 64 "--republish without --url: exit 64"
contains "$out" "--republish needs --url" "  says why"
out=$(replay --republish replay/x --url mqtt://127.0.0.1:1 --timeout 1 2>&1 >/dev/null); rc=$?
is "$rc" 69 "--republish to a broker that is not there: exit 69"
contains "$out" "cannot reach the broker at mqtt://127.0.0.1:1" "  says so"

# --- misuse ---------------------------------------------------------------------
misuse() {  # WANT-RC WANT-MESSAGE ARGS...
	rc_want=$1 msg=$2; shift 2
	out=$("$RAKSHA_REPLAY" "$@" 2>&1 >/dev/null); rc=$?
	is "$rc" "$rc_want" "$(nohash "raksha-replay $(printf '%s' "$*" | sed "s|$W/||g"): exit $rc_want")"
	contains "$out" "$msg" "$(nohash "  $msg")"
}
misuse 64 "raksha-replay: unknown option '--colour'" --db "$DB" --colour blue
misuse 64 "--kind 'parcel': not report, sighting, update, ack, escalation, link or agent" --db "$DB" --kind parcel
misuse 64 "--rejected takes no --kind or --report" --db "$DB" --rejected --kind report
misuse 64 "--rejected takes no --kind or --report" --db "$DB" --rejected --report "$R1"
misuse 64 "--database is required" --kind report
misuse 64 "--topic 'raksha/#/x': not an MQTT topic filter" --db "$DB" --topic 'raksha/#/x'
misuse 64 "--since 'yesterday': not a time" --db "$DB" --since yesterday
misuse 64 "--until is not after --since" --db "$DB" --since 1h --until 2h
misuse 64 "--report 'R1': not a UUID" --db "$DB" --report R1
misuse 64 "--limit 'none': not a positive number" --db "$DB" --limit none
misuse 64 "--limit '5x': not a positive number" --db "$DB" --limit 5x
misuse 64 "--format 'xml': not text, json or raw" --db "$DB" --format xml
misuse 64 "stats prints text or json" stats --db "$DB" --format raw
misuse 64 "stats takes --topic, --since and --until only" stats --db "$DB" --kind report
misuse 64 "stats takes --topic, --since and --until only" stats --db "$DB" --report "$R1"
misuse 64 "usage: raksha-replay" --db "$DB" --colour blue
misuse 66 "$W/none.db: unable to open database file" --db "$W/none.db"
ok "  and it made no file" test ! -e "$W/none.db"
misuse 65 "file is not a database" --db "$W/agent.conf"

# --- stats ----------------------------------------------------------------------
out=$("$RAKSHA_REPLAY" stats --db "$DB"); rc=$?
is "$rc" 0 "stats: exit 0"
contains "$out" "Raksha audit, the beginning to " "  a title with the window"
has_line() { printf '%s\n' "$1" | grep -qE "$2"; }
for row in 'mp/bhopal/grp +1 +0 +[0-9]+s +[0-9]+s +0 +1 +[0-9]+s +[0-9]+s +1 +0 +0$' \
	'mp/bhopal/rpf +0 +0 +- +- +0 +1 ' 'mp/itarsi/rpf +1 +1 +- +- +1 +0 ' \
	'mp/vidisha/childline +1 +1 +- +- +1 +0 ' 'up/lucknow/grp +1 +1 +[0-9]+s +[0-9]+s +0 +0 '; do
	ok "  a row: $row" has_line "$out" "^$row"
done
ok "  the agent's online share" has_line "$out" '^mp-bhopal-grp-1 +mp/bhopal/grp +[0-9]+\.[0-9]%$'
"$RAKSHA_REPLAY" stats --db "$DB" --format json > "$W/stats.json"; rc=$?
is "$rc" 0 "stats --format json: exit 0"
cat > "$W/stats-summary.py" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
for u in s["units"]:
    print(u["unit"], u["reports"], u["open"], u["unacknowledged"], u["acks_given"],
          u["escalated"]["1"], u["escalated"]["2"], u["first_ack"]["count"], u["first_ack"]["median_ms"])
for a in s["agents"]:
    print(a["agent"], a["unit"], a["online_share"])
EOF
stats=$(/usr/bin/python3 "$W/stats-summary.py" "$W/stats.json")
ack1=$(q "SELECT a.received_at_ms - r.received_at_ms FROM messages a, messages r WHERE a.kind = 'ack'
	AND a.topic = 'raksha/v1/mp/bhopal/rpf/ack' AND r.seq = (SELECT min(seq) FROM messages WHERE kind = 'report')")
ack3=$(q "SELECT a.received_at_ms - r.received_at_ms FROM messages a, messages r WHERE a.kind = 'ack'
	AND a.topic = 'raksha/v1/mp/bhopal/grp/ack' AND r.topic = 'raksha/v1/up/lucknow/grp/report'")
is "$(printf '%s\n' "$stats" | grep -v '^mp-bhopal-grp-1 ')" "mp/bhopal/grp 1 0 0 1 1 0 1 $ack1
mp/bhopal/rpf 0 0 0 1 0 0 0 None
mp/itarsi/rpf 1 1 1 0 0 0 0 None
mp/vidisha/childline 1 1 1 0 0 0 0 None
up/lucknow/grp 1 1 0 0 0 0 1 $ack3" \
	"json: per unit reports, open, unacknowledged, acks given, escalated, first-ack count and median (from the acks' arrival)"
ok "  the first-ack medians are plausible ($ack1, $ack3 ms, the test ran $(($(now_ms) - T0)) ms)" \
	test "$ack1" -gt 0 -a "$ack1" -lt $(($(now_ms) - T0)) -a "$ack3" -gt 0 -a "$ack3" -lt $(($(now_ms) - T0))
share=$(printf '%s\n' "$stats" | sed -n 's/^mp-bhopal-grp-1 mp\/bhopal\/grp //p')
ok "  the agent's online share is between 0 and 1 ($share: it was stopped for a while)" \
	/usr/bin/python3 -c "import sys; sys.exit(not 0 < float('$share') < 1)"
"$RAKSHA_REPLAY" stats --db "$DB" --format json --topic 'raksha/v1/up/#' > "$W/stats-up.json"
is "$(/usr/bin/python3 "$W/stats-summary.py" "$W/stats-up.json" | cut -d' ' -f1-5)" "mp/bhopal/grp 0 0 0 1
up/lucknow/grp 1 1 0 0" \
	"stats --topic raksha/v1/up/(wildcard): only up's cases (and who acknowledged them)"

# --- prune_closed_after -------------------------------------------------------------
RC=$(pub mp itarsi grp report --name "Closed" --age 4)
pub mp itarsi grp update --report "$RC" --status closed > /dev/null
wait_rows "SELECT count(*) FROM cases WHERE status = 'closed'" 1
is "$(q "SELECT count(*) FROM messages WHERE hex(report_id) = '$(hexid "$RC")'")" 2 "a closed case: its report and update"
stop_agent
for _ in $(seq 40); do
	[ "$(q "SELECT $(now_ms) - updated_ms > 1100 FROM cases WHERE status = 'closed'")" = 1 ] && break
	sleep 0.1
done
others=$(q "SELECT count(*) FROM messages WHERE kind <> 'agent' AND hex(report_id) <> '$(hexid "$RC")'")
rejected=$(q "SELECT count(*) FROM rejected")
agent_conf mp-bhopal-grp-1 "raksha/v1/mp/# raksha/v1/up/#" "outbox = $W/local" "prune_closed_after = 1s" > "$W/prune.conf"
printf '%s\n' "$RULE" >> "$W/prune.conf"
start_agent "$W/prune.conf"
for _ in $(seq 100); do grep -q "pruned" "$W/fg.err" && break; sleep 0.1; done
contains "$(cat "$W/fg.err")" "pruned 1 ended case(s) and their 2 message(s)" \
	"prune_closed_after = 1s: at start, the case closed over 1 s ago goes"
is "$(q "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$RC")'")" 0 "  its case row is gone"
is "$(q "SELECT count(*) FROM messages WHERE hex(report_id) = '$(hexid "$RC")'")" 0 "  and its messages"
is "$(replay --report "$RC")" "" "  raksha-replay --report finds nothing of it"
is "$(q "SELECT status FROM cases WHERE hex(report_id) = '$(hexid "$R2")'")" "open" "an open case stays"
is "$(q "SELECT status FROM cases WHERE hex(report_id) = '$(hexid "$R1")'")" "found" "  so does a found one"
is "$(q "SELECT count(*) FROM messages WHERE kind <> 'agent' AND hex(report_id) <> '$(hexid "$RC")'")" "$others" \
	"  with all their messages"
is "$(q "SELECT count(*) FROM rejected")" "$rejected" "  and the rejected input"
kill -TERM "$AGENT"; wait "$AGENT"; rc=$?; AGENT=
is "$rc" 0 "the agent stops cleanly (SIGTERM: exit 0)"
is "$(q "PRAGMA integrity_check")" "ok" "the database is intact"
ok "no sanitizer report in the agent's log" sh -c "! grep -qE 'runtime error|Sanitizer' '$W/fg.err'"
done_testing
