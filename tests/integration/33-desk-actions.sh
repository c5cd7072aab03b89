#!/bin/sh
# 33: the desk's actions on a case (docs/desk.md "Actions"), against a real
# agent on a real mosquitto, reports from raksha-publish, a headless
# chromium (desk-actions.py) and curl. Acknowledge "acting" with a note and
# Found with a place and handed-over-to, from the browser: on the wire
# (mosquitto_sub, protoc --decode) with the officer's name and badge; Found
# only through its confirmation page (a POST without confirm=yes publishes
# nothing); the found case leaves the desk's list and the terminal board
# (tmux). A bad field (a long note, a station code that is not one) gives
# the form again naming it, nothing published; an action on a case no
# longer open: 409. The broker away: "queued", and once it is back the Ack
# arrives, once. Every action logged with the account.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl tmux xxd protoc
AGENT=
SUB=
TM="tmux -L raksha-33-$$ -f /dev/null"
cleanup() {
	$TM kill-server 2>/dev/null
	[ -n "$SUB" ] && kill "$SUB" 2>/dev/null
	desk_cleanup
}
trap cleanup EXIT
# The agent takes the updates too: a found case leaves its open list.
DESK_FILTERS="raksha/v1/+/+/+/report raksha/v1/+/+/+/ack raksha/v1/+/+/+/update"
desk_conf > "$W/agent.conf"
desk_user asha --full-name "Asha Verma" --badge "GRP 1042" --role supervisor
desk_user ravi --full-name "Ravi Jain" --badge "GRP 2001"
desk_agent
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"
A=$(desk_pub --state mp --region vidisha --agency childline report --name "Sima Kumari" --age 9 --gender female --station BPL --priority critical)
B=$(desk_pub --state mp --region vidisha --agency childline report --name "Raju Das" --age 6 --gender male --station ET)
# Two of this desk's unit (mp/bhopal/grp): a supervisor here may close them.
C=$(desk_pub --state mp --region bhopal --agency grp report --name "Meena Rai" --age 8 --gender female)
D=$(desk_pub --state mp --region bhopal --agency grp report --name "Kiran Pal" --age 5 --gender male)
F=$(desk_pub --state mp --region itarsi --agency rpf sighting --name "Raju" --age-range 5-7 --gender male \
	--station ET --in-custody)
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 4 || bail "the agent stored no reports"
# Everything the unit publishes, a line each (topic, payload in hex); a
# persistent session, so what is sent while the broker is away still comes.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -i "raksha33-$$" -c -q 1 -t 'raksha/v1/mp/bhopal/grp/+' \
	-F '%t %x' > "$W/wire" 2>/dev/null &
SUB=$!
for _ in $(seq 50); do grep -q " as raksha33-$$ " "$W/mosquitto.log" && break; sleep 0.1; done
sleep 0.2
sent() { grep -c . "$W/wire"; }
# wire N: the Nth envelope published, decoded.
wire() {
	sed -n "$1p" "$W/wire" | cut -d' ' -f2 | xxd -r -p |
		protoc --proto_path="$RAKSHA_SOURCE_ROOT/schemas" raksha/v1/raksha.proto --decode=raksha.v1.Envelope 2>&1
}
wait_sent() { for _ in $(seq 100); do [ "$(sent)" -ge "$1" ] && return 0; sleep 0.1; done; return 1; }
$TM new-session -d -s board -x 160 -y 40 "TERM=tmux-256color '$RAKSHA_AGENT' board --config '$W/agent.conf' \
	2> '$W/board.err'"
