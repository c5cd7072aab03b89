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
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl
AGENT=
DESKPID=
trap desk_cleanup EXIT

desk_conf > "$W/agent.conf"
desk_user asha --full-name "Asha Verma"
desk_agent
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

export W DB BROKER_PORT
desk_browser 60 desk-live.py "$URL" asha desk-pass-1
is "$BROWSER_RC" 0 "the browser's part ran to its end ($BROWSER_S s)"
ok "nothing on the desk's stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v 'raksha-desk: ' '$W/desk.log' | grep -q ."
done_testing
