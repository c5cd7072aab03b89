# A real nats-server (JetStream, MQTT) for one suite, on free loopback ports
# (21, 24, 29). Source after tap.sh; needs W, the suite's folder; the suite
# stops it (kill "$NATS").
#
# nats_start CONF [ARG ...]: picks CLIENT_PORT and MQTT_PORT, runs CONF ARG
# ... to write $W/nats.conf with them, starts nats-server (its log in
# $W/nats.log) and sets NATS to its pid once it listens for MQTT clients;
# another two ports if these were taken, and a bail-out after 5 tries.
nats_port() { echo $(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 )); }

nats_start() {
	command -v nats-server > /dev/null || bail "nats-server is not installed (scripts/debian-packages)"
	for _ in 1 2 3 4 5; do
		CLIENT_PORT=$(nats_port) MQTT_PORT=$(nats_port)
		"$@"
		nats-server -c "$W/nats.conf" > "$W/nats.log" 2>&1 &
		NATS=$!
		for _ in $(seq 50); do
			grep -q "Listening for MQTT clients" "$W/nats.log" && return 0
			kill -0 "$NATS" 2>/dev/null || break
			sleep 0.1
		done
		kill "$NATS" 2>/dev/null; wait "$NATS" 2>/dev/null
	done
	bail "nats-server did not start"
}
