#!/bin/sh
# 12: drills, marked everywhere, beside a real case. A drill report (D,
# --exercise) and a real one (R) from Bhopal GRP, both escalated, then
# acknowledged by RPF and found: the agent's log lines, raksha-replay's
# text and json, the hooks' RAKSHA_EXERCISE (on_report, on_ack,
# on_escalation, on_update, a rule's exec), the Escalation envelope as
# mosquitto_sub and protoc see it, and raksha-replay stats, which counts
# the drill apart. A change refused (a cancel from RPF, which owns neither
# case) is marked in the drill's timeline as its messages are. on_ack and on_escalation get the ack's and the
# escalation's fields. A found child's sighting logs its fields apart, with
# custody and the place; a drill's (no case) is marked by its own flag.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }
AGENT= SUB=
trap 'for p in $AGENT $SUB; do kill "$p" 2>/dev/null; done; broker_stop' EXIT

# Each hook writes its RAKSHA_* variables, whole (written aside, then
# renamed), to a file named for the event and the case.
HOOK="env | grep '^RAKSHA_' | sort > \"$W/.\$\$\"; mv \"$W/.\$\$\" \"$W/\$RAKSHA_EVENT.\$RAKSHA_REPORT_ID\""
agent_conf mp-bhopal-grp-drill "raksha/v1/mp/#" "outbox = $W/local" > "$W/agent.conf"
cat >> "$W/agent.conf" <<EOF
[escalate.check]
match = raksha/v1/mp/+/+/report
after = 1s
unless_ack_from = rpf
publish = raksha/v1/mp/bhopal/grp/escalation
target = SP Railways Bhopal
exec = env | grep '^RAKSHA_' | sort > "$W/.\$\$"; mv "$W/.\$\$" "$W/exec.\$RAKSHA_REPORT_ID"
[hooks]
on_report = $HOOK
on_ack = $HOOK
on_escalation = $HOOK
on_update = $HOOK
EOF
out=$("$RAKSHA_AGENT" -n --config "$W/agent.conf" 2>&1); rc=$?
is "$rc" 0 "-n accepts on_ack and on_escalation"

mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/+/+/+/escalation' -F '%x' -W 60 \
	> "$W/esc.hex" 2>/dev/null &
SUB=$!
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/fg.out" 2> "$W/fg.err" & AGENT=$!
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"
pub() { region=$1 agency=$2; shift 2; "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" \
	--outbox "$W/outbox" --state mp --region "$region" --agency "$agency" --unit "$agency $region" "$@"; }

D=$(pub bhopal grp report --name "Drill Child" --age 8 --exercise)
R=$(pub bhopal grp report --name "Real Child" --age 7)
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 2 || bail "no escalations"
for id in "$D" "$R"; do
	pub bhopal rpf ack --report "$id" --state acting --notes "team on platform 1" > /dev/null
	pub bhopal grp update --report "$id" --status found > /dev/null
done
pub bhopal rpf sighting --in-custody --age-range 6-8 --gender male --station BPL --train 12627 \
	--coach S4 --place "platform 2, waiting room" > /dev/null
pub bhopal rpf sighting --exercise --age 5 --station ET > /dev/null
for id in "$D" "$R"; do
	pub bhopal rpf update --report "$id" --status cancelled > /dev/null
done
wait_rows "SELECT count(*) FROM messages WHERE kind = 'sighting'" 2 || bail "messages missing"
wait_rows "SELECT count(*) FROM rejected WHERE cause = 'not-owner'" 2 || bail "no refused cancels"
# Until the hooks of the last update have written (at most 10 s).
for _ in $(seq 100); do [ -s "$W/update.$R" ] && [ -s "$W/update.$D" ] && break; sleep 0.1; done

# --- the agent's log lines ------------------------------------------------------
log=$(cat "$W/fg.out")
line() { printf '%s\n' "$log" | grep -- "$1" | grep -- "$2"; }
for kind in REPORT ACK UPDATE; do
	contains "$(line "^DRILL $kind " "id $D")" "DRILL $kind mp/bhopal/" "log: the drill's $kind line starts DRILL"
	got=$(line "^$kind " "id $R")
	ok "  the real case's $kind line does not" test -n "$got"
