# The embedded default broker: mosquitto from broker-config/dev/mosquitto.conf.in
# on a loopback port. Sourced by scripts/run and by the integration tests.
# Needs RAKSHA_SOURCE_ROOT.

# dev_broker_start DIR [PORT]: starts mosquitto with its state in DIR, on PORT
# if given and free, else on a random free port in 20000..59999, from the
# template $BROKER_TEMPLATE (default: the embedded default above). Sets
# BROKER_PORT and BROKER_PID. Returns 0 once it listens, 1 if it never did
# (its log is then in DIR/mosquitto.log).
dev_broker_start() {
	BROKER_DIR=$1
	want=${2:-}
	mkdir -p "$BROKER_DIR"
	tries=0
	while [ $tries -lt 20 ]; do
		tries=$((tries + 1))
		if [ -n "$want" ] && [ $tries -eq 1 ]; then
			BROKER_PORT=$want
		else
			BROKER_PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
		fi
		sed -e "s|@PORT@|$BROKER_PORT|" -e "s|@STATE_DIR@|$BROKER_DIR|" -e "s|@USER@|$(id -un)|" \
			"${BROKER_TEMPLATE:-$RAKSHA_SOURCE_ROOT/broker-config/dev/mosquitto.conf.in}" \
			> "$BROKER_DIR/mosquitto.conf"
		: > "$BROKER_DIR/mosquitto.log"
		mosquitto -c "$BROKER_DIR/mosquitto.conf" 2>>"$BROKER_DIR/mosquitto.log" &
		BROKER_PID=$!
		echo "$BROKER_PID" > "$BROKER_DIR/mosquitto.pid"
		# Ready when it logs "running" and still runs; a taken port makes it exit.
		for _ in $(seq 50); do
			if grep -q " running" "$BROKER_DIR/mosquitto.log" && kill -0 "$BROKER_PID" 2>/dev/null; then
				return 0
			fi
			kill -0 "$BROKER_PID" 2>/dev/null || break
			sleep 0.1
		done
		dev_broker_stop
	done
	return 1
}

dev_broker_stop() {
	# The pid file names the running broker, ours or one that
	# tests/lib/restart-broker.sh started in its place.
	if [ -n "${BROKER_DIR:-}" ] && [ -f "$BROKER_DIR/mosquitto.pid" ]; then
		_bpid=$(cat "$BROKER_DIR/mosquitto.pid")
		kill "$_bpid" 2>/dev/null || true
		# Not a child to wait for once restarted: until it has gone, it
		# may still write its state into the folder about to be removed.
		for _ in $(seq 100); do kill -0 "$_bpid" 2>/dev/null || break; sleep 0.05; done
		rm -f "$BROKER_DIR/mosquitto.pid"
	fi
	if [ -n "${BROKER_PID:-}" ]; then
		kill "$BROKER_PID" 2>/dev/null || true
		wait "$BROKER_PID" 2>/dev/null || true
		BROKER_PID=
	fi
	return 0
}
