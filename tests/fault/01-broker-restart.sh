#!/bin/sh
# fault 01: the broker goes away in the middle of a 10,000-report stream
# from a publisher's outbox to a connected agent with a persistent session.
# SIGTERM (mosquitto saves its state as it stops) and a restart on the same
# port: the publisher re-sends what was not acknowledged, and the agent ends
# with exactly the 10,000 message ids, each once. SIGKILL under the
# production persistence settings (autosave_on_changes, autosave_interval 1):
# the reports the broker acknowledged but never delivered are counted and
# held to the bound that mosquitto's save-per-change gives (printed as a TAP
# comment); reports queued for an offline agent survive a SIGKILL whole.
# What the development config's autosave_interval 60 loses is measured too.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
N=10000
N2=3000  # the SIGKILL stream: long enough to kill in its middle
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-f01.XXXXXX")
# The publisher's outboxes in memory where there is /dev/shm: its fsyncs
# are not what this suite tests (05 does), and 2 x 10,000 of them on a
# shared disk would make the suite's time the disk's.
OB=$(mktemp -d /dev/shm/raksha-f01.XXXXXX 2>/dev/null) || OB=$W
AGENT= FLUSH=
cleanup() {
	[ -n "$FLUSH" ] && kill "$FLUSH" 2>/dev/null
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	broker_stop
	rm -rf "$W" "$OB"
}
trap_cleanup() { trap cleanup EXIT; trap 'exit 1' INT TERM HUP; }

# start_agent NAME: an agent (persistent session) with its database
# $W/NAME.db, logging to $W/NAME.err. durability = crash: only the broker
# fails here, and 10,000 fsyncs would make the suite's time the disk's.
start_agent() {
	DB=$W/$1.db
	AGENT_ERR=$W/$1.err
	agent_conf "mp-bhopal-grp-$1" "raksha/v1/+/+/+/report" "durability = crash" \
		"outbox = $W/$1-outbox" > "$W/$1.conf"
	"$RAKSHA_AGENT" --config "$W/$1.conf" --foreground > "$W/$1.out" 2> "$AGENT_ERR" &
	AGENT=$!
	wait_until 30 grep -q "connected;" "$AGENT_ERR" ||
		{ sed 's/^/# /' "$AGENT_ERR"; bail "the agent did not connect"; }
}
stop_agent() { kill "$AGENT"; wait "$AGENT"; _rc=$?; AGENT=; return $_rc; }

flush() {  # OUTBOX: one raksha-publish flush, its exit status
	"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$1" --timeout 30 flush \
		2>> "$W/flush.err"
}
# broker_kill: SIGKILL to the suite's mosquitto, and wait until it is gone.
broker_kill() {
	kill -KILL "$BROKER_PID"
	wait "$BROKER_PID" 2>/dev/null
}
# flush_until_empty OUTBOX: flush again until the outbox is empty, at most
# 10 rounds; prints how many rounds it took.
flush_until_empty() {
	_r=0
	while [ "$(outbox_count "$1")" -gt 0 ] && [ $_r -lt 10 ]; do
		_r=$((_r + 1))
		flush "$1"
	done
	echo $_r
}
# settle: until the agent's count stops moving for 2 s (at most 90 s).
settle() {
	_last=-1 _same=0
	for _ in $(seq 900); do
		_now=$(reports)
		if [ "$_now" = "$_last" ]; then _same=$((_same + 1)); else _same=0; _last=$_now; fi
		[ $_same -ge 20 ] && return 0
		sleep 0.1
	done
}
# stream OUTBOX N: starts flushing it in the background, and returns once
# the broker has acknowledged a quarter of its N (they left the outbox);
# 1 if the publisher finished first, or nothing moved for 60 s.
stream() {
	"$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$1" --timeout 30 flush \
		2>> "$W/flush.err" &
	FLUSH=$!
	_until=$(($(date +%s) + 60))
	while [ "$(msgs_in "$1")" -gt $(($2 * 3 / 4)) ] && [ "$(date +%s)" -lt $_until ] && ! finished "$FLUSH"; do
		:  # as tight as ls allows: the whole stream may take a second
	done
	_left=$(msgs_in "$1")
	[ "$_left" -gt 0 ] && [ "$_left" -le $(($2 * 3 / 4)) ]
}
msgs_in() { ls "$1" | grep -c '\.msg$'; }
wait_flush() { wait_until 60 finished "$FLUSH"; wait "$FLUSH"; _rc=$?; FLUSH=; return $_rc; }

