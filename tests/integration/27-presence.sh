#!/bin/sh
# 27: presence that tells the truth. An agent (A) reaches the broker through
# tests/tools/blackhole-proxy; its link is cut and dropped three times (both
# ends notice, and A's reconnects hang until the link returns). A second
# agent (B) stores what the broker says: three "offline" Wills with three
# distinct message ids (protoc reads them), each followed by A's "online";
# `raksha-replay presence` (text and json) names A as offline, and since
# when, while it is down; `raksha-replay stats` gives A's online share as
# the stored statuses give it; A's own database holds its own presence
# as its link changed; and A's systemd STATUS (a real notify socket)
# changes on every loss and return.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/notify.sh"
broker_start
W=$BROKER_DIR
A= B= LISTENER= PROXY_PID=
cleanup() {
	for _p in $A $B $LISTENER $PROXY_PID; do kill -KILL "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	broker_stop
}
trap cleanup EXIT
PROTO_ARGS="--proto_path=$RAKSHA_SOURCE_ROOT/schemas raksha/v1/raksha.proto"
TOPIC_A=raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-a
proxy_start "$BROKER_PORT" proxy

# B, the observer, on the broker itself.
DB=$W/b.db
agent_conf mp-bhopal-grp-b "raksha/v1/+/+/+/agent/+" > "$W/b.conf"
"$RAKSHA_AGENT" --config "$W/b.conf" > "$W/b.out" 2> "$W/b.err" &
B=$!
DB_B=$DB

# A notify socket that records what A says.
notify_listen "$W/notify" "$W/said" 100 || bail "no notify socket"
LISTENER=$NOTIFY_LISTENER

# A, through the proxy.
DB=$W/a.db
agent_conf mp-bhopal-grp-a "raksha/v1/mp/bhopal/grp/report" | \
	sed "s|^url = .*|url = mqtt://127.0.0.1:$PROXY_PORT\nkeepalive = 5|" > "$W/a.conf"
NOTIFY_SOCKET=$W/notify "$RAKSHA_AGENT" --config "$W/a.conf" > "$W/a.out" 2> "$W/a.err" &
A=$!
DB=$DB_B

# statuses: A's statuses as B stored them, in arrival order, one line each:
# "RECEIVED_MS online|offline MESSAGE-ID", read by protoc, not by us.
statuses() {
	sqlite3 "$DB_B" "SELECT received_at_ms, hex(envelope), lower(hex(message_id)) FROM messages
		WHERE topic = '$TOPIC_A' ORDER BY seq" 2>/dev/null |
	while IFS='|' read -r at hex id; do
		if printf '%s' "$hex" | xxd -r -p | protoc $PROTO_ARGS --decode=raksha.v1.Envelope |
			grep -q "online: true"; then
			echo "$at online $id"
		else
			echo "$at offline $id"
		fi
	done
}
count_of() { statuses | grep -c " $1 "; }
said() { lines_in "$W/said" "$1"; }

wait_until 20 at_least 1 count_of online || bail "B never heard A online"
ok "A connected: STATUS says so" wait_until 5 at_least 1 said "STATUS=connected since"

for round in 1 2 3; do
	down_before=$(said "STATUS=link down since")
	up_before=$(said "STATUS=connected since")
	sleep 2  # up for a while
	cut_ms=$(($(date +%s%N) / 1000000))
	proxy_cut
	kill -HUP "$PROXY_PID"
	wait_until 5 at_least "$round" lines_in "$PROXY_OUT" dropped
	ok "cut $round: B stores A's offline" wait_until 15 at_least "$round" count_of offline
	ok "cut $round: STATUS says the link is down" \
		wait_until 10 at_least $((down_before + 1)) said "STATUS=link down since"
	if [ "$round" = 1 ]; then
		text=$("$RAKSHA_REPLAY" presence --db "$DB_B")
		printf '%s\n' "$text" | sed 's/^/# /'
		contains "$text" "1 of 2 agent(s) offline" "presence: one of the two agents is offline"
		line=$(printf '%s\n' "$text" | grep "mp-bhopal-grp-a")
		contains "$line" "OFFLINE" "presence text: A is OFFLINE"
		contains "$line" "mp/bhopal/grp" "  with its unit"
		ok "A's own database knows its link is down (it logs its own presence)" wait_until 5 sh -c \
			"'$RAKSHA_REPLAY' presence --db '$W/a.db' | grep -q '^OFFLINE  mp-bhopal-grp-a '"
		since=$(statuses | grep " offline " | tail -n 1 | cut -d' ' -f1)
		json=$("$RAKSHA_REPLAY" presence --db "$DB_B" --format json)
		ok "presence json: A offline since its Will arrived, after the cut" /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.argv[1])