done
# The agent's own escalation is logged by the escalator (its copy from the
# broker is a redelivery, not logged again).
contains "$(grep "ESCALATE" "$W/fg.err")" "DRILL ESCALATE level 1 (check) Drill Child: DRILL: no ack from rpf within 1s  id $D" \
	"log: the drill's escalation starts DRILL, and so does its reason"
contains "$(grep "ESCALATE" "$W/fg.err")" "ESCALATE level 1 (check) Real Child: no ack from rpf within 1s  id $R" \
	"  the real case's does not"
# The refused cancels (RPF owns neither case), as journald gets them (after
# the "<N>" priority): a drill's refusals are said apart from a real case's,
# so both lines are there within the minute.
refused() { sed -n "s/^<[0-7]>//; /refused not-owner on raksha\/v1\/mp\/bhopal\/rpf\/update: .* id $1\$/p" "$W/fg.err"; }
got=$(refused "$D")
is "${got%% on *}" "DRILL refused not-owner" "log: the drill's refused cancel starts DRILL, as its other lines do"
got=$(refused "$R")
is "${got%% on *}" "refused not-owner" "  the real case's does not"
ok "no line of the real case says DRILL" sh -c "! grep -q 'DRILL.*id $R' '$W/fg.out' '$W/fg.err'"
contains "$log" "SIGHTING mp/bhopal/rpf  found child, no report: (name unknown), 6-8, M; in custody; at BPL 12627 coach S4" \
	"a found child's sighting: fields apart, in custody, station, train and coach"
contains "$(line "^SIGHTING" "waiting room")" "\"platform 2, waiting room\"" "  and the place in words"
contains "$log" "DRILL SIGHTING mp/bhopal/rpf  found child, no report: (name unknown), 5; not in custody; at ET" \
	"a drill's found child (no case): DRILL, not in custody"

# --- the Escalation envelope, as an independent subscriber sees it ---------------
for _ in $(seq 50); do [ "$(grep -c '' "$W/esc.hex")" -ge 2 ] && break; sleep 0.1; done
decoded() { while read -r hex; do printf '%s' "$hex" | unhex | protoc $PROTO --decode=raksha.v1.Envelope; echo ---; done < "$W/esc.hex"; }
decoded > "$W/esc.txt"
drill_esc=$(awk -v RS=--- '/exercise: true/' "$W/esc.txt")
contains "$drill_esc" "exercise: true" "protoc: the drill's Escalation has exercise: true"
contains "$drill_esc" 'reason: "DRILL: no ack from rpf within 1s"' "  and its reason starts DRILL:"
is "$(grep -c 'exercise: true' "$W/esc.txt")" 1 "  the real case's has no exercise"
contains "$(cat "$W/esc.txt")" 'reason: "no ack from rpf within 1s"' "  and a plain reason"

# --- hooks -----------------------------------------------------------------------
env_of() { for _ in $(seq 50); do [ -s "$W/$1" ] && break; sleep 0.1; done; cat "$W/$1" 2>/dev/null; }
for hook in report ack escalation update exec; do
	contains "$(env_of "$hook.$D")" "RAKSHA_EXERCISE=1" "$hook hook of the drill: RAKSHA_EXERCISE=1"
	contains "$(env_of "$hook.$R")" "RAKSHA_EXERCISE=0" "$hook hook of the real case: RAKSHA_EXERCISE=0"
done
for want in RAKSHA_EVENT=ack "RAKSHA_REPORT_ID=$R" RAKSHA_ACK_STATE=acting "RAKSHA_UNIT=rpf bhopal" \
	RAKSHA_STATE=mp RAKSHA_REGION=bhopal RAKSHA_AGENCY=rpf "RAKSHA_NOTES=team on platform 1"; do
	contains "$(env_of "ack.$R")" "$want" "on_ack gets $want"
done
for want in RAKSHA_EVENT=escalation "RAKSHA_REPORT_ID=$D" RAKSHA_LEVEL=1 RAKSHA_RULE=check \
	"RAKSHA_TARGET=SP Railways Bhopal" "RAKSHA_REASON=DRILL: no ack from rpf within 1s" \
	RAKSHA_TOPIC=raksha/v1/mp/bhopal/grp/escalation; do
	contains "$(env_of "escalation.$D")" "$want" "on_escalation gets $want"
