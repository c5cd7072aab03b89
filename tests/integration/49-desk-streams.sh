#!/bin/sh
# 46: what a desk connection holds (desk_http.c, docs/benchmarks.md, issue
# 19 part 6), by curl against a real agent on a real mosquitto: each
# connection's memory pool is 16 KiB, so headers of 4 KiB (twice a
# browser's) are served and 24 KiB of them get 431 (libmicrohttpd's
# default 32 KiB took them); a form body is read whole though its buffer
# is made only when a body comes (a login; a body over 32 KiB refused
# with 413); 50 browsers logged in from five loopback addresses hold
# /events open at once and each gets the event of a new report.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/desk.sh"
desk_suite curl
AGENT=
DESKPID=
CURLS=
trap 'for p in $CURLS; do kill "$p" 2>/dev/null; done; desk_cleanup' EXIT

desk_conf > "$W/agent.conf"
desk_user asha --full-name "Asha Verma"
desk_agent
desk_start || bail "raksha-desk did not start: $(cat "$W/desk.log")"
desk_pub --state mp --region bhopal --agency grp report --name "Seema" --age 9 > /dev/null
wait_rows "SELECT count(*) FROM cases WHERE child_name IS NOT NULL" 1 || bail "the agent stored no report"

pad() { head -c "$1" /dev/zero | tr '\0' a; }
code() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
is "$(code -H "X-Pad: $(pad 4096)" "$URL/login")" 200 "a request with 4 KiB of headers is served"
is "$(code -H "X-Pad: $(pad 24576)" "$URL/login")" 431 "one with 24 KiB of headers: 431 (the 16 KiB pool)"

# login N: client N's session in $W/jar.N, from 127.0.0.(11 + N % 5).
login() {
	token=$(curl -s --interface "127.0.0.$((11 + $1 % 5))" -c "$W/jar.$1" "$URL/login" |
		sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s --interface "127.0.0.$((11 + $1 % 5))" -b "$W/jar.$1" -c "$W/jar.$1" -o /dev/null \
		-w '%{http_code}' --data-urlencode "csrf=$token" --data-urlencode username=asha \
		--data-urlencode password=desk-pass-1 "$URL/login"
}
is "$(login 0)" 303 "a login's form body is read (its buffer made when it comes)"
token=$(curl -s -b "$W/jar.0" "$URL/cases" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
is "$(code -b "$W/jar.0" --data "csrf=$token&pad=$(pad 40000)" "$URL/lang")" 413 \
	"a form body over 32 KiB: 413"

n_events() {  # K: how many of the 50 clients had K events or more
	n=0
	for i in $(seq 50); do
		[ "$(grep -c '^data: {"seq"' "$W/ev.$i" 2> /dev/null)" -ge "$1" ] && n=$((n + 1))
	done
	echo "$n"
}
wait_events() { for _ in $(seq 100); do [ "$(n_events "$1")" -eq 50 ] && return 0; sleep 0.2; done; return 1; }
for i in $(seq 50); do
	[ "$(login "$i")" = 303 ] || bail "client $i did not log in"
	curl -s -N --interface "127.0.0.$((11 + i % 5))" -b "$W/jar.$i" "$URL/events" > "$W/ev.$i" &
	CURLS="$CURLS $!"
done
wait_events 1
is "$(n_events 1)" 50 "50 browsers on /events, each has its first event"
desk_pub --state mp --region bhopal --agency grp report --name "Rahul" --age 7 > /dev/null
wait_events 2
is "$(n_events 2)" 50 "  and each the event of the new report"
ok "nothing on the desk's stderr but its own lines (no sanitizer report)" \
	sh -c "! grep -v 'raksha-desk: ' '$W/desk.log' | grep -q ."
done_testing