# ---- 1. SIGTERM and restart, with the embedded default configuration.
broker_start
trap_cleanup
"$FILL_OUTBOX" "$OB/ob" $N || bail "fill-outbox failed"
# The first N2 of them again for part 2: another broker, another agent
# database (and no second 10,000 fsyncs).
mkdir "$OB/ob2"
(cd "$OB/ob" && ls | grep "\.msg$" | head -n $N2 | xargs cp -t "$OB/ob2")
outbox_ids "$OB/ob" > "$W/all.ids"
is "$(wc -l < "$W/all.ids" | tr -d ' ')" $N "$N reports with distinct message ids queued in the publisher's outbox"
start_agent term
stream "$OB/ob" $N; mid=$?
sh "$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh" "$BROKER_DIR" 1 ||
	{ sed 's/^/# /' "$BROKER_DIR/mosquitto.log"; bail "mosquitto did not restart"; }
is "$mid" 0 "the broker stopped with SIGTERM mid-stream ($((N - _left)) of $N acknowledged, $(reports) stored by the agent)"
wait_flush; rc=$?
left=$(outbox_count "$OB/ob")
# Either paho reconnected to the new broker within the flush's timeout and
# it sent everything, or it stopped with the rest kept: what a user relies
# on is that the exit status tells which.
ok "  the publisher's flush ends (exit $rc) with $left report(s) not acknowledged, kept in its outbox" \
	test "$rc:$left" = 0:0 -o \( "$rc" = 75 -a "$left" -gt 0 \)
rounds=$(flush_until_empty "$OB/ob")
is "$(outbox_count "$OB/ob")" 0 "flush again until the outbox is empty ($rounds round(s))"
wait_until 90 at_least $N reports
is "$(reports)" $N "the agent's database holds $N reports"
is "$(distinct_reports)" $N "  $N distinct message ids"
report_ids > "$W/got.ids"
ok "  exactly the message ids that were queued" cmp -s "$W/all.ids" "$W/got.ids"
contains "$(cat "$AGENT_ERR")" "broker connection lost" "the agent saw the broker go"
ok "  and reconnected by itself" test "$(lines_in "$AGENT_ERR" "connected;")" -ge 2
is "$(q "PRAGMA integrity_check")" ok "  its database is intact"
stop_agent
is "$?" 0 "  and stops cleanly on SIGTERM (exit 0)"
broker_stop

# ---- 2. SIGKILL mid-stream, with the production persistence settings on a
# plaintext loopback listener: production/mosquitto.conf without its TLS
# listener, credentials (and the client id plugin, which binds ids to
# usernames) and system paths.
PROD=$RAKSHA_SOURCE_ROOT/broker-config/production/mosquitto.conf
sed -e '/^listener /d' -e '/^certfile /d' -e '/^keyfile /d' -e '/^cafile /d' \
	-e '/^tls_version /d' -e '/^require_certificate /d' -e '/^allow_anonymous /d' \
	-e '/^password_file /d' -e '/^acl_file /d' -e '/^plugin /d' -e '/^persistence_location /d' -e '/^log_dest /d' \
	"$PROD" > "$W/production.conf.in"
cat >> "$W/production.conf.in" <<'CONF'
listener @PORT@ 127.0.0.1
allow_anonymous true
user @USER@
persistence_location @STATE_DIR@/
log_dest file @STATE_DIR@/mosquitto.log
log_timestamp_format %Y-%m-%dT%H:%M:%S
CONF
setting() { sed -n "s/^$1 //p" "$W/production.conf.in"; }
is "$(setting autosave_on_changes)|$(setting autosave_interval)|$(setting persistence)" "true|1|true" \
	"the production persistence settings: autosave_on_changes true, autosave_interval 1"