done

# --- raksha-replay: text and json ---------------------------------------------------
replay() { "$RAKSHA_REPLAY" --db "$DB" "$@"; }
text=$(replay --report "$D")
is "$(printf '%s\n' "$text" | sed 's/^.\{21\}//' | cut -d' ' -f1,2 | tr '\n' ,)" \
	"DRILL REPORT,DRILL ESCALATION,DRILL ACK,DRILL UPDATE,DRILL REJECTED," \
	"replay text: the drill's report, escalation, ack, update and refused cancel say DRILL"
is "$(printf '%s\n' "$text" | grep -vc '  DRILL ')" 0 "  every line of it"
contains "$(printf '%s\n' "$text" | grep REJECTED)" "  DRILL REJECTED not-owner on raksha/v1/mp/bhopal/rpf/update: " \
	"  the refused cancel: DRILL, then the refusal as before"
real=$(replay --report "$R")
is "$(printf '%s\n' "$real" | grep -c DRILL)" 0 "  none of the real case's"
contains "$real" "  REJECTED not-owner on raksha/v1/mp/bhopal/rpf/update: " "  whose refused cancel is there too"
# Rejected rows have no kind: "refused".
cat > "$W/drills.py" <<'EOF'
import json, sys
print(" ".join("%s=%s" % (o.get("kind", "refused"), o.get("exercise")) for o in map(json.loads, sys.stdin)))
EOF
is "$(replay --report "$D" --format json | /usr/bin/python3 "$W/drills.py")" \
	"report=True escalation=True ack=True update=True refused=True" \
	"replay json: exercise true on each of the drill's, its refused cancel too"
is "$(replay --report "$R" --format json | /usr/bin/python3 "$W/drills.py")" \
	"report=False escalation=False ack=False update=False refused=None" \
	"  false on each of the real case's messages, none on its refused cancel"
is "$(replay --kind sighting --format json | /usr/bin/python3 "$W/drills.py")" "sighting=False sighting=True" \
	"  a found child's sighting: by its own flag (it has no case)"
contains "$(replay --kind sighting)" "  DRILL SIGHTING mp/bhopal/rpf  found child" "  the text too"

# --- stats: drills counted apart ----------------------------------------------------
stats=$("$RAKSHA_REPLAY" stats --db "$DB")
real_table=$(printf '%s\n' "$stats" | sed '/^DRILLS/,$d')
drill_table=$(printf '%s\n' "$stats" | sed -n '/^DRILLS/,/^$/p')
is "$(printf '%s\n' "$real_table" | awk '$1 == "mp/bhopal/grp" { print $2, $3, $10 }')" "1 0 1" \
	"stats text: GRP's real cases: 1 report, none open, 1 escalated"
is "$(printf '%s\n' "$drill_table" | awk '$1 == "mp/bhopal/grp" { print $2, $3, $10 }')" "1 0 1" \
	"  its drill apart, under DRILLS: 1 report, none open, 1 escalated"
is "$(printf '%s\n' "$drill_table" | awk '$1 == "mp/bhopal/rpf" { print $7 }')" 1 "  RPF's ack of the drill, apart"
cat > "$W/stats.py" <<'EOF'
import json, sys
for u in json.load(open(sys.argv[1]))["units"]:
    d = u["drills"]
    print(u["unit"], u["reports"], u["acks_given"], u["escalated"]["1"],
          d["reports"], d["acks_given"], d["escalated"]["1"])
EOF
"$RAKSHA_REPLAY" stats --db "$DB" --format json > "$W/stats.json"
is "$(/usr/bin/python3 "$W/stats.py" "$W/stats.json" | sort)" "mp/bhopal/grp 1 0 1 1 0 1
mp/bhopal/rpf 0 1 0 0 1 0" "stats json: each unit's real figures, and its drills' under \"drills\""

kill "$AGENT"; wait "$AGENT"
is "$?" 0 "SIGTERM: clean exit"
AGENT=
done_testing