screen() { $TM capture-pane -p -t board 2>/dev/null; }
wait_screen() { for _ in $(seq 100); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
ok "the board lists the case" wait_screen "Sima Kumari"

# The browser: Acknowledge acting with a note, then Found, confirmed.
desk_browser 60 desk-actions.py "$URL" asha desk-pass-1 "Sima Kumari"
is "$BROWSER_RC" 0 "the browser's part ran to its end ($BROWSER_S s)"
wait_sent 2
ack=$(wire 1)
for want in 'state: ACK_STATE_ACTING' 'notes: "on platform 1 now"' 'officer_name: "Asha Verma"' \
	'officer_badge: "GRP 1042"'; do
	contains "$ack" "$want" "the Ack on the wire: $want"
done
found=$(wire 2)
for want in 'status: UPDATE_STATUS_FOUND' 'station_code: "BPL"' 'train_number: "12627"' 'coach: "S4"' \
	'description: "waiting hall"' 'handed_over_to: "CWC Bhopal"' 'officer_name: "Asha Verma"'; do
	contains "$found" "$want" "the StatusUpdate on the wire: $want"
done
contains "$(sed -n 2p "$W/wire" | cut -d' ' -f2)" "$(printf '%s' "$A" | tr -d '-')" "  about the case"
ok "the board no longer lists the found case" sh -c \
	"for i in \$(seq 100); do $TM capture-pane -p -t board | grep -qF 'Sima Kumari' || exit 0; sleep 0.1; done; exit 1"
ok "  but still the other" wait_screen "Raju Das"

# By curl: the rules the browser does not reach. login USER: its session
# in $W/jar, its CSRF token in $csrf.
login() {
	rm -f "$W/jar"
	token=$(curl -s -c "$W/jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "username=$1" \
		--data-urlencode password=desk-pass-1 "$URL/login"
	csrf=$(curl -s -b "$W/jar" "$URL/case/$B" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
}
login ravi
page=$(curl -s -b "$W/jar" "$URL/case/$C")
is "$(printf '%s' "$page" | grep -c '/close"\|/cancel"')" 0 "an officer's page of this unit's case offers no close or cancel"
contains "$page" "Only a supervisor of the unit that reported it (mp/bhopal/grp) can close or cancel" \
	"  but says who can"
# post VERB CASE FIELD...: the answer's status in $W/code, its page in $W/page.
post() {
	verb=$1 id=$2
	shift 2
	set -- --data-urlencode "csrf=$csrf" "$@"
	curl -s -b "$W/jar" -o "$W/page" -w '%{http_code}' "$@" "$URL/case/$id/$verb" > "$W/code"
}
before=$(sent)
post found "$B" --data-urlencode station_code=ET --data-urlencode handed_over_to=CWC
is "$(cat "$W/code")" 200 "Found without confirm=yes: 200"
contains "$(cat "$W/page")" "This cannot be undone" "  the confirmation page"
contains "$(cat "$W/page")" 'name="confirm" value="yes"' "  whose form re-posts with confirm=yes"
long=$(head -c 1001 /dev/zero | tr '\0' n)
post ack "$B" --data-urlencode state=acting --data-urlencode "notes=$long"
is "$(cat "$W/code")" 422 "a 1001-byte note: 422"
contains "$(cat "$W/page")" "Note (notes): must be up to 1000 bytes" "  naming the field"
contains "$(cat "$W/page")" 'id="error-notes"' "  beside it"
post ack "$B" --data-urlencode state=acting --data-urlencode "notes=$(head -c 40000 /dev/zero | tr '\0' n)"
is "$(cat "$W/code")" 413 "a 40 000-byte note: 413, the form too large (more than the desk reads)"
# Each text field near its limit in Devanagari (letters of 3 bytes: 198 of
# 200, 999 of 1000), sent as %XX: three times the bytes, and still a form
# the desk reads.
short=$(/usr/bin/python3 -c 'print("स" * 66)')
hindi=$(/usr/bin/python3 -c 'print("स" * 333)')
post found "$B" --data-urlencode station_code=ET --data-urlencode "description=$short" \
	--data-urlencode "handed_over_to=$short" --data-urlencode "notes=$hindi"
is "$(cat "$W/code")" 200 "Found with its fields full of Devanagari: the confirmation page, not 413"
post found "$B" --data-urlencode confirm=yes --data-urlencode station_code=bpl1
is "$(cat "$W/code")" 422 "a station code 'bpl1': 422"
contains "$(cat "$W/page")" "Station code (station_code): must be 1 to 5 capital letters" "  naming the field"
post ack "$B" --data-urlencode state=sleeping
is "$(cat "$W/code")" 422 "an Ack state 'sleeping': 422"
contains "$(cat "$W/page")" "State (state): must be received, acting or done" "  naming the field"
post close "$C" --data-urlencode confirm=yes
is "$(cat "$W/code")" 403 "  and a close posted by the officer anyway: 403"
login asha
page=$(curl -s -b "$W/jar" "$URL/case/$B")
is "$(printf '%s' "$page" | grep -c '/close"\|/cancel"')" 0 "a supervisor's page of another unit's case offers no close or cancel"
post cancel "$B" --data-urlencode confirm=yes
is "$(cat "$W/code")" 403 "  a cancel posted anyway: 403"
page=$(curl -s -b "$W/jar" "$URL/case/$C")
contains "$page" "action=\"/case/$C/close\"" "a supervisor's page of this unit's case offers close"
contains "$page" "action=\"/case/$C/cancel\"" "  and cancel"
post close "$C" --data-urlencode notes=reunited
is "$(cat "$W/code")" 200 "  close without confirm=yes: the confirmation page (200)"
contains "$(cat "$W/page")" "Close this case?" "  asking"
post link "$B" --data-urlencode "other=$F"
is "$(cat "$W/code")" 200 "a link without confirm=yes: the confirmation page (200)"
contains "$(cat "$W/page")" "name=\"other\" value=\"$F\"" "  re-posting the other case"
post link "$B" --data-urlencode "other=not-a-uuid" --data-urlencode confirm=yes
is "$(cat "$W/code")" 422 "a link to 'not-a-uuid': 422 naming the field"
post ack "$A" --data-urlencode state=done
is "$(cat "$W/code")" 409 "an Ack on the found case: 409"
contains "$(cat "$W/page")" "no longer open" "  saying why"
sleep 1
is "$(sent)" "$before" "  none of these published anything"

# Close, cancel, link, confirmed: on the wire.
post close "$C" --data-urlencode notes=reunited --data-urlencode confirm=yes
is "$(cat "$W/code")" 303 "close confirmed: 303 to the case"
post cancel "$D" --data-urlencode confirm=yes
post link "$B" --data-urlencode "other=$F" --data-urlencode confirm=yes
is "$(cat "$W/code")" 303 "link confirmed: 303"
post sighting "$B" --data-urlencode station_code=ET --data-urlencode train_number=11071 \
	--data-urlencode in_custody=yes --data-urlencode notes=seen-at-itarsi
is "$(cat "$W/code")" 303 "a sighting, no confirmation asked: 303"
wait_sent $(( before + 4 ))
contains "$(wire $(( before + 1 )))" "status: UPDATE_STATUS_CLOSED" "the close on the wire"
contains "$(wire $(( before + 1 )))" 'notes: "reunited"' "  with its note"
contains "$(wire $(( before + 2 )))" "status: UPDATE_STATUS_CANCELLED" "the cancel on the wire"
contains "$(sed -n "$(( before + 3 ))p" "$W/wire")" "$(printf '%s' "$F" | tr -d '-')" "the CaseLink on the wire, naming the found child"
contains "$(wire $(( before + 3 )))" "link {" "  a link"
contains "$(wire $(( before + 3 )))" 'notes: "possible match confirmed by an officer"' "  saying only what is true of it (not \"on the board\")"
sighting=$(wire $(( before + 4 )))
for want in "sighting {" 'station_code: "ET"' 'train_number: "11071"' "in_custody: true" 'notes: "seen-at-itarsi"' \
	'officer_name: "Asha Verma"'; do
	contains "$sighting" "$want" "the Sighting on the wire: $want"
done
contains "$(sed -n "$(( before + 4 ))p" "$W/wire")" "$(printf '%s' "$B" | tr -d '-')" "  about the case"
contains "$sighting" "sighting_id: " "  with a sighting_id"
ok "the closed case leaves the open list" sh -c "for i in \$(seq 50); do curl -s -b '$W/jar' '$URL/cases' | grep -q 'Meena Rai' || exit 0; sleep 0.1; done; exit 1"
before=$(sent)

# The broker away for 3 s: queued; back, the agent sends it, once.
sh "$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh" "$W" 3 &
restarter=$!
sleep 0.5
post ack "$B" --data-urlencode state=received --data-urlencode notes=queued-one
is "$(cat "$W/code")" 303 "an Ack with the broker away: 303 to the case"
contains "$(curl -s -b "$W/jar" "$URL/case/$B")" "ack queued: broker unreachable" "  whose page says queued"
wait "$restarter"
ok "  once the broker is back, it arrives" wait_sent $(( before + 1 ))
sleep 1.5
is "$(sent)" $(( before + 1 )) "  once"
contains "$(wire $(( before + 1 )))" 'notes: "queued-one"' "  the Ack queued"

# The log names the account for every action.
for want in "'asha' acknowledged case $A from 127.0.0.1: ack sent" "'asha' marked found case $A from 127.0.0.1: found sent" \
	"'asha' acknowledged case $B from 127.0.0.1: ack queued: broker unreachable" \
	"'asha' closed case $C from 127.0.0.1: closed sent" "'asha' cancelled case $D from 127.0.0.1: cancel sent" \
	"'asha' linked a found child to case $B from 127.0.0.1: link sent" \
	"'asha' reported a sighting of case $B from 127.0.0.1: sighting sent"; do
	contains "$(cat "$W/desk.log")" "$want" "logged: $want"
done
done_testing
