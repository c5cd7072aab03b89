#!/bin/bash
# cluster.sh: a 3-node NATS cluster with JetStream and MQTT on loopback, from
# node.conf.in beside this script (see README.md there).
#
#   cluster.sh start DIR [BASE_PORT]   start n1, n2, n3; wait until usable
#   cluster.sh stop DIR                stop all three
#   cluster.sh status DIR              each node: running, healthy, its ports
#   cluster.sh stop-node DIR N [kill]  stop node N (1..3); "kill": SIGKILL
#   cluster.sh start-node DIR N        start node N again, wait until current
#
# Node N's ports are BASE_PORT + 4(N-1) + 0 client, 1 cluster, 2 MQTT,
# 3 monitoring; without BASE_PORT a random free block from 20000 up to the
# kernel's ephemeral ports (32768) is used, or the one of the cluster DIR
# held before (which then resumes with its state). State, configs and logs
# go to DIR/nN/. start writes DIR/cluster.env (NODEn_MQTT=port ...,
# sourceable) and DIR/urls (the three mqtt:// URLs) and prints the URLs.
# Waits are bounded: CLUSTER_TIMEOUT seconds (default 40) for start and
# start-node. Exit 0 ok, 1 failed, 64 usage.
set -u
here=$(cd "$(dirname "$0")" && pwd)
template=${CLUSTER_TEMPLATE:-$here/node.conf.in}
timeout_s=${CLUSTER_TIMEOUT:-40}
nats=$(command -v nats-server || echo /usr/sbin/nats-server)

usage() {
	sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 64
}

port_of() { echo $((BASE + 4 * ($1 - 1) + $2)); }  # node, 0..3

# listening PORT: something accepts connections on 127.0.0.1:PORT.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_get PORT PATH: the body of a monitoring endpoint, or nothing.
http_get() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
		timeout 3 cat <&3 | sed '1,/^\r\{0,1\}$/d'
	) 2>/dev/null
}

# healthy N [QUERY]: node N's /healthz says ok. Alone: the meta leader is
# known and every stream and consumer the node holds is current (caught up);
# with js-server-only=true: the meta leader is known and the node current.
healthy() { case $(http_get "$(port_of "$1" 3)" "/healthz${2:+?$2}") in *'"status":"ok"'*) return 0 ;; esac; return 1; }

