#!/bin/sh
# 04: the README's run command on the embedded default: it starts the
# development broker, a district agent and its web desk (with a demo
# account), shows a report published through them, logs it, and cleans up.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-04.XXXXXX")
trap 'rm -rf "$W"' EXIT

out=$(RAKSHA_BUILD_DIR="$RAKSHA_BUILD_ROOT" RAKSHA_RUN_DIR="$W/run" RAKSHA_PORT=${RAKSHA_TEST_PORT:-} \
	timeout 60 "$RAKSHA_SOURCE_ROOT/scripts/run" --once --no-build 2>&1); rc=$?
is "$rc" 0 "scripts/run --once exits 0"
contains "$out" "development broker on mqtt://127.0.0.1:" "says where the broker listens"
contains "$out" 'REPORT mp/vidisha/childline  सीमा कुमारी, 9, F, last seen BPL 12627 coach S4' \
	"the agent shows the report as it arrives, the name in Devanagari"
is "$(sqlite3 "$W/run/agent.db" "SELECT child_name || '|' || status FROM cases")" "सीमा कुमारी|open" \
	"the agent logged it in its database"
ok "broker state kept in the run folder" test -f "$W/run/broker/mosquitto.log"
port=$(printf '%s\n' "$out" | sed -n 's/.*mqtt:\/\/127.0.0.1:\([0-9]*\).*/\1/p' | head -1)
sleep 0.3
ok "broker stopped afterwards" sh -c "! mosquitto_pub -h 127.0.0.1 -p '$port' -t x -m y 2>/dev/null"
contains "$out" "web desk on http://127.0.0.1:" "says where the web desk listens"
desk=$(printf '%s\n' "$out" | sed -n 's/.*web desk on \(http:[^ ]*\) (log in as demo, password \([0-9a-f]*\);.*/\1 \2/p')
is "$(printf '%s' "$desk" | wc -w | tr -d ' ')" 2 "  and the demo account's password"
is "$(sed -n 's/^demo\t\([a-z]*\)\t.*/\1/p' "$W/run/desk-users")" officer "  which it made in the accounts file"
ok "the desk stopped afterwards" sh -c "! curl -s -m 2 '${desk%% *}/login' > /dev/null"
done_testing
