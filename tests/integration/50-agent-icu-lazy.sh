#!/bin/sh
# 50: what an idle agent maps and touches (issue 19 part 6,
# docs/benchmarks.md). ICU is loaded at the first name the escalator keys
# (match_icu.c, dlopen), not linked: a connected, idle agent maps none of
# libicui18n, libicuuc, libicudata or the libstdc++ they need (linked, they
# were 2.4 MiB resident: tried); paho leaves OpenSSL to start itself
# (lib/client.c), so libcrypto is under 2.5 MiB resident (3.1 MiB when paho
# ran OpenSSL's explicit start-up: tried); the agent's VmRSS under 10 MiB
# (9.3 measured; skipped under the sanitizers). Then a report from
# raksha-publish, with no found child open to compare it with: still no
# ICU mapped, its names not keyed (escalator_match.c; issue 19 part 1,
# session 5). Then a found child: both keyed (cases.match_facts), the
# found child suggested as the report's possible match, ICU mapped now;
# the agent exits 0.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/smaps.sh"
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
ICU='lib(icu|stdc[+][+])'
sanitized && ICU=libicu  # UBSan's runtime links libstdc++ of its own
ok "the agent runs (the test reads the right process)" grep -q libsqlite3 "/proc/$AGENT/maps"
is "$(mapped_kib "$AGENT" "$ICU")" 0 "idle: no ICU library (nor libstdc++) mapped, not even linked"
crypto=$(mapped_kib "$AGENT" libcrypto)
ok "idle: libcrypto $crypto KiB resident, under 2560 (OpenSSL not started for mqtt://)" test "$crypto" -lt 2560
if sanitized; then
	skip "idle: VmRSS under 10 MiB" "the sanitizers' shadow memory"
else
	ok "idle: VmRSS $(rss_kib "$AGENT") KiB, under 10 MiB" test "$(rss_kib "$AGENT")" -lt 10240
fi
pub() { "$RAKSHA_PUBLISH" --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/pub" --state mp --region bhopal \
	--agency grp "$@" > /dev/null; }
pub report --name "सीमा" --age 9 --station BPL
# The escalator has looked at it once its mark is past it.
wait_rows "SELECT count(*) FROM meta WHERE key = 'scanned_seq' AND value >= (SELECT max(seq) FROM messages)" 1 ||
	bail "the escalator did not look at the report: $(cat "$W/agent.err")"
is "$(mapped_kib "$AGENT" "$ICU")" 0 "a report, no found child open to compare it with: still no ICU mapped"
is "$(q "SELECT count(*) FROM cases WHERE match_facts IS NOT NULL")" 0 "  its names not keyed yet"
pub sighting --name "Sima" --age 9 --station BPL --in-custody
wait_rows "SELECT count(*) FROM cases WHERE match_facts IS NOT NULL" 2 ||
	bail "the report and the found child were not keyed: $(cat "$W/agent.err")"
wait_rows "SELECT count(*) FROM matches" 1 || bail "no possible match: $(cat "$W/agent.err")"
is "$(q "SELECT count(*) FROM matches")" 1 "the found child suggested for the report (the keyer opened when needed)"
ok "ICU loaded once names were keyed ($(mapped_kib "$AGENT" libicudata) KiB of libicudata)" \
	test "$(mapped_kib "$AGENT" libicudata)" -gt 0
ok "no warning about the transliterator" sh -c "! grep -q 'no transliterator' '$W/agent.err'"
kill "$AGENT"
wait "$AGENT"
is "$?" 0 "SIGTERM: exit 0"
AGENT=
done_testing
