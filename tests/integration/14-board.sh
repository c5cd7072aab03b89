#!/bin/sh
# 14: raksha-agent board in a real terminal (tmux, 80x24, UTF-8) over a real
# agent's database on a real mosquitto: it waits for the database; reports
# appear live, most urgent first, the Devanagari name in its columns; the
# detail shows the fields and the timeline; `a` publishes an Ack that an
# independent subscriber decodes with protoc, and the case shows it; `f` y
# publishes a StatusUpdate and the case leaves the open list; `c` n sends
# nothing; / r g s narrow the list; PNG and JPEG photos are drawn with
# chafa, an undecodable one is named, and one whose header claims 50000 x
# 50000 pixels is named from its header, the board answering the next key
# at once, its memory small; with the broker down `a` queues the ack, the
# title bar counts it at once, and the agent sends it when the broker
# returns; resizing lays the list out again, a wide terminal widening FROM;
# the title's link is the agent's own (its presence: down once the agent
# stops, the broker still up), and `o` shows it offline since when;
# q quits with 0 and nothing on stderr (sanitizers quiet). Over 6,000 cases
# the list is counted whole and its oldest case, urgent, is found (the
# board once read 5,000 and searched only those).
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
command -v tmux > /dev/null || bail "tmux is not installed (scripts/debian-packages)"
export LC_ALL=C.UTF-8  # the board, tmux and capture-pane all in UTF-8
broker_start
W=$BROKER_DIR
DB=$W/agent.db
PROTO_ARGS="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
agent_conf mp-bhopal-grp-1 "raksha/v1/+/+/+/report raksha/v1/+/+/+/sighting raksha/v1/+/+/+/update \
raksha/v1/mp/+/+/ack raksha/v1/mp/+/+/escalation" "unit = GRP Bhopal control room" "outbox = $W/outbox" \
	> "$W/agent.conf"

TM="tmux -L raksha-14-$$ -f /dev/null"
AGENT=
cleanup() {
	$TM kill-server 2>/dev/null
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	broker_stop
}
trap cleanup EXIT

