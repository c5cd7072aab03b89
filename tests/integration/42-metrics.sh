#!/bin/sh
# 42: the metrics (docs/agent.md "Metrics", docs/desk.md "Monitoring") of a
# real agent on a real mosquitto: reports from raksha-publish, an ack, an
# escalation by a 3 s rule, hostile input rejected by cause, a hook that
# fails. The desk's /metrics is refused without its bearer token (401) and
# with another (403), and a session is no token; with it, the exposition
# (parsed strictly by metrics-check.py) gives every number the database and
# the outbox give (python's sqlite3); the agent's node-exporter textfile
# gives the same, is 0644 and replaced whole (read in a loop while the agent
# rewrites it: always whole, a new file each time); a reconnection counts;
# /healthz says ok while the agent runs and 503 once it is killed.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
for tool in curl sqlite3 mosquitto_pub; do
	command -v "$tool" > /dev/null || bail "$tool is missing (scripts/debian-packages)"
done
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT=
DESKPID=
trap desk_cleanup EXIT
CHECK="/usr/bin/python3 $RAKSHA_SOURCE_ROOT/tests/integration/metrics-check.py"
PROM=$W/node/raksha.prom
OWN=raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1
mkdir -p "$W/node"
head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$W/token"
chmod 0600 "$W/token"

# conf PORT [DESK-LINE ...]: the agent's and the desk's file.
conf() {
	port=$1
	shift
	agent_conf mp-bhopal-grp-1 "raksha/v1/+/+/+/report raksha/v1/+/+/+/ack raksha/v1/+/+/+/update" \
		"unit = GRP Bhopal" "outbox = $W/outbox" "metrics_textfile = $PROM" "metrics_interval = 1s"
	printf '[escalate.quick]\nmatch = raksha/v1/mp/+/+/report\nafter = 3s\nunless_ack_from = rpf\n'
	printf 'publish = raksha/v1/mp/bhopal/grp/escalation\ntarget = SP Railways Bhopal\n'
	printf '[hooks]\non_report = true\non_ack = exit 3\n'
	printf '[desk]\nusers = %s\nlisten = 127.0.0.1:%s\n' "$W/users" "$port"
	for line in "$@"; do printf '%s\n' "$line"; done
}

conf 1 "metrics_token = $W/token" > "$W/agent.conf"
"$RAKSHA_AGENT" -n --config "$W/agent.conf" > /dev/null 2>&1
is "$?" 0 "raksha-agent -n takes metrics_textfile and metrics_interval"
sed 's/raksha.prom$/raksha.txt/' "$W/agent.conf" > "$W/bad.conf"
out=$("$RAKSHA_AGENT" -n --config "$W/bad.conf" 2>&1)
is "$?" 78 "a textfile not named *.prom: refused (78)"
contains "$out" "metrics_textfile: '$W/node/raksha.txt' does not end in .prom" "  saying node-exporter would not read it"
chmod 0644 "$W/token"
out=$("$RAKSHA_DESK" -n --config "$W/agent.conf" 2>&1)
is "$?" 78 "raksha-desk -n: a token file others may read is refused"
contains "$out" "[desk] metrics_token: $W/token: others may read it" "  saying so"
chmod 0600 "$W/token"
"$RAKSHA_DESK" -n --config "$W/agent.conf" > /dev/null 2>&1
is "$?" 0 "  0600: taken"
head -c 20 /dev/zero | tr '\0' a > "$W/short"
chmod 0600 "$W/short"
sed "s|metrics_token = .*|metrics_token = $W/short|" "$W/agent.conf" > "$W/short.conf"
out=$("$RAKSHA_DESK" -n --config "$W/short.conf" 2>&1)
contains "$out" "its first line is not 32 to 512 bytes long" "  a token of 20 bytes refused"
desk_user ravi --full-name "Ravi Jain" --badge "GRP 2001"

