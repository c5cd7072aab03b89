# Helpers for the suites that run raksha-desk beside a real agent. Source
# after broker.sh and agent.sh; they use W (the suite's folder), DB and
# BROKER_PORT, and set PORT, URL and DESKPID (also in $W/desk.pid, for a
# browser script that restarts it).

# desk_conf [DESK-LINE ...]: the agent's configuration with a [desk]
# section; the agent subscribes to DESK_FILTERS (reports and acks unless set).
desk_conf() {
	agent_conf mp-bhopal-grp-1 "${DESK_FILTERS:-raksha/v1/+/+/+/report raksha/v1/+/+/+/ack}" "unit = GRP Bhopal" \
		"outbox = $W/outbox"
	printf '[desk]\nusers = %s\n' "$W/users"
	for line in "$@"; do printf '%s\n' "$line"; done
}

# desk_pub ARG...: raksha-publish on the suite's broker, its own outbox.
desk_pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" "$@"; }

# desk_start EXTRA-LINE...: the desk on a random free port, its config in
# $W/$DESK_NAME.conf, its log in $W/$DESK_NAME.log, its pid in
# $W/$DESK_NAME.pid (DESK_NAME: "desk" unless set, for a second desk); 0
# once it listens (URL https://... when it has tls_cert).
desk_start() {
	n=${DESK_NAME:-desk}
	for _ in $(seq 20); do
		PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
		desk_conf "listen = 127.0.0.1:$PORT" "$@" > "$W/$n.conf"
		: > "$W/$n.log"
		"$RAKSHA_DESK" --config "$W/$n.conf" 2> "$W/$n.log" &
		DESKPID=$!
		for _ in $(seq 50); do
			if grep -q "listening on" "$W/$n.log"; then
				URL=http://127.0.0.1:$PORT
				grep -q "listening on https" "$W/$n.log" && URL=https://127.0.0.1:$PORT
				echo "$DESKPID" > "$W/$n.pid"
				return 0
			fi
			kill -0 "$DESKPID" 2>/dev/null || break
			sleep 0.1
		done
		wait "$DESKPID" 2>/dev/null
		DESKPID=
	done
	return 1
}

# desk_stop: SIGTERM to the desk; its exit status.
desk_stop() {
	kill "$DESKPID"
	wait "$DESKPID"
	rc=$?
	DESKPID=
	return "$rc"
}

# desk_kill_all: the desk, and any the browser script started in its place.
desk_kill_all() {
	[ -n "$DESKPID" ] && kill "$DESKPID" 2>/dev/null && wait "$DESKPID" 2>/dev/null
	[ -s "$W/desk.pid" ] && kill "$(cat "$W/desk.pid")" 2>/dev/null
	DESKPID=
}

# desk_tap FILE: a browser script's "1 WHAT" / "0 WHAT" lines as TAP.
desk_tap() {
	while read -r result description; do
		case $result in
		1) ok "$description" true ;;
		0) ok "$description" false ;;
		*) echo "$result $description" ;;
		esac
	done < "$1"
}
