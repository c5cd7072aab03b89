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

# broker_start_acl DIR EXTRA USER...: a mosquitto in DIR/broker for the
# suites that test who may do what: a password file for the USERs, each
# one's password in DIR/USER.pw (0600), the ACL read from stdin into DIR/acl,
# persistence on and no queue limit; EXTRA holds the suite's own
# mosquitto.conf lines (may be empty). Sets BROKER_PORT and BROKER_DIR; the
# suite stops it (dev_broker_stop) in its own cleanup. Its variables start
# with b (sh has no locals).
broker_start_acl() {
	bdir=$1
	bextra=$2
	shift 2
	for buser in "$@"; do
		printf '%s-%s\n' "$buser" "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" > "$bdir/$buser.pw"
		if [ -e "$bdir/passwd" ]; then bc=; else bc=-c; fi
		mosquitto_passwd $bc -b "$bdir/passwd" "$buser" "$(cat "$bdir/$buser.pw")" ||
			bail "mosquitto_passwd"
		chmod 600 "$bdir/$buser.pw"
	done
	chmod 600 "$bdir/passwd"
	cat > "$bdir/acl"
	cat > "$bdir/mosquitto.conf.in" <<-CONF
	per_listener_settings false
	user @USER@
	listener @PORT@ 127.0.0.1
	allow_anonymous false
	password_file $bdir/passwd
	acl_file $bdir/acl
	persistence true
	persistence_location @STATE_DIR@/
	max_queued_messages 0
	log_dest file @STATE_DIR@/mosquitto.log
	log_type error
	log_type warning
	log_type notice
	log_type information
	$bextra
	CONF
	BROKER_TEMPLATE=$bdir/mosquitto.conf.in
	if ! dev_broker_start "$bdir/broker"; then
		sed 's/^/# /' "$bdir/broker/mosquitto.log" | head -n 20
		bail "mosquitto did not start"
	fi
}
