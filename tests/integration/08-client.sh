#!/bin/sh
# 08: libraksha's client against a real mosquitto: PUBACKs, checked
# delivery, refusal without acknowledgement, persistent sessions,
# reconnection with resubscription (tests/integration/client-test.c), and
# presence: a retained "online" and a Will that says "offline" when the
# process dies.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
broker_start
export RAKSHA_TEST_URL="mqtt://127.0.0.1:$BROKER_PORT"
PRESENCE=raksha/v1/mp/bhopal/grp/agent/mp-bhopal-grp-1
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }

"$CLIENT_TEST" presence-child > "$BROKER_DIR/child.out" &
CHILD=$!
for _ in $(seq 100); do grep -q online "$BROKER_DIR/child.out" && break; sleep 0.1; done
on=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "$PRESENCE" -C 1 -W 5 -F '%r %x')
is "${on%% *}" 1 "presence is retained"
contains "$(printf '%s' "${on#* }" | unhex | "$RAKSHA_INSPECT" --topic "$PRESENCE")" '"online":true' \
	"a new subscriber learns the agent is online"
kill -KILL "$CHILD"
wait "$CHILD" 2>/dev/null
# The broker notices the dead connection (socket closed) and publishes the Will.
off=
for _ in $(seq 50); do
	off=$(mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -t "$PRESENCE" -C 1 -W 2 -F '%x')
	case $(printf '%s' "$off" | unhex | "$RAKSHA_INSPECT" --topic "$PRESENCE") in
	*'"online":true'*) sleep 0.2 ;;
	*) break ;;
	esac
done
json=$(printf '%s' "$off" | unhex | "$RAKSHA_INSPECT" --topic "$PRESENCE")
contains "$json" '"agent_id":"mp-bhopal-grp-1"' "after SIGKILL the retained presence is the Will"
ok "and it says offline" sh -c "! printf '%s' '$json' | grep -q '\"online\":true'"

# The client's own checks, numbered on after ours.
RAKSHA_TEST_RESTART="$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh $BROKER_DIR 2" \
	timeout 90 "$CLIENT_TEST" > "$BROKER_DIR/client.tap"
rc=$?
awk -v n="$tap_n" '/^(not )?ok [0-9]+/ { c = ($1 == "not") ? 3 : 2; $c = $c + n; print; next }
	/^1\.\./ { next } { print }' "$BROKER_DIR/client.tap"
tap_n=$((tap_n + $(grep -c '^\(not \)\{0,1\}ok ' "$BROKER_DIR/client.tap")))
tap_failed=$((tap_failed + $(grep -c '^not ok ' "$BROKER_DIR/client.tap")))
[ "$rc" -eq 0 ] || [ "$tap_failed" -gt 0 ] || { echo "not ok $((tap_n += 1)) - client-test exited $rc"; tap_failed=1; }
done_testing