pid_of() { cat "$DIR/n$1/pid" 2>/dev/null; }
running() { p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# mqtt_probe N: a QoS 1 PUBLISH to node N is acknowledged, which needs the
# node's MQTT streams to exist and JetStream to store on a quorum.
mqtt_probe() {
	timeout 6 mosquitto_pub -h 127.0.0.1 -p "$(port_of "$1" 2)" -q 1 -i "raksha-cluster-probe-n$1" \
		-t raksha-cluster/probe -m probe > /dev/null 2>&1
}

write_config() {
	n=$1 d=$DIR/n$1
	mkdir -p "$d"
	routes=
	for m in 1 2 3; do routes="$routes${routes:+, }nats-route://127.0.0.1:$(port_of $m 1)"; done
	sed -e "s|@NAME@|n$n|" -e "s|@CLIENT_PORT@|$(port_of "$n" 0)|" \
		-e "s|@CLUSTER_PORT@|$(port_of "$n" 1)|" -e "s|@MQTT_PORT@|$(port_of "$n" 2)|" \
		-e "s|@HTTP_PORT@|$(port_of "$n" 3)|" -e "s|@ROUTES@|$routes|" \
		-e "s|@STORE_DIR@|$d|" -e "s|@NODE_DIR@|$d|" "$template" > "$d/nats.conf"
}

launch() {
	d=$DIR/n$1
	"$nats" -c "$d/nats.conf" < /dev/null >> "$d/nats.log" 2>&1 &
	echo $! > "$d/pid"
}

# wait_ready DEADLINE QUERY NODE...: each node runs, is healthy (QUERY as
# for healthy) and acknowledges an MQTT QoS 1 PUBLISH. 1 on timeout, 2 if a
# node exited.
wait_ready() {
	deadline=$1 query=$2; shift 2
	for n in "$@"; do
		until running "$n" && healthy "$n" "$query" && mqtt_probe "$n"; do
			for m in "$@"; do running "$m" || return 2; done
			[ "$(date +%s)" -ge "$deadline" ] && return 1
			sleep 0.2
		done
	done
	return 0
}

# stop_nodes SIGNAL N...: signals the nodes at once (one by one, the last
# ones take long to leave a cluster that has lost its quorum), waits up to
# 10 s for them to exit, then kills what is left.
stop_nodes() {
	sig=$1; shift
	pids=
	for n in "$@"; do
		p=$(pid_of "$n") && [ -n "$p" ] && kill "-$sig" "$p" 2>/dev/null && pids="$pids $p"
		rm -f "$DIR/n$n/pid"
	done
	for _ in $(seq 100); do
		left=
		for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
	return 0
}

show_logs() {
	for n in 1 2 3; do
		echo "cluster.sh: n$n's log (last 15 lines):" >&2
		tail -n 15 "$DIR/n$n/nats.log" 2>/dev/null | sed 's/^/  /' >&2
	done
}

write_env() {
	: > "$DIR/urls"
	{
		echo "CLUSTER_BASE_PORT=$BASE"
		for n in 1 2 3; do
			echo "NODE${n}_CLIENT=$(port_of $n 0) NODE${n}_CLUSTER=$(port_of $n 1) NODE${n}_MQTT=$(port_of $n 2) NODE${n}_HTTP=$(port_of $n 3)"
			echo "mqtt://127.0.0.1:$(port_of $n 2)" >> "$DIR/urls"
		done
	} > "$DIR/cluster.env"
}

load_env() {
	[ -f "$DIR/cluster.env" ] || { echo "cluster.sh: no cluster in $DIR (start it first)" >&2; exit 1; }
	BASE=$(sed -n 's/^CLUSTER_BASE_PORT=//p' "$DIR/cluster.env")
}

start() {
	for n in 1 2 3; do
		running "$n" && { echo "cluster.sh: n$n already runs in $DIR" >&2; exit 1; }
	done
	[ -x "$nats" ] || { echo "cluster.sh: nats-server not found (apt-get install nats-server)" >&2; exit 1; }
	deadline=$(( $(date +%s) + timeout_s ))
	# Below the kernel's ephemeral ports: the nodes' own connections to each
	# other take those, and could hold a port another node is about to bind.
	top=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	top=$(( ${top:-32768} > 21000 ? ${top:-32768} - 12 : 59988 ))
	tries=0
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		if [ -n "$want" ]; then
			BASE=$want
		else
			BASE=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % (top - 20000) ))
		fi
		busy=
		for n in 1 2 3; do for k in 0 1 2 3; do listening "$(port_of $n $k)" && busy=1; done; done
		if [ -n "$busy" ]; then
			[ -n "$want" ] && { echo "cluster.sh: a port in $BASE..$((BASE + 11)) is taken" >&2; exit 1; }
			continue
		fi
		for n in 1 2 3; do write_config "$n"; : > "$DIR/n$n/nats.log"; done
		for n in 1 2 3; do launch "$n"; done
		wait_ready "$deadline" js-server-only=true 1 2 3
		case $? in
		0)	write_env
			cat "$DIR/urls"
			return 0 ;;
		1)	show_logs
			echo "cluster.sh: not ready within ${timeout_s}s" >&2
			stop_nodes KILL 1 2 3
			exit 1 ;;
		esac
		# A node exited: most likely a port someone took meanwhile.
		stop_nodes KILL 1 2 3
		if [ -n "$want" ] || [ "$(date +%s)" -ge "$deadline" ]; then
			show_logs
			echo "cluster.sh: a node exited at start" >&2
			exit 1
		fi
		rm -rf "$DIR/n1" "$DIR/n2" "$DIR/n3"
	done
	echo "cluster.sh: no free block of 12 loopback ports found" >&2
	exit 1
}

status() {
	bad=0
	for n in 1 2 3; do
		if ! running "$n"; then
			state=stopped; bad=1
		elif healthy "$n"; then
			state="running (pid $(pid_of "$n")), healthy"
		else
			state="running (pid $(pid_of "$n")), NOT healthy: $(http_get "$(port_of $n 3)" /healthz)"; bad=1
		fi
		echo "n$n: mqtt://127.0.0.1:$(port_of $n 2) $state"
	done
	return $bad
}

[ $# -ge 2 ] || usage
cmd=$1 DIR=$2 want=${3:-}
case $cmd in
start)
	[ $# -le 3 ] || usage
	case $want in ''|[0-9]*) ;; *) usage ;; esac
	mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd) || exit 1
	# A folder used before: the same cluster again, its ports and its state.
	[ -z "$want" ] && [ -f "$DIR/cluster.env" ] && want=$(sed -n 's/^CLUSTER_BASE_PORT=//p' "$DIR/cluster.env")
	start ;;
stop)
	[ $# -eq 2 ] || usage
	stop_nodes TERM 1 2 3 ;;
status)
	[ $# -eq 2 ] || usage
	load_env
	status ;;
stop-node|start-node)
	case $want in 1|2|3) ;; *) usage ;; esac
	load_env
	if [ "$cmd" = stop-node ]; then
		case ${4:-} in '') stop_nodes TERM "$want" ;; kill) stop_nodes KILL "$want" ;; *) usage ;; esac
	else
		running "$want" && { echo "cluster.sh: n$want already runs" >&2; exit 1; }
		launch "$want"
		wait_ready $(( $(date +%s) + timeout_s )) "" "$want" || { show_logs; echo "cluster.sh: n$want not ready" >&2; exit 1; }
	fi ;;
*)	usage ;;
esac
