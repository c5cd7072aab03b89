#!/bin/bash
# federation.sh: bridged state brokers on loopback, from the templates
# beside this script (README.md): a throwaway CA, then
#   hub shape (default): a national hub (TLS only, client certificates) and
#     two state brokers, MP and UP, each bridged to it;
#   neighbour shape: MP bridged straight to UP, no hub.
#
#   federation.sh start DIR [hub|neighbour]  start them; wait until every bridge is subscribed
#   federation.sh stop DIR                   stop them all
#   federation.sh stop-node DIR NAME         stop one broker (hub, mp, up)
#   federation.sh start-node DIR NAME        start it again on its ports; wait for its bridges
#   federation.sh status DIR                 each broker: running or stopped, its URL
#
# State brokers are the embedded default (broker-config/dev/: a plaintext
# loopback listener for their local units) plus a bridge; the hub, and UP's
# bridge listener in the neighbour shape, take TLS only. Certificates go to
# DIR/ca (make-test-ca.sh: ca.crt, hub, mp, up), each broker's
# configuration, state and log to DIR/NAME/. start writes DIR/federation.env
# (SHAPE, HUB_PORT, MP_PORT, UP_PORT, UP_BRIDGE_PORT, CA; sourceable) and
# prints one URL per broker. Waits are bounded: FEDERATION_TIMEOUT seconds
# (default 30). Exit 0 ok, 1 failed, 64 usage.
set -u
here=$(cd "$(dirname "$0")" && pwd)
config=$(cd "$here/.." && pwd)
timeout_s=${FEDERATION_TIMEOUT:-30}
# Reconnect quickly on loopback; a real bridge backs off further (README.md).
restart=${FEDERATION_RESTART:-1 2}
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
usage() {
	sed -n '8,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 64
}
say() { echo "federation.sh: $*" >&2; }

# listening PORT: something accepts connections on 127.0.0.1:PORT.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
random_port() { echo $(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 )); }

pid_of() { cat "$DIR/$1/pid" 2>/dev/null; }
running() { p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

nodes() { if [ "$SHAPE" = hub ]; then echo hub up mp; else echo up mp; fi; }
port_of() {
	case $1 in hub) echo "$HUB_PORT" ;; mp) echo "$MP_PORT" ;; up) echo "$UP_PORT" ;; esac
}
# links: DIALLER:ACCEPTOR for every bridge of the shape.
links() { if [ "$SHAPE" = hub ]; then echo mp:hub up:hub; else echo mp:up; fi; }

# subs ACCEPTOR DIALLER: how many times the acceptor logged the dialler's
# bridge taking its last in topic (once a connection; the last in line of
# the dialler's configuration): from then on the bridge's whole topic plan
# is in place.
subs() {
	t=$(sed -n 's/^topic \([^ ]*\) in 1$/\1/p' "$DIR/$2/mosquitto.conf" | tail -n 1)
	c=$(grep -cF " raksha-bridge-$2 1 $t" "$DIR/$1/mosquitto.log" 2>/dev/null)
	echo "${c:-0}"
}

fill() {  # TEMPLATE: stdout, every placeholder filled for node $n
	sed -e "s|@PORT@|$(port_of "$n")|g" -e "s|@BIND@|127.0.0.1|g" -e "s|@USER@|$(id -un)|g" \
		-e "s|@STATE_DIR@|$DIR/$n|g" -e "s|@LOG_DEST@|file $DIR/$n/mosquitto.log|g" \
		-e "s|@CA@|$DIR/ca/ca.crt|g" -e "s|@CERT@|$DIR/ca/$n.crt|g" -e "s|@KEY@|$DIR/ca/$n.key|g" \
		-e "s|@ACL@|$here/hub.acl|g" -e "s|@STATE@|$n|g" -e "s|@RESTART@|$restart|g" \
		-e "s|@HUB_HOST@|127.0.0.1|g" -e "s|@HUB_PORT@|${HUB_PORT:-}|g" \
		-e "s|@PEER@|up|g" -e "s|@PEER_HOST@|127.0.0.1|g" -e "s|@PEER_PORT@|${UP_BRIDGE_PORT:-}|g" \
		-e "s|@BRIDGE_PORT@|${UP_BRIDGE_PORT:-}|g" "$1"
}

