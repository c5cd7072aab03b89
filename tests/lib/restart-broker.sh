#!/bin/sh
# restart-broker.sh DIR [PAUSE]: stops the mosquitto of a suite (tests/lib/broker.sh)
# with SIGTERM, waits PAUSE seconds (default 0) with no broker at all, and
# starts it again on the same port, configuration and persistent state.
set -u
dir=$1 pause=${2:-0}
pid=$(cat "$dir/mosquitto.pid")
kill "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
sleep "$pause"
: > "$dir/mosquitto.log"
mosquitto -c "$dir/mosquitto.conf" 2>>"$dir/mosquitto.log" &
echo $! > "$dir/mosquitto.pid"
for _ in $(seq 50); do grep -q " running" "$dir/mosquitto.log" && exit 0; sleep 0.1; done
echo "restart-broker: mosquitto did not come back" >&2
exit 1
