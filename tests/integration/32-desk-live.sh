#!/bin/sh
# 32: the desk's live updates (desk_live.c, /live.js) in Debian's headless
# chromium (desk-live.py), against a real mosquitto, agent and
# raksha-publish: a report appears in the open list without a reload (the
# time from the agent's commit, messages.received_at_ms, to the browser
# printed), the title counts the cases nobody acknowledged, an Ack from
# raksha-publish updates its row, only an urgent or critical one sounds
# the alarm and raises a Notification (permission granted through CDP);
# the agent stopped (its offline presence) makes the banner say so and
# restarted clears it; the desk killed makes the page say its stream is
# lost, and restarted, the page reconnects by itself, still logged in
# (the desk's sessions file). By curl: /events needs a session, is
# no-store and text/event-stream.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
for tool in /usr/bin/chromium /usr/bin/chromedriver curl; do
	command -v "$tool" > /dev/null || bail "$tool is missing (scripts/debian-packages)"
done
/usr/bin/python3 -c 'import selenium' 2> /dev/null || bail "python3-selenium is missing (scripts/debian-packages)"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT=
DESKPID=
cleanup() {
	desk_kill_all
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	[ -s "$W/agent.pid" ] && kill "$(cat "$W/agent.pid")" 2>/dev/null
	broker_stop
}
trap cleanup EXIT

desk_conf > "$W/agent.conf"
printf 'desk-pass-1\n' | "$RAKSHA_DESK" --config "$W/agent.conf" user add asha --full-name "Asha Verma" \
	> /dev/null || bail "user add failed"
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > /dev/null 2> "$W/agent.err" &
AGENT=$!
echo "$AGENT" > "$W/agent.pid"
wait_rows "SELECT count(*) FROM sqlite_master WHERE name = 'cases'" 1 || bail "the agent made no database"
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"
desk_pub --state mp --region vidisha --agency childline report --name "Old Routine" --age 8 \
	--priority routine > /dev/null
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 1 || bail "the agent stored no report"

# /events by curl: a session needed, the headers of every response.
curl -s -m 3 -D "$W/h" -o "$W/body" "$URL/events"
contains "$(cat "$W/body")" "event: login" "/events without a session: one 'login' event, no data"
contains "$(tr -d '\r' < "$W/h")" "Content-Type: text/event-stream" "  as text/event-stream"
contains "$(tr -d '\r' < "$W/h")" "Cache-Control: no-store" "  no-store"
curl -s -o /dev/null -w '%{http_code}' "$URL/alert.wav" > "$W/code"
is "$(cat "$W/code")" 200 "/alert.wav: the desk's own sound"
is "$(curl -s "$URL/alert.wav" | head -c 4)" "RIFF" "  a WAV"

start=$(date +%s)
W=$W DB=$DB BROKER_PORT=$BROKER_PORT timeout 60 /usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/integration/desk-live.py" "$URL" asha desk-pass-1 \
	> "$W/browser.out" 2> "$W/browser.err"
rc=$?
desk_tap "$W/browser.out"
is "$rc" 0 "the browser's part ran to its end ($(( $(date +%s) - start )) s)"
[ "$rc" -eq 0 ] || tap_comment "$(tail -20 "$W/browser.err")"
ok "nothing on the desk's stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v 'raksha-desk: ' '$W/desk.log' | grep -q ."
done_testing
