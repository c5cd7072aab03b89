#!/bin/sh
# 28: who may change a case, with signatures required and every unit's own
# real key (what the hostile review used). Another state's unit revises a
# report with revision 4294967295 and cancels it: both refused, kept in
# rejected as not-owner with a reason naming both units, and the owner's
# revision 2 is still taken. A supervisor's close dated 23 h ahead (its PC's
# clock, inside the day of drift accepted) is taken, and the owner's later
# reopen and revision 3 win over it: arrival order, not the sender's clock.
# A finder of another state says found: taken, and the case says who said
# so. The board's detail shows the refused changes on the timeline as
# REFUSED, and the finder.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
command -v tmux > /dev/null || bail "tmux is not installed (scripts/debian-packages)"
export LC_ALL=C.UTF-8
broker_start
W=$BROKER_DIR
DB=$W/agent.db
URL="mqtt://127.0.0.1:$BROKER_PORT"
hexid() { printf '%s' "$1" | tr -d '-' | tr 'a-f' 'A-F'; }
# pub_as ID STATE REGION AGENCY ARGS...: published as that unit, signed
# with its key, from its own outbox.
pub_as() {
	id=$1 st=$2 rg=$3 ag=$4
	shift 4
	"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox-$id" --state "$st" --region "$rg" --agency "$ag" \
		--unit "$id" --signing-key "$W/$id.key" "$@"
}
owner() { pub_as mp-bhopal-grp-post1 mp bhopal grp "$@"; }
stranger() { pub_as up-lucknow-grp-post1 up lucknow grp "$@"; }
# The supervisor's PC runs 23 hours ahead (tests/tools/clock-shim.c).
supervisor() {
	echo $((23 * 3600000)) > "$W/offset"
	env RAKSHA_CLOCK_OFFSET_FILE="$W/offset" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
		LD_PRELOAD="$CLOCK_SHIM" "$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/outbox-sp" --state mp \
		--region state --agency control --unit "MP control" --signing-key "$W/mp-state-control-sp.key" "$@"
}

for id in mp-bhopal-grp-post1 up-lucknow-grp-post1 mp-state-control-sp mp-bhopal-grp-1; do
	"$RAKSHA_PUBLISH" keygen --id "$id" --out "$W/$id.key" > "$W/$id.pub" 2> /dev/null || bail "keygen $id"
done
key_of() { sed -n 's/^public key: //p' "$W/$1.pub"; }
{
	echo "id,state,region,agency,role,public_key"
	echo "mp-bhopal-grp-post1,mp,bhopal,grp,unit,$(key_of mp-bhopal-grp-post1)"
	echo "up-lucknow-grp-post1,up,lucknow,grp,unit,$(key_of up-lucknow-grp-post1)"
	echo "mp-state-control-sp,mp,state,control,supervisor,$(key_of mp-state-control-sp)"
	echo "mp-bhopal-grp-1,mp,bhopal,grp,agent,$(key_of mp-bhopal-grp-1)"
} > "$W/units.csv"
agent_conf mp-bhopal-grp-1 "raksha/v1/#" "durability = crash" "outbox = $W/local" \
	"signing_key = $W/mp-bhopal-grp-1.key" "trusted_keys = $W/units.csv" "require_signatures = yes" \
	> "$W/agent.conf"
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/fg.out" 2> "$W/fg.err" &
AGENT=$!
TM="tmux -L raksha-28-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null; kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null; broker_stop' EXIT
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1 || bail "agent did not come up"

R=$(owner report --name "Seema" --age 9 --gender female --station BPL)
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'Seema'" 1 || bail "the owner's report was not stored"
case_is() { q "SELECT $1 FROM cases WHERE hex(report_id) = '$(hexid "$R")'"; }
# settle: everything published before is judged (the agent's link is one
# ordered stream): the owner's ack after it has been stored.
settle() {
	n=$(q "SELECT count(*) FROM messages WHERE kind = 'ack'")
	owner ack --report "$R" > /dev/null
	wait_rows "SELECT count(*) FROM messages WHERE kind = 'ack'" $((n + 1)) || bail "the agent stopped storing"
}
refused() { q "SELECT count(*) FROM rejected WHERE cause = 'not-owner' AND hex(report_id) = '$(hexid "$R")'"; }

# Another state's unit, with its own valid key: a revision 4294967295.
printf '{"child": {"name": "Someone Else", "age_years": 9, "gender": "GENDER_FEMALE"},
 "priority": "PRIORITY_ROUTINE", "status": "CASE_STATUS_CLOSED"}\n' > "$W/forged.json"
