#!/bin/sh
# 30: a found child nobody has reported is a case of its own. Published by
# raksha-publish (a sighting without --report) and by mosquitto_pub (bytes
# made by protoc), each becomes a case keyed by its sighting id, kind found,
# with where it is held and by whom; a rule that matches sightings
# escalates it, and an ack of its id ends that. A report in Devanagari
# after the Latin-named found child is a possible match (score, why),
# nothing linked. A link published by the report's owner joins a found
# child and a report (who, when), ends the found child's own escalation,
# confirms the match, and raksha-replay shows it. The board (tmux) lists
# the found child, shows a linked one as its report's case, the possible
# match on both cases, and m then y publishes the link.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
export LC_ALL=C.UTF-8
broker_start
W=$BROKER_DIR
DB=$W/agent.db
URL="mqtt://127.0.0.1:$BROKER_PORT"
PROTO="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }
pub() { "$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox" --state mp --region itarsi --agency rpf \
	--unit "RPF Post Itarsi" "$@"; }

agent_conf mp-bhopal-grp-1 "raksha/v1/mp/#" "durability = crash" "outbox = $W/local" > "$W/agent.conf"
cat >> "$W/agent.conf" <<CONF
[escalate.found]
match = raksha/v1/mp/+/+/sighting
after = 1s
repeat = 2s
publish = raksha/v1/mp/bhopal/grp/escalation
target = CWC Bhopal
CONF
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/fg.out" 2> "$W/fg.err" &
AGENT=$!
trap 'kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null; broker_stop' EXIT
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"

F=$(pub sighting --name "Sima" --other-name "Seema" --age 9 --gender female --station ET \
	--place "platform 2, RPF post" --in-custody --notes "alone on the platform at night")
ok "raksha-publish sends a found child" test -n "$F"
wait_rows "SELECT count(*) FROM cases WHERE kind = 'found'" 1 || bail "the found child made no case"
found_is() { q "SELECT $1 FROM cases WHERE hex(report_id) = '$(hexid "$2")'"; }
is "$(found_is "kind || '|' || child_name || '|' || other_names || '|' || status" "$F")" "found|Sima|Seema|open" \
	"a case keyed by its sighting id, kind found, open"
is "$(found_is "place || '|' || in_custody || '|' || unit || '|' || region || '/' || agency || '|' || station" "$F")" \
	"platform 2, RPF post|1|RPF Post Itarsi|itarsi/rpf|ET" "  held at its place, in custody of its finder"

# Escalated by the rule, as a report would be; the escalation is of its id.
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$F")'" 1
ok "the rule on sightings escalates the found child" \
	test "$(q "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$F")'")" -ge 1
ok "  its case at level 1 or more" test "$(found_is escalation_level "$F")" -ge 1
pub ack --report "$F" --state acting > /dev/null
wait_rows "SELECT count(*) FROM timers WHERE ended LIKE 'acknowledged by%' AND hex(report_id) = '$(hexid "$F")'" 1
contains "$(q "SELECT ended FROM timers WHERE hex(report_id) = '$(hexid "$F")'")" "acknowledged by itarsi/rpf" \
	"  an ack of its id ends the escalation"

# A report after her, in Devanagari: a possible match, not a link.
S=$("$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox-sagar" --state mp --region sagar --agency police \
	--unit "Sagar Police" report --name "सीमा" --age 9 --gender female --station ET --priority high)
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$F")' AND hex(report_id) = '$(hexid "$S")'" 1
m=$(q "SELECT state || ' ' || (score >= 50) FROM matches WHERE hex(found_id) = '$(hexid "$F")' AND hex(report_id) = '$(hexid "$S")'")
is "$m" "suggested 1" "a Devanagari report after the Latin-named found child: a possible match, scored 50 or more"
contains "$(q "SELECT why FROM matches WHERE hex(report_id) = '$(hexid "$S")'")" "name Sima~सीमा" \
	"  with why, the names across scripts first"
is "$(q "SELECT count(*) FROM links")" 0 "  and nothing linked"
logged() { for _ in $(seq 50); do grep -q "$1" "$W/fg.err" "$W/fg.out" && return 0; sleep 0.1; done; return 1; }
ok "  the agent's log says so" logged "MATCH [0-9]* possible: found child $F may be report $S"

