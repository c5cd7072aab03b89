#!/bin/sh
# 11: raksha-agent as a systemd service: the unit passes systemd-analyze
# verify, and the agent speaks sd_notify (READY=1, WATCHDOG=1 at half the
# watchdog interval, STOPPING=1 on SIGTERM) on a real notify socket.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/notify.sh"
broker_start
W=$BROKER_DIR

# The unit as installed, pointed at this build's binary so that verify can
# check the commands exist.
sed -e "s|^ExecStartPre=[^ ]*|ExecStartPre=$RAKSHA_AGENT|" -e "s|^ExecStart=[^ ]*|ExecStart=$RAKSHA_AGENT|" \
	"$RAKSHA_BUILD_ROOT/subscriber/agent/raksha-agent.service" > "$W/raksha-agent.service"
out=$(systemd-analyze verify --man=no "$W/raksha-agent.service" 2>&1); rc=$?
is "$rc" 0 "systemd-analyze verify accepts the unit"
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
unit=$(cat "$W/raksha-agent.service")
for want in "Type=notify" "WatchdogSec=" "Restart=on-failure" "StateDirectory=raksha" "User=raksha" \
	"ProtectSystem=strict" "NoNewPrivileges=yes"; do
	contains "$unit" "$want" "the unit has $want"
done

# A notify socket that records what the agent says.
notify_listen "$W/notify" "$W/said" 20 || bail "no notify socket"
LISTENER=$NOTIFY_LISTENER
DB=$W/agent.db
agent_conf mp-bhopal-grp-svc "raksha/v1/mp/#" > "$W/agent.conf"
NOTIFY_SOCKET=$W/notify WATCHDOG_USEC=400000 "$RAKSHA_AGENT" --config "$W/agent.conf" 2>/dev/null &
AGENT=$!
for _ in $(seq 50); do grep -q "WATCHDOG=1" "$W/said" 2>/dev/null && break; sleep 0.1; done
kill -TERM "$AGENT"
wait "$AGENT"; rc=$?
wait "$LISTENER"
said=$(cat "$W/said")
is "$rc" 0 "SIGTERM under systemd: exit 0"
contains "$said" "READY=1" "said READY=1"
contains "$said" "WATCHDOG=1" "pinged the watchdog"
contains "$said" "STOPPING=1" "said STOPPING=1 on SIGTERM"
done_testing