write_config() {
	n=$1
	mkdir -p "$DIR/$n"
	case $SHAPE/$n in
	hub/hub) fill "$here/hub.conf.in" ;;
	hub/*) { fill "$config/dev/mosquitto.conf.in"; fill "$here/state-hub.conf.in"; } ;;
	neighbour/up) { fill "$config/dev/mosquitto.conf.in"; fill "$here/neighbour-listener.conf.in"; } ;;
	neighbour/mp) { fill "$config/dev/mosquitto.conf.in"; fill "$here/neighbour.conf.in"; } ;;
	esac > "$DIR/$n/mosquitto.conf"
}

# launch NAME: starts its mosquitto; 0 once it runs and listens, 1 if it
# exited (a port taken meanwhile, a bad configuration: its log says).
launch() {
	: > "$DIR/$1/mosquitto.log"
	"$mosquitto" -c "$DIR/$1/mosquitto.conf" < /dev/null >> "$DIR/$1/mosquitto.log" 2>&1 &
	echo $! > "$DIR/$1/pid"
	for _ in $(seq 100); do
		running "$1" || return 1
		grep -q " running" "$DIR/$1/mosquitto.log" && return 0
		sleep 0.05
	done
	return 1
}

# stop_node NAME...: SIGTERM (mosquitto writes its state and exits, which
# takes a second or two with bridges), SIGKILL after 10 s.
stop_node() {
	pids=
	for n in "$@"; do
		p=$(pid_of "$n") && [ -n "$p" ] && kill -TERM "$p" 2>/dev/null && pids="$pids $p"
	done
	for p in $pids; do
		for _ in $(seq 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$p" 2>/dev/null
	done
	for n in "$@"; do rm -f "$DIR/$n/pid"; done
}

# wait_links DEADLINE NAME...: every bridge from or to one of the NAMEs,
# whose other end runs, has subscribed more often than before_DIALLER
# says. A link to a stopped broker connects when that broker starts.
wait_links() {
	deadline=$1; shift
	for l in $(links); do
		d=${l%%:*} a=${l#*:}
		case " $* " in *" $d "*|*" $a "*) ;; *) continue ;; esac
		running "$d" && running "$a" || continue
		eval "b=\${before_$d:-0}"
		until [ "$(subs "$a" "$d")" -gt "$b" ]; do
			running "$d" && running "$a" || return 2
			[ "$(date +%s)" -ge "$deadline" ] && return 1
			sleep 0.1
		done
	done
	return 0
}
count_links() {
	for l in $(links); do
		d=${l%%:*} a=${l#*:}
		eval "before_$d=$(subs "$a" "$d")"
	done
}

show_logs() {
	for n in $(nodes); do
		say "$n's log (last 10 lines):"
		tail -n 10 "$DIR/$n/mosquitto.log" 2>/dev/null | sed 's/^/  /' >&2
	done
}

url_of() {
	case $SHAPE/$1 in hub/hub) echo "mqtts://127.0.0.1:$HUB_PORT" ;; *) echo "mqtt://127.0.0.1:$(port_of "$1")" ;; esac
}

write_env() {
	{
		echo "SHAPE=$SHAPE"
		echo "HUB_PORT=${HUB_PORT:-} MP_PORT=$MP_PORT UP_PORT=$UP_PORT UP_BRIDGE_PORT=${UP_BRIDGE_PORT:-}"
		echo "CA=$DIR/ca/ca.crt"
	} > "$DIR/federation.env"
}
load_env() {
	[ -f "$DIR/federation.env" ] || { say "no federation in $DIR (start it first)"; exit 1; }
	. "$DIR/federation.env"
}

make_certs() {
	for n in hub mp up; do
		[ -s "$DIR/ca/$n.crt" ] && continue
		"$config/make-test-ca.sh" "$DIR/ca" "$n" > /dev/null || { say "make-test-ca.sh failed"; exit 1; }
	done
}

start() {
	for n in hub mp up; do running "$n" && { say "$n already runs in $DIR"; exit 1; }; done
	[ -x "$mosquitto" ] || { say "mosquitto not found (apt-get install mosquitto)"; exit 1; }
	make_certs
	deadline=$(( $(date +%s) + timeout_s ))
	HUB_PORT= UP_BRIDGE_PORT=
	# Accepting brokers first, so that bridges connect at once. A port
	# taken between the check and the start makes mosquitto exit: retry.
	for n in $(nodes); do
		ok=
		for _ in $(seq 20); do
			p=$(random_port)
			listening "$p" && continue
			case $n in
			hub) HUB_PORT=$p ;;
			mp) MP_PORT=$p ;;
			up) UP_PORT=$p
				if [ "$SHAPE" = neighbour ]; then
					UP_BRIDGE_PORT=$(random_port)
					{ [ "$UP_BRIDGE_PORT" = "$p" ] || listening "$UP_BRIDGE_PORT"; } && continue
				fi ;;
			esac
			write_config "$n"
			if launch "$n"; then ok=1; break; fi
			stop_node "$n"
		done
		[ -n "$ok" ] || { show_logs; say "$n did not start on a free loopback port"; stop_all; exit 1; }
	done
	write_env
	for l in $(links); do eval "before_${l%%:*}=0"; done
	wait_links "$deadline" $(nodes)
	case $? in
	0)	for n in $(nodes); do echo "$n $(url_of "$n")"; done
		return 0 ;;
	1)	show_logs; say "the bridges did not connect within ${timeout_s}s" ;;
	2)	show_logs; say "a broker exited" ;;
	esac
	stop_all
	exit 1
}

stop_all() { stop_node mp up hub; }

start_node() {
	n=$1
	running "$n" && { say "$n already runs"; exit 1; }
	count_links
	# The acceptor's log starts empty: its counts start from zero.
	for l in $(links); do [ "${l#*:}" = "$n" ] && eval "before_${l%%:*}=0"; done
	launch "$n" || { show_logs; say "$n did not start again (its ports taken?)"; exit 1; }
	wait_links $(( $(date +%s) + timeout_s )) "$n" || { show_logs; say "$n's bridges did not come back"; exit 1; }
}

status() {
	bad=0
	for n in $(nodes); do
		if running "$n"; then s="running (pid $(pid_of "$n"))"; else s=stopped; bad=1; fi
		echo "$n: $(url_of "$n") $s"
	done
	return $bad
}

[ $# -ge 2 ] || usage
cmd=$1 DIR=$2
case $cmd in
start)
	[ $# -le 3 ] || usage
	SHAPE=${3:-hub}
	case $SHAPE in hub|neighbour) ;; *) usage ;; esac
	mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd) || exit 1
	start ;;
stop)
	[ $# -eq 2 ] || usage
	[ -d "$DIR" ] || exit 0
	stop_all ;;
status)
	[ $# -eq 2 ] || usage
	load_env
	status ;;
stop-node|start-node)
	[ $# -eq 3 ] || usage
	load_env
	case " $(nodes) " in *" $3 "*) ;; *) say "no broker $3 in the $SHAPE shape"; exit 64 ;; esac
	if [ "$cmd" = stop-node ]; then stop_node "$3"; else start_node "$3"; fi ;;
*)	usage ;;
esac