screen() { $TM capture-pane -p -t board 2>/dev/null; }
keys() { $TM send-keys -t board "$@"; }
typed() { $TM send-keys -t board -l "$1"; }
# wait_screen TEXT: until the screen shows TEXT, at most 15 s.
wait_screen() { for _ in $(seq 150); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
# wait_within N TEXT: until the screen shows TEXT, at most N tenths of a second.
wait_within() { for _ in $(seq "$1"); do screen | grep -qF -- "$2" && return 0; sleep 0.1; done; return 1; }
# wait_gone TEXT: until the screen no longer shows TEXT, at most 15 s.
wait_gone() { for _ in $(seq 150); do screen | grep -qF -- "$1" || return 0; sleep 0.1; done; return 1; }
shows() { screen | grep -qF -- "$1"; }
lacks() { ! screen | grep -qF -- "$1"; }
# seen DESCRIPTION TEXT: a check that the screen comes to show TEXT; the
# screen goes to the log when it does not.
seen() {
	if wait_screen "$2"; then ok "$1" true; else ok "$1" false; screen | sed 's/^/#   | /'; fi
}
# line_of TEXT: the screen line (from 1) that holds TEXT, 0 if none.
line_of() { screen | grep -nF -- "$1" | head -1 | cut -d: -f1 | grep . || echo 0; }
# Terminal columns, as the terminal counts them: combining marks take none.
PYWIDTH='import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)'
# column_of TEXT: the column where TEXT starts on its line, -1 if nowhere.
column_of() { screen | /usr/bin/python3 -c "$PYWIDTH
for line in sys.stdin:
    if sys.argv[1] in line:
        print(width(line[:line.index(sys.argv[1])]))
        break
else:
    print(-1)" "$1"; }
widest() { screen | /usr/bin/python3 -c "$PYWIDTH
print(max(width(l.rstrip('\n')) for l in sys.stdin))"; }
# block_rows: screen lines holding 10 or more block elements (U+2580-U+259F).
block_rows() { screen | /usr/bin/python3 -c 'import sys
print(sum(1 for l in sys.stdin if sum(1 for c in l if 0x2580 <= ord(c) <= 0x259f) >= 10))'; }
pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" "$@"; }
# sub_one TOPIC FILE: an independent subscriber for the next message on
# TOPIC, started once the broker has logged its connection.
sub_one() {
	id=raksha14-$$-$(basename "$2" .bin)
	mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -i "$id" -q 1 -t "$1" -C 1 -W 10 -N > "$2" 2>/dev/null &
	SUB=$!
	for _ in $(seq 50); do grep -q " as $id " "$W/mosquitto.log" && break; sleep 0.1; done
	sleep 0.2  # its SUBSCRIBE follows the CONNECT
}
decode() { protoc $PROTO_ARGS --decode=raksha.v1.Envelope < "$1" 2>&1; }

# Misuse, before any terminal.
XDG_CONFIG_HOME=$W/none "$RAKSHA_AGENT" board > /dev/null 2> "$W/err"; rc=$?
is "$rc" 66 "board without --config nor a default one: exit 66 (EX_NOINPUT)"
contains "$(cat "$W/err")" "raksha-board: no configuration: give --config FILE, or write " \
	"  and says where it looked"
"$RAKSHA_AGENT" board --config "$W/agent.conf" < /dev/null > "$W/out" 2> "$W/err"; rc=$?
is "$rc" 64 "board without a terminal: exit 64"
contains "$(cat "$W/err")" "needs a terminal" "  and says so"
"$RAKSHA_AGENT" board --config "$W/missing.conf" > /dev/null 2>&1; rc=$?
is "$rc" 66 "board with a missing config file: exit 66 (EX_NOINPUT)"

# The board is a program of its own: the unattended service does not load
# what a terminal and photos need, and raksha-agent board runs raksha-board.
needed=$(readelf -d "$RAKSHA_AGENT" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in *ncurses*|*chafa*|*glib*|*png*|*jpeg*|*tinfo*) ok "raksha-agent links none of the board's libraries: $needed" false ;;
	*) ok "raksha-agent links none of the board's libraries: $needed" true ;; esac
board_needed=$(readelf -d "$RAKSHA_BOARD" | grep -c 'Shared library: \[libncursesw\|Shared library: \[libchafa')
is "$board_needed" 2 "  raksha-board links ncursesw and chafa"
RAKSHA_BOARD=/nonexistent/raksha-board PATH=/nonexistent "$RAKSHA_AGENT" board --config "$W/agent.conf" \
	> /dev/null 2> "$W/err"; rc=$?
is "$rc" 69 "raksha-agent board without a raksha-board to run: exit 69 (EX_UNAVAILABLE)"
contains "$(cat "$W/err")" "cannot run /nonexistent/raksha-board" "  and names the one it looked for"
"$RAKSHA_BOARD" --config "$W/agent.conf" < /dev/null > /dev/null 2> "$W/err"; rc=$?
is "$rc" 64 "raksha-board itself without a terminal: exit 64"

# The board first, the agent after: it waits for the database.
$TM new-session -d -s board -x 80 -y 24 "TERM=tmux-256color '$RAKSHA_AGENT' board --config '$W/agent.conf' \
	2> '$W/board.err'; echo \$? > '$W/board.rc'" || bail "tmux cannot start a session"
ok "before the agent runs, the board waits for its database" wait_screen "Waiting for the agent's database"
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/fg.out" 2> "$W/fg.err" &
AGENT=$!
ok "  and finds it once the agent made it" wait_screen "No open cases."

# Live: an older routine report, then a newer urgent one.
ravi=$(pub --state mp --region bhopal --agency grp --unit "GRP Bhopal" report --name "Ravi Kumar" \
	--age 7 --gender male --station ET --priority routine)
seema=$(pub --state mp --region vidisha --agency childline --unit "ChildLine Vidisha" report \
	--name "सीमा कुमारी" --other-name "Seema Kumari" --age 9 --gender female --station BPL \
	--train 12627 --coach S4 --clothing "red frock" --priority urgent)
ok "a published report appears on the board, the name in Devanagari" wait_screen "सीमा कुमारी"
ok "  and the one before it" wait_screen "Ravi Kumar"
ok "the urgent case is above the older routine one" test "$(line_of "सीमा कुमारी")" -lt "$(line_of "Ravi Kumar")"
row=$(screen | grep -F "सीमा कुमारी")
for want in "URG" "9 F" "BPL 12627 S4" "vidisha/childlin" " no"; do
	contains "$row" "$want" "  its row shows '$want'"
done
is "$(column_of "9 F")" "$(column_of "CHILD")" "the columns after the Devanagari name line up (wide-character widths)"
is "$($TM display -p -t board '#{pane_width}x#{pane_height}')" "80x24" "the terminal is 80x24"
is "$(screen | wc -l | tr -d ' ')" 24 "  the board fills its 24 lines"
ok "  and no line is wider than 80 columns" test "$(widest)" -le 80
contains "$(screen | head -1)" "open 2  not acked 2  link up" "the title bar counts open and unacknowledged cases, and the link"

# Search and filters.
keys /; typed "RAVI"; keys Enter
ok "/ RAVI finds Ravi Kumar (ASCII case ignored)" wait_gone "सीमा कुमारी"
ok "  and only him" shows "Ravi Kumar"
keys /
ok "/ again starts with RAVI, and the prompt says that Enter keeps it" \
	wait_screen "(Enter keeps it, Ctrl-U Enter: all): RAVI"
keys Enter
sleep 0.3
ok "  Enter alone keeps it" wait_screen "name 'RAVI'"
ok "  still only him" lacks "सीमा कुमारी"
keys / C-u; typed "seema"; keys Enter
ok "/ seema finds the Devanagari case by its other name" wait_screen "सीमा कुमारी"
ok "  and only it" wait_gone "Ravi Kumar"
keys / C-u; typed "कुमारी"; keys Enter
ok "/ कुमारी (Devanagari) finds it too" wait_screen "name 'कुमारी'"
ok "  and only it" lacks "Ravi Kumar"
keys / C-u Enter
ok "/ with nothing clears the search" wait_screen "Ravi Kumar"
keys r; typed "bhopal"; keys Enter
ok "r bhopal: only cases from the bhopal region" wait_gone "सीमा कुमारी"
contains "$(screen)" "region bhopal" "  and the message line says so"
keys r C-u Enter g; typed "childline"; keys Enter
ok "g childline: only cases from ChildLine" wait_gone "Ravi Kumar"
ok "  the ChildLine case stays" shows "सीमा कुमारी"
keys Escape
ok "Esc clears every narrowing" wait_screen "Ravi Kumar"
keys '?'
ok "? shows the keys" wait_screen "Raksha board: keys"
contains "$(screen)" "then the newest first." "  and the order the list has: the newest first"
keys x
ok "  and any key goes back" wait_screen "Ravi Kumar"

# The detail view of the urgent case (the cursor is on the first row).
keys Home Enter
ok "Enter opens the case in full" wait_screen "Timeline"
for want in "सीमा कुमारी  URGENT" "Also called Seema Kumari" "Age, sex    9, female" "Clothing    red frock" \
	"Last seen   BPL 12627 coach S4" "Reported by ChildLine Vidisha (mp/vidisha/childline)" \
	"Acked by    nobody yet" "Case id     $seema" "Photo       none in this report" "REPORT     revision 1, URGENT"; do
	contains "$(screen)" "$want" "  shows '$want'"
done

# a: an Ack from this unit, seen by an independent subscriber.
sub_one raksha/v1/mp/bhopal/grp/ack "$W/ack.bin"
keys a
ok "a says the ack was sent" wait_screen "ack sent"
wait "$SUB"
decoded=$(decode "$W/ack.bin")
for want in "state: ACK_STATE_ACTING" 'sender_id: "mp-bhopal-grp-1"' 'unit: "GRP Bhopal control room"' \
	'region: "bhopal"' 'agency: "grp"'; do
	contains "$decoded" "$want" "  protoc decodes the Ack: $want"
done
contains "$("$RAKSHA_INSPECT" --topic raksha/v1/mp/bhopal/grp/ack "$W/ack.bin" 2>&1)" "\"report_id\":\"$seema\"" \
	"  about this case"
ok "the agent logged it and the detail shows who acknowledged" wait_screen "Acked by    GRP Bhopal control room (mp/bhopal/grp) acting"
ok "  and the timeline has the ack" wait_screen "ACK        acting, by GRP Bhopal control room"
keys Escape
ok "back in the list, the case is acknowledged, by this unit too" wait_screen "✓1*"
contains "$(screen | grep -F "सीमा कुमारी")" "✓1*" "  on its row"
contains "$(screen | head -1)" "not acked 1" "  and the title bar counts one fewer"

# f y: found. The case leaves the open list.
sub_one raksha/v1/mp/bhopal/grp/update "$W/found.bin"
keys f
ok "f asks first: it ends the case" wait_screen "Record सीमा कुमारी FOUND? This ends the case everywhere. y/n"
keys y
ok "y sends it" wait_screen "found sent"
wait "$SUB"
contains "$(decode "$W/found.bin")" "status: UPDATE_STATUS_FOUND" "  protoc decodes a StatusUpdate FOUND"
ok "the found case leaves the open list" wait_gone "सीमा कुमारी"
keys s
ok "s: all cases, the found one marked" wait_screen "[found] सीमा कुमारी"
keys s
ok "s again: found cases only" wait_gone "Ravi Kumar"
keys s s
ok "s twice more: open cases again" wait_screen "showing open cases: 1"

# c n: nothing is sent.
updates=$(q "SELECT count(*) FROM messages WHERE kind = 'update'")
keys c
ok "c asks first" wait_screen "Record Ravi Kumar CLOSED?"
keys n
ok "n: nothing sent" wait_screen "nothing sent"
sleep 1
is "$(q "SELECT count(*) FROM messages WHERE kind = 'update'")" "$updates" "  and no update reached the agent"

# Photos: a PNG and a JPEG drawn with chafa; one that is not an image.
/usr/bin/python3 - "$W/child.png" <<'PY'
import struct, sys, zlib
w = h = 48
rows = []
for y in range(h):
    row = bytearray(b"\0")
    for x in range(w):
        face = (x - 24) ** 2 + (y - 20) ** 2 < 100
        row += bytes((230, 190, 150) if face else (200, 30, 40) if y > 34 else (40, 90, 200))
    rows.append(bytes(row))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
       chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
# A 16x16 JPEG of four coloured squares, made with libjpeg-turbo.
base64 -d > "$W/child.jpg" <<'B64'
/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkz
ODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2Nj
Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIA
AhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABQb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEB
AQAAAAAAAAAAAAAAAAAAAgT/xAAeEQABAQkAAAAAAAAAAAAAAAAABAMFISIxMkFR4f/aAAwDAQAC
EQMRAD8AfSBNHoUjGsRonndJrPD/2Q==
B64
# The PNG as it is (raksha-publish would send a JPEG of it), as another
# program on the bus would send it; the JPEG made fit by raksha-publish.
pub --dry-run --state mp --region bhopal --agency rpf report --name "Png Child" --age 5 --priority critical |
	/usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/tools/publish-photos.py" "$BROKER_PORT" "$W/child.png" > /dev/null
pub --state mp --region bhopal --agency rpf report --name "Jpeg Child" --age 6 --priority critical \
	--photo "$W/child.jpg" > /dev/null 2>&1
"$MAKE_SAMPLE" report "$W/sample.bin" --fresh > "$W/sample.topic"  # its photo only looks like a JPEG
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t "$(cat "$W/sample.topic")" -f "$W/sample.bin"
wait_screen "Jpeg Child"
keys / C-u; typed "png child"; keys Enter
wait_gone "Ravi Kumar"
keys Home Enter
ok "a PNG photo: the detail opens" wait_screen "Png Child  CRITICAL"
ok "  and chafa draws it in block cells (10 rows or more)" test "$(block_rows)" -ge 10
contains "$(screen | sed -n 2p)" "Png Child" "  beside the fields"
keys Escape / C-u; typed "jpeg"; keys Enter
wait_gone "Png Child"
keys Home Enter
ok "a JPEG photo: the detail opens" wait_screen "Jpeg Child  CRITICAL"
ok "  and chafa draws it" test "$(block_rows)" -ge 8
keys Escape / C-u; typed "Seemu"; keys Enter
wait_gone "Jpeg Child"
keys Home Enter
wait_screen "Seemu"
keys End
seen "a photo that is not an image says so (at the end of the fields)" "Photo       cannot be shown: JPEG:"
keys Escape / C-u Enter

# A hostile photo (issue 14: 882 bytes whose header claimed 50,000 x 50,000
# pixels froze the board for 20 s at 7.3 GiB): a progressive 16x16 JPEG made
# with libjpeg-turbo, its frame header (SOF2) then set to 50000 x 50000. The
# board names it from the header, decodes nothing, and answers the next key.
base64 -d > "$W/small.jpg" <<'B64'
/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a
HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIy
MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wgARCAAQABADASIA
AhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABQAG/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAH/2gAM
AwEAAhADEAAAAS5DeJ//xAAUEAEAAAAAAAAAAAAAAAAAAAAg/9oACAEBAAEFAh//xAAZEQABBQAA
AAAAAAAAAAAAAAARAAMEFCH/2gAIAQMBAT8BemXhgC//xAAZEQABBQAAAAAAAAAAAAAAAAAAAwQR
EyH/2gAIAQIBAT8BZr1zh//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEABj8CH//EABQQAQAA
AAAAAAAAAAAAAAAAACD/2gAIAQEAAT8hH//aAAwDAQACAAMAAAAQJ//EABkRAQACAwAAAAAAAAAA
AAAAABEAAUFxgf/aAAgBAwEBPxDffKvKAn//xAAZEQABBQAAAAAAAAAAAAAAAAARAEFRYXH/2gAI
AQIBAT8QmRD7S//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEAAT8QH//Z
B64
/usr/bin/python3 - "$W/small.jpg" "$W/bomb.jpg" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = 2
while d[i + 1] != 0xc2:  # the segments before the frame header, by their lengths
    i += 2 + (d[i + 2] << 8 | d[i + 3])
assert d[i + 5:i + 9] == bytes((0, 16, 0, 16))
d[i + 5:i + 9] = (50000).to_bytes(2, "big") * 2
open(sys.argv[2], "wb").write(d)
PY
pub --dry-run --state mp --region bhopal --agency rpf report --name "Bomb Child" --age 4 --priority critical |
	/usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/tools/publish-photos.py" "$BROKER_PORT" "$W/bomb.jpg" > /dev/null
wait_screen "Bomb Child"
keys / C-u; typed "bomb"; keys Enter
wait_gone "Ravi Kumar"
keys Home Enter
seen "a JPEG of $(wc -c < "$W/bomb.jpg") bytes claiming 50000 x 50000 pixels is named, not decoded" \
	"Photo       cannot be shown: JPEG of 50000 x 50000 pixels, more than a photo"
contains "$(screen)" "have (8192 a side, 16 M in all)" "  with the bound it is over"
keys '?'
ok "  the board answers the next key at once (within 2 s)" wait_within 20 "Raksha board: keys"
keys x
board_pid=$(pgrep -P "$($TM display -p -t board '#{pane_pid}')" | head -1)
peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$board_pid/status" 2>/dev/null)
ok "  and its peak memory stayed at $((${peak:-0} / 1024)) MiB (under 256; decoding it took 7.3 GiB)" \
	test "${peak:-999999999}" -lt $((256 * 1024))
keys Escape / C-u Enter

# The broker down: the ack waits in the outbox and the agent sends it later.
kill "$(cat "$W/mosquitto.pid")"
ok "the title bar shows the link down" wait_screen "link DOWN"
keys / C-u; typed "ravi"; keys Enter
wait_gone "Png Child"
keys Home a
ok "a with the broker down: the ack is queued" wait_screen "ack queued: broker unreachable"
ok "  the title bar counts it at once (within 2 s, not at the next 30 s count)" wait_within 20 "queued 1"
contains "$("$RAKSHA_PUBLISH" --outbox "$W/outbox" outbox 2>&1 >/dev/null)" "1 envelope(s) waiting" \
	"  it is in the outbox"
sh "$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh" "$W" 2>/dev/null || bail "the broker did not come back"
for _ in $(seq 300); do [ "$(q "SELECT count(*) FROM acks WHERE lower(hex(report_id)) = \
	replace('$ravi', '-', '')")" -ge 1 ] && break; sleep 0.1; done
is "$(q "SELECT ack_state FROM acks WHERE lower(hex(report_id)) = replace('$ravi', '-', '')")" "acting" \
	"when the broker returns the agent sends it, and logs it"
ok "  the board shows it" wait_screen "✓1*"
ok "  the title bar shows the link up again" wait_screen "link up"

# Resizing lays the list out again; a wide terminal widens FROM and LAST
# SEEN too (they stayed at 16 and 14 columns).
pub --state mp --region narmadapuram --agency childline-helpline report --name "Long From" --age 8 \
	--station ET --priority routine > /dev/null
keys / C-u Enter
seen "at 80 columns FROM is cut at 16" "narmadapuram/chi "
at80=$(column_of CHILD)
$TM resize-window -t board -x 100 -y 30
for _ in $(seq 50); do [ "$(column_of CHILD)" = $((at80 + 11)) ] && break; sleep 0.1; done
is "$(column_of CHILD)" $((at80 + 11)) "at 100 columns the name column grows by 11 (of the 20 more)"
is "$(screen | wc -l | tr -d ' ')" 30 "  and the list takes the 30 lines"
$TM resize-window -t board -x 140 -y 30
seen "at 140 columns FROM is whole: narmadapuram/childline-helpline" "narmadapuram/childline-helpline"
ok "  and no line is wider than 140 columns" test "$(widest)" -le 140
$TM resize-window -t board -x 80 -y 24
for _ in $(seq 50); do [ "$(column_of CHILD)" = "$at80" ] && break; sleep 0.1; done
is "$(column_of CHILD)" "$at80" "  and shrinks back at 80"

# The title's link is the agent's, from its presence in its database, not
# the board's own connection: the agent stopped, the broker still up.
ok "the title bar shows the agent's link up, and since when" wait_screen "link up since "
kill -TERM "$AGENT"
wait "$AGENT"
AGENT=
ok "the agent stopped: the title bar shows its link down, the broker up" wait_screen "link DOWN since "
ok "  and one agent offline" wait_screen "offline 1  link DOWN"
keys o
ok "o: who is offline now" wait_screen "Offline now: 1 of 1 agent(s)"
row=$(screen | grep -F "mp-bhopal-grp-1")
contains "$row" "mp/bhopal/grp" "  the agent, its unit"
ok "  and since when" sh -c "printf '%s' '$row' | grep -qE 'since [0-9]{1,2}:[0-9]{2} (am|pm)'"
keys x
ok "  any key: back" wait_screen "not acked"

keys q
for _ in $(seq 100); do [ -s "$W/board.rc" ] && break; sleep 0.1; done
is "$(cat "$W/board.rc" 2>/dev/null)" 0 "q quits with 0"
is "$(cat "$W/board.err")" "" "  and nothing on stderr (no sanitizer reports)"
is "$(q "PRAGMA integrity_check")" "ok" "the database is intact"

# Over 5,000 cases (issue 15: the board read 5,000 and searched only those,
# so an open urgent case went unseen): a copy of the database with 6,000
# newer urgent cases, Ravi's made urgent and 10 days older than them all.
sqlite3 "$DB" ".backup '$W/many.db'"
sqlite3 "$W/many.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
	INSERT INTO cases (report_id, status, priority, child_name, state, region, agency, unit, station,
	 first_seen_ms, updated_ms) SELECT randomblob(16), 'open', 4, 'Child ' || i, 'mp', 'indore', 'rpf',
	 'RPF Indore', 'INDB', $(date +%s)000 - 6000 + i, $(date +%s)000 FROM n;
	UPDATE cases SET priority = 4, first_seen_ms = first_seen_ms - 864000000 WHERE child_name = 'Ravi Kumar';"
many=$(sqlite3 "$W/many.db" "SELECT count(*) FROM cases WHERE status = 'open' AND child_name IS NOT NULL")
sed "s|^database = .*|database = $W/many.db|" "$W/agent.conf" > "$W/many.conf"
$TM new-session -d -s board -x 80 -y 24 "TERM=tmux-256color '$RAKSHA_AGENT' board --config '$W/many.conf' \
	2> '$W/many.err'; echo \$? > '$W/many.rc'" || bail "tmux cannot start a session"
seen "over $many open cases the board counts them all" "showing open cases: $many"
keys End
seen "  End goes to the last of them: Ravi, urgent and the oldest" "Ravi Kumar"
keys Home / C-u; typed "ravi"; keys Enter
seen "/ ravi finds him among them" "showing open cases: 1, name 'ravi'"
ok "  on the list" shows "Ravi Kumar"
keys q
for _ in $(seq 100); do [ -s "$W/many.rc" ] && break; sleep 0.1; done
is "$(cat "$W/many.rc" 2>/dev/null)" 0 "  q quits with 0"
is "$(cat "$W/many.err")" "" "  and nothing on stderr"

# The README's run command on a terminal: the board over the embedded
# default, with its sample report; q stops the board, the agent and the broker.
$TM new-session -d -s board -x 80 -y 24 "cd '$RAKSHA_SOURCE_ROOT' && TERM=tmux-256color \
	RAKSHA_BUILD_DIR='$RAKSHA_BUILD_ROOT' RAKSHA_RUN_DIR='$W/run' RAKSHA_PORT= scripts/run --no-build \
	2> '$W/run.err'; echo \$? > '$W/run.rc'" || bail "tmux cannot start a session"
seen "scripts/run on a terminal shows the board with the sample report" "सीमा कुमारी"
contains "$(screen | head -1)" "mp-bhopal-grp-dev" "  the embedded default agent's board"
port=$(sed -n 's/.*mqtt:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$W/run/agent.conf" | head -1)
keys q
for _ in $(seq 100); do [ -s "$W/run.rc" ] && break; sleep 0.1; done
is "$(cat "$W/run.rc" 2>/dev/null)" 0 "  q leaves it with 0"
ok "  and the broker is stopped" sh -c "! mosquitto_pub -h 127.0.0.1 -p '$port' -t x -m y 2>/dev/null"
ok "  and the agent too" sh -c "! pgrep -f 'raksha-agent --config $W/run/[a]gent.conf' > /dev/null"
done_testing
