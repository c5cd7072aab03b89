#!/bin/sh
# board-screen.sh DB RUNS BOARD [BOARD...]: how long each raksha-board takes,
# in a real terminal (tmux, 80x24), to show its first screen over the agent
# database DB (bench/fill-history makes one: 222000 envelopes are 99,740
# cases), and to answer a search that finds nothing (every case looked at):
# the first (cold) and the next (warm). RUNS runs of each board, in turn;
# medians in ms, and each board's ratios against the first one named (the
# baseline, e.g. main's build). Each time is from the key (or the start) to
# the screen showing the result, polled every 5 ms. No broker is needed:
# the boards connect in the background to a closed port.
set -eu
[ $# -ge 3 ] || { echo "usage: board-screen.sh DB RUNS BOARD [BOARD...]" >&2; exit 64; }
DB=$1
RUNS=$2
shift 2
command -v tmux > /dev/null || { echo "tmux is not installed" >&2; exit 1; }
W=$(mktemp -d /tmp/raksha-board-screen-XXXXXX)
TM="tmux -L raksha-bench-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null || true; rm -rf "$W"' EXIT
printf '[agent]\nid = mp-bhopal-grp-1\nstate = mp\nregion = bhopal\nagency = grp\ndatabase = %s\n' "$DB" > "$W/b.conf"
printf 'outbox = %s/outbox\n[broker]\nurl = mqtt://127.0.0.1:9\n' "$W" >> "$W/b.conf"
printf '[subscribe]\nfilter = raksha/v1/+/+/+/report\n' >> "$W/b.conf"
now() { date +%s%3N; }
shows() { $TM capture-pane -p -t b 2>/dev/null | grep -qF -- "$1"; }
until_shows() { for _ in $(seq 12000); do shows "$1" && return 0; sleep 0.005; done; echo "timeout: $1" >&2; exit 1; }
# search TEXT: ms from Enter to the screen saying the list is narrowed to it.
search() {
	$TM send-keys -t b / C-u
	$TM send-keys -t b -l "$1"
	t=$(now)
	$TM send-keys -t b Enter
	until_shows "name '$1'"
	echo $(($(now) - t))
}
# run BOARD: "first cold warm" in ms.
run() {
	t=$(now)
	$TM new-session -d -s b -x 80 -y 24 "TERM=tmux-256color '$1' --config '$W/b.conf' 2> '$W/err'"
	until_shows "showing open cases"
	first=$(($(now) - t))
	echo "$first $(search zzqq) $(search qqzz)"
	$TM send-keys -t b q
	for _ in $(seq 100); do shows "" || break; sleep 0.05; done
	$TM kill-session -t b 2>/dev/null || true
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
i=0
for _ in $(seq "$RUNS"); do
	i=0
	for b in "$@"; do
		i=$((i + 1))
		run "$b" >> "$W/times.$i"
	done
done
i=0
for b in "$@"; do
	i=$((i + 1))
	for col in 1 2 3; do cut -d' ' -f$col "$W/times.$i" | median > "$W/m.$i.$col"; done
	printf '%s: first screen %s ms, search cold %s ms, warm %s ms' "$b" "$(cat "$W/m.$i.1")" \
		"$(cat "$W/m.$i.2")" "$(cat "$W/m.$i.3")"
	[ "$i" -gt 1 ] && printf '; ratios to the first: %s %s %s' \
		"$(awk -v a="$(cat "$W/m.$i.1")" -v b="$(cat "$W/m.1.1")" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v a="$(cat "$W/m.$i.2")" -v b="$(cat "$W/m.1.2")" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v a="$(cat "$W/m.$i.3")" -v b="$(cat "$W/m.1.3")" 'BEGIN { printf "%.2f", a / b }')"
	echo
done
