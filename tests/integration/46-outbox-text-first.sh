#!/bin/sh
# 46: a flush sends text first (lib/outbox_order.c). Queued while the broker
# was away: a report with a photo of case A, a text report B, an update of
# A, a text report D, an ack of A, a found child F's sighting with a photo,
# the link of F to B, a text report E. On one connection they go out as B,
# D, E, then A's report, update and ack, then F's sighting and its link, so
# a case's entries keep their order; all arrive once and the outbox ends
# empty. Without text first B waits behind A's photo; sorted by size alone,
# A's update would overtake its report; with a link's report alone as its
# case, the link would overtake F's sighting.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
broker_start
W=$BROKER_DIR
URL="mqtt://127.0.0.1:$BROKER_PORT"
# away ARGS...: queued, the broker unreachable (exit 75); prints the id.
away() {
	"$RAKSHA_PUBLISH" --url mqtt://127.0.0.1:1 --outbox "$W/ob" --timeout 1 \
		--state mp --region bhopal --agency grp --unit "GRP Post Bhopal Jn" "$@" 2> "$W/err"
	rc=$?
	[ "$rc" -eq 75 ] || bail "queueing $1 exited $rc: $(cat "$W/err")"
}
hexid() { printf '%s' "$1" | tr -d '-'; }
# A noisy photo: normalised, still tens of KB, above the 16 KiB of text.
"$MAKE_PHOTO" 800 600 1 40 "$W/child.jpg" || bail "make-photo failed"

A=$(away report --name "Seema" --age 9 --photo "$W/child.jpg")
B=$(away report --name "Ravi" --age 7)
away update --report "$A" --status found --place "platform 2" > /dev/null
D=$(away report --name "Meena" --age 11)
away ack --report "$A" --state acting > /dev/null
F=$(away sighting --name "unknown girl" --age-range 4-6 --in-custody --photo "$W/child.jpg")
away link --found "$F" --report "$B" > /dev/null
E=$(away report --name "Arjun" --age 12)
is "$(find "$W/ob" -maxdepth 1 -name '*.msg' | wc -l | tr -d ' ')" 8 "eight entries queued"

mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t 'raksha/v1/#' -C 8 -W 30 -F '%t %l %x' > "$W/got" &
SUB=$!
sleep 0.5
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$W/ob" flush 2> "$W/err"; rc=$?
is "$rc" 0 "flush: exit 0"
wait "$SUB"
is "$(find "$W/ob" -maxdepth 1 -name '*.msg' | wc -l | tr -d ' ')" 0 "the outbox is empty: every entry acknowledged"
# Each line named by its kind and the case whose id it holds.
order=$(while read -r topic len hex; do
	kind=${topic##*/}
	for c in A B D E F; do
		eval "id=\$$c"
		case "$hex" in *"$(hexid "$id")"*) printf '%s-%s ' "$c" "$kind"; break ;; esac
	done
done < "$W/got")
is "$order" "B-report D-report E-report A-report A-update A-ack F-sighting B-link " \
	"text first; A's entries, and F's sighting and link, in the order queued"
photo_len=$(awk '{ if ($2 > m) m = $2 } END { print m }' "$W/got")
ok "a photo's envelope is over the 16 KiB sent first ($photo_len B)" [ "$photo_len" -gt 16384 ]
done_testing