# A found child from another tool: protoc's bytes through mosquitto_pub.
ID2=01936e2b-2222-7ccc-addd-123456789abc
now=$(date +%s%3N)
printf 'message_id: "\\001\\223\\156\\053\\063\\063\\174\\314\\255\\335\\022\\064\\126\\170\\232\\274"
sent_at_ms: %s
origin { state: "mp" region: "bhopal" agency: "grp" unit: "GRP Bhopal" sender_id: "handset-7" }
sighting { sighting_id: "\\001\\223\\156\\053\\042\\042\\174\\314\\255\\335\\022\\064\\126\\170\\232\\274"
 place { station_code: "BPL" description: "waiting hall" } in_custody: false
 child { name: "Raju" age_years: 6 gender: GENDER_MALE } }\n' "$now" > "$W/found2.txt"
protoc $PROTO --encode=raksha.v1.Envelope < "$W/found2.txt" > "$W/found2.bin" || bail "protoc --encode"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t raksha/v1/mp/bhopal/grp/sighting -f "$W/found2.bin" || bail "mosquitto_pub"
wait_rows "SELECT count(*) FROM cases WHERE kind = 'found'" 2 || bail "the second found child made no case"
is "$(found_is "child_name || '|' || place || '|' || in_custody || '|' || unit" "$ID2")" \
	"Raju|waiting hall|0|GRP Bhopal" "mosquitto_pub's found child is a case too, seen, not in custody"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation' AND hex(report_id) = '$(hexid "$ID2")'" 1 ||
	bail "the second found child was not escalated"

# A report of him from his home district, then its owner's link.
owner() { "$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox-owner" --state mp --region vidisha \
	--agency childline --unit "Childline Vidisha" "$@"; }
R=$(owner report --name "राजू" --other-name "Raju Ahirwar" --age 6 --gender male --station BPL --priority urgent)
wait_rows "SELECT count(*) FROM cases WHERE hex(report_id) = '$(hexid "$R")'" 1 || bail "the report was not stored"
# Its possible match first (a found child linked already is not compared).
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$ID2")' AND hex(report_id) = '$(hexid "$R")'" 1
owner link --found "$ID2" --report "$R" --notes "mother identified his photo" > /dev/null || bail "raksha-publish link"
wait_rows "SELECT count(*) FROM links" 1 || bail "the link was not stored"
is "$(q "SELECT hex(found_id) || ' ' || hex(report_id) || ' ' || by || ' ' || unit || ' ' || notes FROM links")" \
	"$(hexid "$ID2") $(hexid "$R") mp/vidisha/childline Childline Vidisha mother identified his photo" \
	"raksha-publish link: the link is stored with who made it"
ok "  and when (its sent_at_ms)" test "$(q "SELECT at_ms FROM links")" -gt "$now"
is "$(q "SELECT state FROM matches WHERE hex(found_id) = '$(hexid "$ID2")' AND hex(report_id) = '$(hexid "$R")'")" \
	confirmed "  the report published after him was a possible match, which the link confirms"
wait_rows "SELECT count(*) FROM timers WHERE hex(report_id) = '$(hexid "$ID2")' AND ended IS NOT NULL" 1
is "$(q "SELECT ended FROM timers WHERE hex(report_id) = '$(hexid "$ID2")'")" \
	"the found child was linked to a report" "  the linked found child is no longer escalated on its own"
"$RAKSHA_REPLAY" --db "$DB" --report "$R" > "$W/history.txt" 2>&1
contains "$(cat "$W/history.txt")" "LINK mp/vidisha/childline  found child $ID2 is report $R: mother identified" \
	"raksha-replay --report shows the link"
"$RAKSHA_REPLAY" --db "$DB" --report "$R" --format json > "$W/history.json" 2>&1
contains "$(cat "$W/history.json")" '"link":{"found_id":"'"$ID2"'","report_id":"'"$R"'"' "  and in JSON"

# The board: found children listed as such, a linked one as its report's case.
command -v tmux > /dev/null || bail "tmux is not installed (scripts/debian-packages)"
TM="tmux -L raksha-30-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null; kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null; broker_stop' EXIT
$TM new-session -d -s board -x 160 -y 50 "TERM=tmux-256color '$RAKSHA_AGENT' board --config '$W/agent.conf' \
	2> '$W/board.err'"