# start_desk [DESK-LINE ...]: the desk on a free port (URL, DESKPID).
start_desk() {
	PORT=
	for _ in $(seq 20); do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
		conf "$p" "$@" > "$W/desk.conf"
		: > "$W/desk.log"  # emptied before: the child's own truncation may come after the grep
		"$RAKSHA_DESK" --config "$W/desk.conf" 2>> "$W/desk.log" &
		DESKPID=$!
		for _ in $(seq 50); do
			grep -q "listening on" "$W/desk.log" && PORT=$p && break
			kill -0 "$DESKPID" 2>/dev/null || break
			sleep 0.1
		done
		[ -n "$PORT" ] && break
		wait "$DESKPID" 2>/dev/null
		DESKPID=
	done
	[ -n "$PORT" ] || bail "raksha-desk did not start: $(cat "$W/desk.log")"
	URL=http://127.0.0.1:$PORT
}
code() { curl -s -o "$W/body" -D "$W/headers" -w '%{http_code}' "$@"; }

desk_agent
start_desk
is "$(code -H "Authorization: Bearer $(cat "$W/token")" "$URL/metrics")" 404 "a desk without metrics_token: /metrics 404"
is "$(code "$URL/healthz")" 200 "  /healthz 200 all the same"
kill "$DESKPID"
wait "$DESKPID"
start_desk "metrics_token = $W/token"

pub() { ag=$1; shift; desk_pub --state mp --region bhopal --agency "$ag" --unit "$ag Bhopal" "$@"; }
A=$(pub grp report --name "Asha" --age 9 --gender female --station BPL)
pub rpf ack --report "$A" --state acting > /dev/null
B=$(pub grp report --name "Bina" --age 7 --gender female --station ET)
C=$(pub grp report --name "Chand" --age 8 --gender male --station BPL)
pub grp update --report "$C" --status closed --notes "reunited" > /dev/null
T=raksha/v1/mp/bhopal/grp
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/report -m "not protobuf"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/ack -m 'not "protobuf" \ either'
"$MAKE_SAMPLE" report "$W/r.bin" --fresh > /dev/null
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t $T/ack -f "$W/r.bin"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t raksha/v1/mp/bhopal/rpf/report -f "$W/r.bin"
wait_rows "SELECT count(*) FROM messages WHERE kind = 'escalation'" 1 || bail "the agent did not escalate B"
wait_rows "SELECT count(*) FROM rejected" 4 || bail "the agent did not reject the hostile input"
wait_rows "SELECT count(*) FROM meta WHERE key = 'hooks_failed' AND value >= 1" 1 ||
	bail "the failing hook was not counted"
wait_rows "SELECT count(*) FROM meta WHERE key = 'hooks_run' AND value >= 4" 1 || bail "the hooks were not counted"
is "$(q "SELECT group_concat(cause || ' ' || n, ', ') FROM (SELECT cause, count(*) n FROM rejected GROUP BY cause)")" \
	"kind-mismatch 1, origin-mismatch 1, undecodable 2" "the hostile input rejected by cause"
is "$(q "SELECT (SELECT value FROM meta WHERE key = 'hooks_run') || '/' || (SELECT value FROM meta WHERE key = 'hooks_failed')")" \
	"4/1" "hooks: on_report 3 times, on_ack once and failed: in meta"
sleep 1.5  # the agent's next textfile, after all that

