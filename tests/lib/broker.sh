# A real mosquitto for one test suite, on a free loopback port, from the
# embedded default configuration. Source it after tap.sh; needs
# RAKSHA_SOURCE_ROOT. Sets BROKER_PORT and BROKER_DIR (a private folder the
# suite may use too); broker and folder go when the suite's shell exits.
. "$RAKSHA_SOURCE_ROOT/scripts/dev-broker.sh"

broker_start() {
	BROKER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/raksha-broker.XXXXXX")
	trap broker_stop EXIT
	if ! dev_broker_start "$BROKER_DIR"; then
		sed 's/^/# /' "$BROKER_DIR/mosquitto.log"
		bail "mosquitto did not start on a free loopback port"
	fi
}

broker_stop() {
	dev_broker_stop
	[ -n "${BROKER_DIR:-}" ] && rm -rf "$BROKER_DIR"
	return 0
}
