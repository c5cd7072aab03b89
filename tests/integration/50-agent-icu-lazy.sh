#!/bin/sh
# 47: the agent opens ICU's transliterator only at the first name it keys
# (escalator_keyer(), issue 19 part 6: 3.6 MiB of ICU's code and data and
# 1 MiB of heap that an agent with nothing to match has no use for). A real
# agent on a real mosquitto, connected and idle: libicudata's pages not
# read (under 256 KiB resident, the loader's look at its headers) (/proc/PID/smaps; opened at start they were 1.5 MiB: tried);
# then a report and a found child from raksha-publish: both keyed
# (cases.match_facts), the found child suggested as the report's possible
# match, libicudata resident now; the agent exits 0.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
broker_start
W=$BROKER_DIR
DB=$W/agent.db
AGENT=
trap '[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null; broker_stop' EXIT
agent_conf mp-bhopal-grp-1 "raksha/v1/+/+/+/report raksha/v1/+/+/+/sighting" > "$W/agent.conf"
"$RAKSHA_AGENT" --config "$W/agent.conf" --foreground > "$W/agent.out" 2> "$W/agent.err" &
AGENT=$!
for _ in $(seq 150); do grep -q "connected;" "$W/agent.err" && break; sleep 0.1; done
grep -q "connected;" "$W/agent.err" || bail "the agent did not connect: $(cat "$W/agent.err")"
sleep 1  # the escalator's first pass, over an empty database
# icudata_kib: what of libicudata the agent has resident.
icudata_kib() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { icu = $6 ~ /libicudata/ } icu && /^Rss:/ { n += $2 } END { print n + 0 }' \
		"/proc/$AGENT/smaps"
}
ok "the agent maps libicudata (linked: the test looks at the right file)" grep -q libicudata "/proc/$AGENT/maps"
idle=$(icudata_kib)
ok "idle, ICU's data not read ($idle KiB of libicudata resident, under 256): the transliterator not opened" \
	test "$idle" -lt 256
pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" --state mp --region bhopal \
	--agency grp "$@" > /dev/null; }
pub report --name "सीमा" --age 9 --station BPL
pub sighting --name "Sima" --age 9 --station BPL --in-custody
wait_rows "SELECT count(*) FROM cases WHERE match_facts IS NOT NULL" 2 ||
	bail "the report and the found child were not keyed: $(cat "$W/agent.err")"
wait_rows "SELECT count(*) FROM matches" 1 || bail "no possible match: $(cat "$W/agent.err")"
is "$(q "SELECT count(*) FROM matches")" 1 "the found child suggested for the report (the keyer opened when needed)"
ok "libicudata resident once names were keyed ($(icudata_kib) KiB)" test "$(icudata_kib)" -gt 0
ok "no warning about the transliterator" sh -c "! grep -q 'no transliterator' '$W/agent.err'"
kill "$AGENT"
wait "$AGENT"
is "$?" 0 "SIGTERM: exit 0"
AGENT=
done_testing