# The desk's /metrics: its token only.
is "$(code "$URL/metrics")" 401 "/metrics without a token: 401"
contains "$(cat "$W/headers")" 'WWW-Authenticate: Bearer realm="raksha-desk metrics"' "  asking for a bearer token"
is "$(code -H "Authorization: Bearer $(tr a-z A-Z < "$W/token")" "$URL/metrics")" 403 "with another token: 403"
is "$(code -H "Authorization: Basic cmF2aTpkZXNrLXBhc3MtMQ==" "$URL/metrics")" 401 "  an account's password: 401"
csrf=$(curl -s -c "$W/jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode username=ravi \
	--data-urlencode password=desk-pass-1 "$URL/login"
is "$(code -b "$W/jar" "$URL/cases")" 200 "an officer's session"
is "$(code -b "$W/jar" "$URL/metrics")" 401 "  is no token for /metrics"
contains "$(cat "$W/desk.log")" "GET /metrics from 127.0.0.1 refused: a wrong bearer token" "refusals logged"
is "$(code -H "Authorization: Bearer $(cat "$W/token")" "$URL/metrics")" 200 "with the token: 200"
contains "$(cat "$W/headers")" "Content-Type: text/plain; version=0.0.4; charset=utf-8" "  the exposition format 0.0.4"
contains "$(cat "$W/headers")" "Cache-Control: no-store" "  no-store"
cp "$W/body" "$W/scrape"
$CHECK check "$W/scrape" "$DB" "$W/outbox" "$OWN" > "$W/check.out"
desk_tap "$W/check.out"
is "$($CHECK value "$W/scrape" raksha_cases_open)/$($CHECK value "$W/scrape" raksha_cases_unacknowledged)/$($CHECK value "$W/scrape" raksha_cases_escalated)" \
	"2/1/1" "  open 2 (A, B; C closed), unacknowledged 1 (B), escalated 1 (B)"
is "$($CHECK value "$W/scrape" raksha_link_connected)/$($CHECK value "$W/scrape" raksha_link_connections_total)/$($CHECK value "$W/scrape" raksha_link_reconnections_total)" \
	"1/1/0" "  the link up, one connection, no reconnection"
contains "$(cat "$W/scrape")" 'raksha_rejected{cause="undecodable"} 2' "  2 undecodable, labelled by cause"

# The agent's textfile: the same numbers, replaced whole.
$CHECK check "$PROM" "$DB" "$W/outbox" "$OWN" > "$W/check.out"
desk_tap "$W/check.out"
$CHECK same "$PROM" "$W/scrape" > "$W/check.out"
desk_tap "$W/check.out"
$CHECK watch "$PROM" 2.5 > "$W/check.out"
desk_tap "$W/check.out"

# A reconnection: the broker restarted, the agent's link lost and back.
sh "$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh" "$W" 2>/dev/null || bail "the broker did not come back"
wait_rows "SELECT count(*) FROM messages WHERE topic = '$OWN'" 3 || bail "the agent did not log its loss and return"
sleep 1.5
code -H "Authorization: Bearer $(cat "$W/token")" "$URL/metrics" > /dev/null
is "$($CHECK value "$W/body" raksha_link_connections_total)/$($CHECK value "$W/body" raksha_link_reconnections_total)" "2/1" \
	"the broker restarted: 2 connections, 1 reconnection"
is "$($CHECK value "$PROM" raksha_link_connections_total)/$($CHECK value "$PROM" raksha_link_reconnections_total)" "2/1" \
	"  in the textfile too"

# /healthz: no token, no child data; 503 once the agent is killed.
is "$(code "$URL/healthz")" 200 "/healthz while the agent runs: 200"
is "$(cat "$W/body")" "ok" "  ok"
kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
AGENT=
for _ in $(seq 30); do [ "$(code "$URL/healthz")" = 503 ] && break; sleep 0.1; done
is "$(code "$URL/healthz")" 503 "the agent killed: 503"
contains "$(cat "$W/body")" "the agent is not running" "  saying why"
code -H "Authorization: Bearer $(cat "$W/token")" "$URL/metrics" > /dev/null
is "$($CHECK value "$W/body" raksha_link_connected)" 0 "  /metrics: the link not connected (its last presence said online)"
# Two reports queued in the agent's outbox while it is down, as publishers
# that could not reach the broker leave them.
"$FILL_OUTBOX" "$W/outbox" 2 > /dev/null || bail "fill-outbox failed"
code -H "Authorization: Bearer $(cat "$W/token")" "$URL/metrics" > /dev/null
is "$($CHECK value "$W/body" raksha_outbox_depth)" "$(ls "$W/outbox" | grep -c '\.msg$')" "  the outbox's depth, 2 waiting"
is "$($CHECK value "$W/body" raksha_outbox_depth)" 2 "  2"
mv "$DB" "$DB.moved"
is "$(code "$URL/healthz")" 503 "the database gone: 503"
contains "$(cat "$W/body")" "the agent's database cannot be read" "  saying so, and no path"
mv "$DB.moved" "$DB"
kill "$DESKPID"
wait "$DESKPID"
is "$?" 0 "SIGTERM: the desk exits 0"
DESKPID=
is "$(grep -c 'Sanitizer\|runtime error' "$W/desk.log" "$W/agent.err" | awk -F: '{s += $2} END {print s}')" 0 \
	"nothing from the sanitizers"
done_testing
