# Helpers for the suites that run raksha-desk beside a real agent, most with
# a browser half (tests/integration/desk-*.py, on tests/lib/deskbrowser.py).
# Source it alone: it sources tap.sh, broker.sh and agent.sh. They use W
# (the suite's folder), DB and BROKER_PORT, and set PORT, URL and DESKPID
# (also in $W/desk.pid, for a browser script that restarts it).
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"

# desk_suite [TOOL ...]: bails unless chromium, chromedriver,
# python3-selenium and each TOOL are there (all in scripts/debian-packages,
# so CI has them: their absence is a failure); then the suite's broker, W
# its folder and DB the agent's database in it.
desk_suite() {
	for tool in /usr/bin/chromium /usr/bin/chromedriver "$@"; do
		command -v "$tool" > /dev/null || bail "$tool is missing (scripts/debian-packages)"
	done
	/usr/bin/python3 -c 'import selenium' 2> /dev/null || bail "python3-selenium is missing (scripts/debian-packages)"
	broker_start
	W=$BROKER_DIR
	DB=$W/agent.db
}

# desk_conf [DESK-LINE ...]: the agent's configuration with a [desk]
# section; the agent subscribes to DESK_FILTERS (reports and acks unless set).
desk_conf() {
	agent_conf mp-bhopal-grp-1 "${DESK_FILTERS:-raksha/v1/+/+/+/report raksha/v1/+/+/+/ack}" "unit = GRP Bhopal" \
		"outbox = $W/outbox"
	printf '[desk]\nusers = %s\n' "$W/users"
	for line in "$@"; do printf '%s\n' "$line"; done
}

# desk_user NAME [USER-ADD-OPTION ...]: the account NAME, its password
# desk-pass-1, in the accounts file $W/agent.conf names; bails if refused.
desk_user() {
	printf 'desk-pass-1\n' | "$RAKSHA_DESK" --config "$W/agent.conf" user add "$@" > /dev/null ||
		bail "user add $1 failed"
}

# desk_login NAME [PAGE]: logs NAME (password desk-pass-1) in by curl, its
# cookies in $W/jar; csrf: the session's CSRF token, read from PAGE
# (/report/new unless given).
desk_login() {
	rm -f "$W/jar"
	page=$(curl -s -c "$W/jar" -b "$W/jar" "$URL/login")
	tok=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
	curl -s -o /dev/null -c "$W/jar" -b "$W/jar" --data-urlencode "username=$1" \
		--data-urlencode "password=desk-pass-1" --data-urlencode "csrf=$tok" "$URL/login"
	csrf=$(curl -s -b "$W/jar" "$URL${2:-/report/new}" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' |
		head -1)
}

# desk_agent [CONF]: raksha-agent on CONF ($W/agent.conf unless given), its
# pid in AGENT and $W/agent.pid, its output in $W/agent.out and
# $W/agent.err; returns once it has made its database (bails if it does not).
desk_agent() {
	"$RAKSHA_AGENT" --config "${1:-$W/agent.conf}" --foreground > "$W/agent.out" 2> "$W/agent.err" &
	AGENT=$!
	echo "$AGENT" > "$W/agent.pid"
	wait_rows "SELECT count(*) FROM sqlite_master WHERE name = 'cases'" 1 || bail "the agent made no database"
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

# desk_cleanup: desk_kill_all, the agent (AGENT, and any the browser script
# started in its place: $W/agent.pid), the broker. For the suite's EXIT trap.
desk_cleanup() {
	desk_kill_all
	[ -n "${AGENT:-}" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	[ -s "$W/agent.pid" ] && kill "$(cat "$W/agent.pid")" 2>/dev/null
	broker_stop
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

# desk_browser SECONDS SCRIPT ARG...: tests/integration/SCRIPT under
# /usr/bin/python3, killed after SECONDS, its checks as TAP (desk_tap); its
# exit status in BROWSER_RC, its seconds in BROWSER_S, and when it failed
# the end of its stderr (not chromedriver's stack) as a comment. What it
# takes from the environment is exported by the suite.
desk_browser() {
	limit=$1 script=$2
	shift 2
	browser_t0=$(date +%s)
	timeout "$limit" /usr/bin/python3 "$RAKSHA_SOURCE_ROOT/tests/integration/$script" "$@" \
		> "$W/browser.out" 2> "$W/browser.err"
	BROWSER_RC=$?
	BROWSER_S=$(( $(date +%s) - browser_t0 ))
	desk_tap "$W/browser.out"
	[ "$BROWSER_RC" -eq 0 ] || tap_comment "$(grep -v '^#[0-9]* 0x' "$W/browser.err" | tail -20)"
}