screen() { $TM capture-pane -p -t board 2>/dev/null; }
wait_screen() { for _ in $(seq 150); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
keys() { $TM send-keys -t board "$@"; }
typed() { $TM send-keys -t board -l "$1"; }
ok "the board lists the found child" wait_screen "FOUND: Sima"
ok "  and the report with its linked found child" wait_screen "(found) राजू"
ok "  but not the linked found child on its own" sh -c "! $TM capture-pane -p -t board | grep -qF 'FOUND: Raju'"
keys /; typed "Raju"; keys Enter
ok "a search for the found child's name finds the report" wait_screen "showing open cases: 1, name 'Raju'"
keys Enter
ok "  its detail shows where the found child is and who holds him" \
	wait_screen "Raju at waiting hall BPL, seen by GRP Bhopal (mp/bhopal/grp)"
ok "  who linked them" wait_screen "linked by Childline Vidisha (mp/vidisha/childline)"
ok "  and the link on the timeline" wait_screen "found child $ID2 is report $R"
screen | grep -qF "linked by Childline" || screen | sed 's/^/#   | /'
keys Escape / C-u; typed "Sima"; keys Enter Enter
ok "the found child's detail: found at, in custody of its finder" \
	wait_screen "Held        IN CUSTODY of RPF Post Itarsi (mp/itarsi/rpf)"
screen | grep -qF "IN CUSTODY of RPF" || screen | sed 's/^/#   | /'
ok "  and its possible match, with the score" wait_screen "Possible    match, score"
ok "  and why" wait_screen "name Sima~सीमा"
keys Escape / C-u; typed "Sagar"; keys Enter Enter
ok "the report's detail shows the possible match too" wait_screen ": found child $F, Sima"
ok "  and m to confirm it, d to dismiss it" wait_screen "m:link d:dismiss"
keys m
ok "m asks before it links" wait_screen "as one child (score"
keys y
wait_rows "SELECT count(*) FROM links WHERE hex(found_id) = '$(hexid "$F")'" 1
is "$(q "SELECT hex(report_id) || ' ' || by FROM links WHERE hex(found_id) = '$(hexid "$F")'")" \
	"$(hexid "$S") mp/bhopal/grp" "  y publishes the link, as the agent's unit, through the outbox"
wait_rows "SELECT count(*) FROM matches WHERE state = 'confirmed' AND hex(found_id) = '$(hexid "$F")'" 1
is "$(q "SELECT state FROM matches WHERE hex(found_id) = '$(hexid "$F")'")" confirmed "  and the match is confirmed"

# Another found child like her: its possible match dismissed on the board.
G=$(pub sighting --name "Seema Bano" --age 9 --gender female --station ET --place "booking office")
wait_rows "SELECT count(*) FROM matches WHERE hex(found_id) = '$(hexid "$G")' AND hex(report_id) = '$(hexid "$S")'" 1
keys Escape / C-u; typed "Bano"; keys Enter Enter
ok "a second found child's detail shows its possible match" wait_screen ": report $S, सीमा"
keys d
ok "  d dismisses it" wait_screen "dismissed; the agent takes it"
wait_rows "SELECT count(*) FROM matches WHERE state = 'dismissed' AND hex(found_id) = '$(hexid "$G")'" 1
is "$(q "SELECT state FROM matches WHERE hex(found_id) = '$(hexid "$G")'")" dismissed \
	"  the agent marks it dismissed (nothing on the bus: no link)"
is "$(q "SELECT count(*) FROM links WHERE hex(found_id) = '$(hexid "$G")'")" 0 "  and nothing linked"
emptied() { for _ in $(seq 50); do [ -z "$(ls "$DB.dismissed")" ] && return 0; sleep 0.1; done; return 1; }
ok "  and takes the board's word from beside the database" emptied
ok "  the detail no longer shows it" sh -c "for i in \$(seq 50); do $TM capture-pane -p -t board | grep -qF 'Possible' || exit 0; sleep 0.1; done; exit 1"
keys Escape q
done_testing
