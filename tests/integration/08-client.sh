#!/bin/sh
# 08: libraksha's client against a real mosquitto (tests/integration/client-test.c).
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
broker_start
RAKSHA_TEST_URL="mqtt://127.0.0.1:$BROKER_PORT" \
RAKSHA_TEST_RESTART="$RAKSHA_SOURCE_ROOT/tests/lib/restart-broker.sh $BROKER_DIR 2" \
	timeout 90 "$CLIENT_TEST"