stranger report --revise "$R" --revision 4294967295 --from "$W/forged.json" > /dev/null || bail "stranger's revision"
settle
is "$(case_is "child_name || ' ' || state || '/' || region || ' ' || revision || ' ' || status || ' ' || priority")" \
	"Seema mp/bhopal 1 open 3" "another state's revision 4294967295: name, origin, revision, status and priority unchanged"
is "$(refused)" 1 "  refused, kept in rejected as not-owner for the case"
reason=$(q "SELECT reason FROM rejected WHERE cause = 'not-owner' ORDER BY seq LIMIT 1")
contains "$reason" "revision 4294967295 from up/lucknow/grp" "  the reason names the sender"
contains "$reason" "the case is mp/bhopal/grp's" "  and the owner"
contains "$(cat "$W/fg.err")" "refused not-owner on raksha/v1/up/lucknow/grp/report: revision 4294967295 from" \
	"  and the agent's log says so"
owner report --revise "$R" --name "Seema Kumari" > /dev/null
settle
is "$(case_is "child_name || ' ' || revision")" "Seema Kumari 2" "the owner's revision 2 is taken after it"

# Another state's cancel.
stranger update --report "$R" --status cancelled > /dev/null
settle
is "$(case_is status)" "open" "another state's cancel is not taken"
is "$(refused)" 2 "  refused as not-owner"

# A supervisor's close, dated 23 h ahead; then the owner's reopen and revision 3.
supervisor update --report "$R" --status closed > /dev/null
settle
is "$(case_is "status || ' ' || status_by")" "closed mp/state/control" "a supervisor's close is taken"
sp_at=$(case_is status_at_ms)
ok "  dated about 23 h ahead" test "${sp_at:-0}" -gt $(( $(date +%s%3N) + 22 * 3600000 ))
owner update --report "$R" --status reopened > /dev/null
settle
is "$(case_is status)" "open" "the owner's later reopen wins over it (arrival order, not the sender's clock)"
owner report --revise "$R" --coach S4 > /dev/null
settle
is "$(case_is "revision || ' ' || coach || ' ' || status")" "3 S4 open" "  and the owner's revision 3 is taken, still open"

# A finder of another state: found, taken, with who said so.
stranger update --report "$R" --status found --station CNB > /dev/null
settle
is "$(case_is "status || ' ' || status_by")" "found up/lucknow/grp" "another state's found is taken, with who said so"
is "$(q "SELECT count(*) FROM rejected WHERE cause <> 'not-owner'")" 0 "nothing else was refused"

# raksha-replay's case history: the refused changes where they arrived.
"$RAKSHA_REPLAY" --db "$DB" --report "$R" > "$W/history.txt" 2>&1
is "$(grep -c 'REJECTED not-owner' "$W/history.txt")" 2 "raksha-replay --report shows both refused changes"
is "$(grep -n 'REJECTED not-owner' "$W/history.txt" | head -1 | cut -d: -f1)" 2 \
	"  the forged revision where it arrived, after the report"
contains "$(cat "$W/history.txt")" "cancel from up/lucknow/grp" "  with the reason"
"$RAKSHA_REPLAY" --db "$DB" --report "$R" --format json > "$W/history.json" 2>&1
is "$(grep -c '"cause":"not-owner"' "$W/history.json")" 2 "  and in JSON, with the cause"

# The board: the finder on the case, the refused changes on its timeline.
$TM new-session -d -s board -x 160 -y 50 "TERM=tmux-256color '$RAKSHA_AGENT' board --config '$W/agent.conf' \
	2> '$W/board.err'"
screen() { $TM capture-pane -p -t board 2>/dev/null; }
wait_screen() { for _ in $(seq 150); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
$TM send-keys -t board s  # every case, not only the open ones
wait_screen "Seema" || { screen | sed 's/^/#   | /'; }
$TM send-keys -t board Home Enter
ok "the board's detail says who found her" wait_screen "found (said by up/lucknow/grp)"
ok "  its timeline shows the stranger's revision as refused" wait_screen "REFUSED revision 4294967295"
ok "  and the cancel" wait_screen "REFUSED cancelled"
if ! screen | grep -qF "REFUSED cancelled"; then screen | sed 's/^/#   | /'; fi
$TM send-keys -t board Escape q
done_testing