a = [x for x in d["agents"] if x["agent"] == "mp-bhopal-grp-a"][0]
b = [x for x in d["agents"] if x["agent"] == "mp-bhopal-grp-b"][0]
assert d["offline"] == 1 and d["agents"][0] is a, d
assert a["online"] is False and a["unit"] == "mp/bhopal/grp", a
assert a["since_ms"] == int(sys.argv[2]) >= int(sys.argv[3]), (a, sys.argv)
assert b["online"] is True, b
' "$json" "$since" "$cut_ms"
	fi
	sleep 3  # down for a while, its reconnects held by the dead link
	proxy_restore
	ok "cut $round: A back, B stores its online" wait_until 20 at_least $((round + 1)) count_of online
	ok "cut $round: STATUS says connected again" \
		wait_until 10 at_least $((up_before + 1)) said "STATUS=connected since"
done

ok "A's own database knows it is back" wait_until 5 sh -c \
	"'$RAKSHA_REPLAY' presence --db '$W/a.db' | grep -q '^online   mp-bhopal-grp-a '"
is "$(sqlite3 "$W/a.db" "SELECT count(*) FROM messages WHERE topic = '$TOPIC_A'")" 7 \
	"  its seven changes of link, each once"
statuses | sed 's/^/# /'
is "$(statuses | grep " offline " | cut -d' ' -f3 | sort -u | wc -l)" 3 \
	"three distinct offline messages (each connection had its own Will)"
is "$(lines_in "$W/a.err" "broker connection lost")" 3 "A logged each loss once"
text=$("$RAKSHA_REPLAY" presence --db "$DB_B")
contains "$text" "0 of 2 agent(s) offline" "presence: nobody offline once A is back"

# Stats' online share against the statuses themselves, to a fixed end.
until_ms=$(($(date +%s%N) / 1000000))
want=$(statuses | awk -v end="$until_ms" '
	NR > 1 { known += $1 - t; if (s == "online") up += $1 - t }
	{ t = $1; s = $2 }
	END { known += end - t; if (s == "online") up += end - t; printf "%.4f", up / known }')
got=$("$RAKSHA_REPLAY" stats --db "$DB_B" --until "$until_ms" --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print("%.4f" % [a for a in d["agents"] if a["agent"] == "mp-bhopal-grp-a"][0]["online_share"])')
is "$got" "$want" "stats: A's online share is what its statuses give ($want)"
ok "  and it shows the time down (between 20 and 80 %)" \
	awk -v s="$want" 'BEGIN { exit !(s > 0.2 && s < 0.8) }'

err=$("$RAKSHA_REPLAY" presence --db "$DB_B" --kind agent 2>&1 >/dev/null); rc=$?
is "$rc" 64 "presence with --kind: usage (64)"
contains "$err" "presence takes --topic and --until only" "  naming what it takes"
"$RAKSHA_REPLAY" presence --db "$DB_B" --format raw > /dev/null 2>&1
is "$?" 64 "presence --format raw: usage (64)"
text=$("$RAKSHA_REPLAY" presence --db "$DB_B" --until "$cut_ms")
contains "$(printf '%s\n' "$text" | grep mp-bhopal-grp-a)" "online" "presence --until the last cut: A online then"

kill -TERM "$A"
wait "$A"; rc=$?
A=
is "$rc" 0 "A: SIGTERM, exit 0"
kill -TERM "$B"
wait "$B"
B=
ok "no sanitizer report" clean_logs "$W/a.err" "$W/b.err"
done_testing