inflight=$(setting max_inflight_messages)
BROKER_TEMPLATE=$W/production.conf.in broker_start
trap_cleanup
outbox_ids "$OB/ob2" > "$W/all2.ids"
start_agent kill
links=$(lines_in "$AGENT_ERR" "connected;")
stream "$OB/ob2" $N2; mid=$?
broker_kill
is "$mid" 0 "the broker killed with SIGKILL mid-stream ($((N2 - _left)) of $N2 acknowledged, $(reports) stored by the agent)"
wait_flush
outbox_ids "$OB/ob2" > "$W/left2.ids"
comm -23 "$W/all2.ids" "$W/left2.ids" > "$W/acked2.ids"
acked=$(wc -l < "$W/acked2.ids" | tr -d ' ')
broker_respawn "$BROKER_DIR" || { sed 's/^/# /' "$BROKER_DIR/mosquitto.log"; bail "mosquitto did not come back"; }
rounds=$(flush_until_empty "$OB/ob2")
is "$(outbox_count "$OB/ob2")" 0 "after the restart the publisher sends the rest ($rounds round(s))"
# Everything the broker still has comes once the agent is back; a loss
# over the bound fails below, so waiting for more than N - bound is moot.
bound=$((inflight + 1))
wait_until 60 at_least $((links + 1)) lines_in "$AGENT_ERR" "connected;"
wait_until 60 at_least $((N2 - bound)) reports
wait_until 3 at_least $N2 reports || settle
report_ids > "$W/got2.ids"
lost=$(comm -23 "$W/all2.ids" "$W/got2.ids" | wc -l | tr -d ' ')
echo "# SIGKILL loss (production persistence): $lost of the $acked reports the broker acknowledged before the kill never reached the agent (bound $bound)"
ok "the loss is within the bound of max_inflight_messages + 1 = $bound" test "$lost" -le "$bound"
is "$(comm -13 "$W/all2.ids" "$W/got2.ids" | wc -l | tr -d ' ')" 0 \
	"  every report the agent holds was one of those queued"
is "$(comm -23 "$W/all2.ids" "$W/got2.ids" | comm -23 - "$W/acked2.ids" | wc -l | tr -d ' ')" 0 \
	"  nothing the publisher still held (no PUBACK) was lost"
is "$(reports)" $((N2 - lost)) "  the agent holds every other report"
is "$(distinct_reports)" "$(reports)" "  each once"
contains "$(cat "$AGENT_ERR")" "broker connection lost" "the agent saw the broker die"
ok "  and reconnected by itself" test "$(lines_in "$AGENT_ERR" "connected;")" -gt "$links"
stop_agent

# ---- 3. Queued for an offline agent, then SIGKILL right after the PUBACKs:
# with the production settings every queued report survives; with the
# development config (autosave_interval 60) they are counted.
# offline_kill NAME: the agent NAME subscribes, goes away, 200 reports are
# flushed to its session, the broker is killed and restarted, the agent
# comes back; OFFLINE_GOT: how many of the 200 it then holds.
# saved_since FILE: mosquitto has written its state since FILE was touched.
saved_since() { [ -n "$(find "$BROKER_DIR/mosquitto.db" -newer "$1" 2> /dev/null)" ]; }
offline_kill() {
	start_agent "$1"
	stop_agent
	rm -rf "$OB/ob3"
	"$FILL_OUTBOX" "$OB/ob3" 200
	flush "$OB/ob3" > /dev/null
	# mosquitto writes a change on its loop pass after the PUBACK's
	# (production/mosquitto.conf: "the loss window is the few milliseconds
	# between the PUBACK and the write"), and raksha-publish exits within
	# them since it no longer waits for paho's threads: the kill comes
	# after the broker's next write (2 s at most: with the development
	# config's autosave_interval 60 none comes).
	: > "$W/flushed"
	wait_until 2 saved_since "$W/flushed" || true
	broker_kill
	broker_respawn "$BROKER_DIR" || bail "mosquitto did not come back"
	start_agent "$1"
	wait_until 3 at_least 200 reports || settle
	OFFLINE_GOT=$(reports)
	stop_agent
}
offline_kill offline
is "$OFFLINE_GOT" 200 "production settings: 200 reports queued for an offline agent survive a SIGKILL right after their PUBACKs"
broker_stop
broker_start
trap_cleanup
offline_kill offline-dev
echo "# development config (autosave_interval 60): $((200 - OFFLINE_GOT)) of 200 reports queued for an offline agent lost to a SIGKILL within 60 s of the last save"
broker_stop
ok "no sanitizer report from any agent or publisher" clean_logs "$W"/*.err
done_testing
