#!/bin/sh
# 09: power cuts, for real. tests/tools/powercut-fs passes every call
# through and, on a signal, drops all that was not made durable (a file's
# content by its fsync or fdatasync, a name by the fsync of its folder) and
# serves only what was. First the tool itself, so that the rest cannot pass
# for nothing: what was not synced is gone, what was is kept. Then an
# agent's database and journal on it, the power cut (SIGKILL, then the cut)
# at random moments of a stream of reports, and the agent started again:
# with durability = power every report the broker had acknowledged is
# stored, once (a report the agent did not acknowledge the broker sends
# again: what it did acknowledge only the agent's disk still has); with
# crash, what is lost is measured. Last, raksha-publish's outbox on it: a
# report it said was queued is there after the cut, and reaches the broker.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/broker.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/agent.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/fault.sh"
. "$RAKSHA_SOURCE_ROOT/tests/lib/powercut.sh"
command -v sync > /dev/null || bail "no sync(1) (coreutils)"
fault_suite
suite_cleanup() {
	for _p in $AGENT $FEED $PUB; do kill -KILL "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	AGENT= FEED= PUB=
	powercut_unmount
	fault_cleanup
}
trap suite_cleanup EXIT
POWER_CUTS=50 CRASH_CUTS=20
T0=$(date +%s)
since() { echo $(( $(date +%s) - T0 ))s; }

# --- the tool: what is durable and what is not -------------------------------
D=$W/self
mkdir -p "$D/disk/pre" "$D/disk/sql"
printf durable > "$D/disk/pre/old"
printf 'was here' > "$D/disk/pre/gone"
powercut_mount "$D"
M=$PCFS_MNT
printf kept > "$M/synced" && sync "$M/synced" "$M"            # it and its name synced
printf more >> "$M/synced"                                    # then appended, not synced
: > "$M/empty" && sync "$M" && printf lost > "$M/empty"       # its name synced, not what is written after
printf lost > "$M/unsynced"                                   # neither it nor its name synced
printf new > "$M/noname" && sync "$M/noname"                  # its content synced, its name not
printf new > "$M/pre/old.tmp" && sync "$M/pre/old.tmp" && mv "$M/pre/old.tmp" "$M/pre/old"  # the rename not synced
rm "$M/pre/gone"                                              # nor the unlink
mkdir "$M/newdir" && printf x > "$M/newdir/f" && sync "$M/newdir/f" "$M/newdir"  # the folder's own name not synced
# SQLite syncs the folder itself when it makes its WAL (sql/, not the root).
sqlite3 "$M/sql/t.db" "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);" > /dev/null &&
	sqlite3 "$M/sql/t.db" "INSERT INTO t VALUES (3)"
is "$(sqlite3 "$M/sql/t.db" "SELECT count(*) FROM t" 2>&1)" 3 "SQLite in WAL mode works on powercut-fs (its -shm mapped shared)"
powercut_cut
echo "# $CUT_LINE"
is "$(cat "$M/synced")" kept "written, synced, its folder synced: kept; the append after it dropped"
ok "written, never synced: gone" test ! -e "$M/unsynced"
is "$(wc -c < "$M/empty" | tr -d ' ')" 0 "its name synced, what was written after it not: there, empty"
ok "its content synced, its name not (its folder never synced since): gone" test ! -e "$M/noname"
is "$(cat "$M/pre/old")" durable "a rename over a file, its folder not synced: the old content"
is "$(cat "$M/pre/gone" 2>&1)" "was here" "an unlink, its folder not synced: back"
ok "a folder whose own name was never synced: gone, with what it held" test ! -e "$M/newdir"
is "$(sqlite3 "$M/sql/t.db" "SELECT count(*) FROM t; PRAGMA integrity_check" 2>&1 | tr '\n' ' ')" "3 ok " \
	"  SQLite's commits (synchronous = FULL, its folder synced for the WAL): kept, the database intact"
printf new > "$M/pre/old.tmp" && sync "$M/pre/old.tmp" && mv "$M/pre/old.tmp" "$M/pre/old" && sync "$M/pre"
powercut_cut
is "$(cat "$M/pre/old")" new "the same rename with its folder synced: the new content"
powercut_unmount
is "$PCFS_RC" 0 "powercut-fs unmounts and exits 0 on SIGTERM"

# --- the agent, its power cut at random moments of a stream -------------------
start_agent() { "$RAKSHA_AGENT" --config "$R/agent.conf" --foreground >/dev/null 2>> "$R/agent.err" & AGENT=$!; }
sent_count() { wc -l < "$R/sent" | tr -d ' '; }
# on_disk: the reports the database holds after a cut, before the agent
# starts again; read-only, so that the WAL the cut left stays for the agent.
on_disk() {
	sqlite3 -readonly "$DB" "SELECT count(*) FROM messages WHERE kind = 'report'" 2>/dev/null || echo 0
}

# feed NAME: chunks of 30 reports from mp/bhopal/grp, each its own case,
# flushed one after the other with a 50 ms pause, until $R/stop exists; a
# flush that fails is tried once more, and whatever is left once the cuts
# are over. The agent, not the broker, loses power: every flush is
# acknowledged.
feed() {
	c=0
	while [ ! -e "$R/stop" ]; do
		c=$((c + 1))
		"$FILL_CASES" "$S/$1-$c" 30 >> "$R/sent" || exit 1
		"$RAKSHA_PUBLISH" --url "$URL" --outbox "$S/$1-$c" --timeout 30 flush 2>/dev/null ||
			"$RAKSHA_PUBLISH" --url "$URL" --outbox "$S/$1-$c" --timeout 30 flush 2>/dev/null
		sleep 0.05
	done
}

# all_acknowledged NAME: every chunk's outbox empty (flushed again if not).
all_acknowledged() {
	for _ob in "$S/$1"-*; do
		[ "$(outbox_left "$_ob")" -eq 0 ] && continue
		"$RAKSHA_PUBLISH" --url "$URL" --outbox "$_ob" --timeout 30 flush 2>/dev/null || return 1
	done
}

# settled: the agent stored nothing new for 3 s.
settled() {
	_before=$(reports)
	sleep 3
	[ "$(reports)" -eq "$_before" ]
}

# round NAME DURABILITY CUTS: the agent's folder on powercut-fs; CUTS times,
# 100..600 ms apart, SIGKILL and the power cut, and the agent started again
# at once. Sets N (reports sent and acknowledged by the broker), LOST, and
# ROLLED: reports the database held before a cut and not after it, summed.
round() {
	name=$1 dur=$2 cuts=$3
	R=$W/$name
	mkdir -p "$R/disk/agent"  # the agent's folder, there before the power came on
	powercut_mount "$R"
	DB=$PCFS_MNT/agent/agent.db
	agent_conf "mp-bhopal-grp-$name" "raksha/v1/+/+/+/report" "durability = $dur" > "$R/agent.conf"
	: > "$R/sent"
	start_agent
	wait_until 20 grep -qs "connected;" "$R/agent.err" || bail "$name: the agent did not connect"
	feed "$name" &
	FEED=$!
	wait_until 20 at_least 10 reports || bail "$name: nothing stored"
	mid=0 dropped=0 ROLLED=0
	for k in $(seq "$cuts"); do
		msleep $((100 + $(rnd 500)))
		sent=$(sent_count)
		stored=$(reports)
		kill -KILL "$AGENT"
		wait "$AGENT" 2>/dev/null
		powercut_cut
		pages=${CUT_LINE##*dropped }
		pages=${pages%% *}
		[ "$pages" -gt 0 ] && dropped=$((dropped + 1))
		[ "$stored" -lt "$sent" ] && mid=$((mid + 1))
		kept=$(on_disk)
		[ "$kept" -lt "$stored" ] && ROLLED=$((ROLLED + stored - kept))
		echo "# $(since) $name cut $k: $stored of $sent stored before it, $kept after; $CUT_LINE"
		start_agent
	done
	wait_until 10 at_least $((sent + 1)) sent_count  # one more chunk: the stream outlived the cuts
	touch "$R/stop"
	wait "$FEED"
	FEED=
	N=$(sent_count)
	# The stream runs through every cut; how often the agent was behind it
	# at the kill depends on the machine's load (it mostly keeps up).
	echo "# $name: at $mid of the $cuts cuts reports sent were not yet stored"
	ok "$name: $cuts power cuts, the stream still running after the last ($sent sent then, $N in all)" \
		test "$sent" -lt "$N"
	ok "  each dropped what was not synced ($dropped of $cuts dropped pages)" test "$dropped" -eq "$cuts"
	ok "  the broker acknowledged all $N reports" all_acknowledged "$name"
	[ "$dur" = power ] && wait_until 90 at_least "$N" reports
	wait_until 60 settled
	kill -TERM "$AGENT"
	wait "$AGENT"
	is "$?" 0 "  the agent still stops cleanly (exit 0)"
	AGENT=
	cut -d' ' -f1 "$R/sent" | sort > "$R/sent.ids"
	report_ids > "$R/stored.ids"
	LOST=$(comm -23 "$R/sent.ids" "$R/stored.ids" | wc -l | tr -d ' ')
	is "$(comm -13 "$R/sent.ids" "$R/stored.ids" | wc -l | tr -d ' ')" 0 "  nothing stored that was not sent"
	is "$(q "SELECT count(*) - count(DISTINCT message_id) FROM messages")" 0 "  no message id stored twice"
	is "$(q "SELECT count(*) FROM cases") $(q "SELECT count(*) FROM messages WHERE kind = 'report'")" \
		"$((N - LOST)) $((N - LOST))" "  one case per report stored"
	is "$(q "PRAGMA integrity_check")" ok "  PRAGMA integrity_check: ok"
	is "$(q "SELECT count(*) FROM rejected")" 0 "  nothing rejected"
	is "$(grep -c "database $DB:" "$R/agent.err")" 0 "  no start found the database damaged"
	powercut_unmount
}

round power power "$POWER_CUTS"
is "$LOST" 0 "power: every one of the $N reports the broker had acknowledged is stored, once"
# Its commits are not synced themselves: the journal, synced, is what the
# broker's acknowledgement rests on, and the cuts must have needed it.
ok "  the cuts took $ROLLED stored reports out of the database; the journal stored them again" \
	test "$ROLLED" -gt 0
echo "# $(since) power: $N reports, $POWER_CUTS cuts, $LOST lost, $ROLLED taken out of the database and stored again"

round crash crash "$CRASH_CUTS"
echo "# $(since) crash: $N reports, $CRASH_CUTS cuts, $LOST lost (acknowledged to the broker, then gone with the power);" \
	"the cuts took $ROLLED stored reports out of the database"
ok "crash: the cuts lose acknowledged reports ($LOST of $N), so the check above can tell" test "$LOST" -gt 0

# --- raksha-publish's outbox on powercut-fs ------------------------------------
# An agent on the real disk receives; the outbox's folder (two levels) is
# made by raksha-publish itself on the cut file system.
R=$W/publish
mkdir -p "$R"
DB=$R/agent.db
agent_conf mp-bhopal-grp-fault09 "raksha/v1/+/+/+/report" "durability = crash" > "$R/agent.conf"
start_agent
wait_until 20 grep -qs "connected;" "$R/agent.err" || bail "publish: the agent did not connect"
powercut_mount "$R"
OB=$PCFS_MNT/desk/outbox
queued_ids() { "$RAKSHA_PUBLISH" --outbox "$OB" outbox 2>/dev/null | awk 'NR > 1 { print $3 }' | sort; }
stored_report() { q "SELECT count(*) FROM messages WHERE report_id = x'$(echo "$1" | tr -d -)'"; }
# publish_cut URL I: a report command killed at a random moment after it
# printed its id (or, one in four, at a blind one, maybe before it queued),
# then the power cut. Its printed id, if any, goes to $R/printed.
publish_cut() {
	"$RAKSHA_PUBLISH" --url "$1" --outbox "$OB" --timeout 5 --state mp --region bhopal --agency grp \
		report --name "Cut $2" --age 7 > "$R/id.$2" 2>/dev/null &
	PUB=$!
	if [ $(($2 % 4)) -ne 0 ]; then
		for _ in $(seq 400); do [ -s "$R/id.$2" ] && break; kill -0 "$PUB" 2>/dev/null || break; sleep 0.005; done
	fi
	msleep "$(rnd 40)"
	kill -KILL "$PUB" 2>/dev/null
	wait "$PUB" 2>/dev/null
	PUB=
	powercut_cut
	[ -s "$R/id.$2" ] && cat "$R/id.$2" >> "$R/printed"
}
: > "$R/printed"
# The broker unreachable: each report stays in the outbox, cut after cut.
missing=0
for i in $(seq 12); do
	publish_cut mqtt://127.0.0.1:1 "$i"
	queued_ids > "$R/queued"
	sort "$R/printed" | comm -23 - "$R/queued" > "$R/missing"
	missing=$((missing + $(wc -l < "$R/missing")))
	echo "# report $i: $(wc -l < "$R/printed" | tr -d ' ') printed so far, $(wc -l < "$R/queued" | tr -d ' ') queued after the cut; $CUT_LINE"
done
printed=$(wc -l < "$R/printed" | tr -d ' ')
ok "no broker: 12 report commands, each followed by a power cut; $printed printed their id" test "$printed" -ge 8
is "$missing" 0 "  after every cut each id printed so far is still queued"
unrevisable=0
for id in $(cat "$R/printed"); do [ -s "$OB/reports/$id.json" ] || unrevisable=$((unrevisable + 1)); done
is "$unrevisable" 0 "  and keeps its copy for --revise"
# The broker there: killed while it sends, or after; then cut. An id
# neither queued nor stored (within 5 s) is lost, counted once.
: > "$R/lost"
unaccounted() {
	queued_ids > "$R/queued"
	for id in $(sort "$R/printed" | comm -23 - "$R/queued" | comm -23 - "$R/lost"); do
		[ "$(stored_report "$id")" -ge 1 ] || echo "$id"
	done
}
none_unaccounted() { [ -z "$(unaccounted)" ]; }
for i in $(seq 13 24); do
	publish_cut "$URL" "$i"
	wait_until 5 none_unaccounted || unaccounted | tee -a "$R/lost" | sed 's/^/# neither queued nor delivered: /'
	sort -o "$R/lost" "$R/lost"
done
missing=$(wc -l < "$R/lost" | tr -d ' ')
is "$missing" 0 "with the broker: after every cut each id printed is queued or delivered"
"$RAKSHA_PUBLISH" --url "$URL" --outbox "$OB" --timeout 30 flush 2>/dev/null
is "$?" 0 "then flush: exit 0"
is "$(outbox_left "$OB")" 0 "  the outbox is empty"
printed=$(wc -l < "$R/printed" | tr -d ' ')
wait_until 30 at_least "$printed" q "SELECT count(*) FROM cases WHERE child_name LIKE 'Cut %'"
missing=0
for id in $(cat "$R/printed"); do [ "$(stored_report "$id")" -eq 1 ] || missing=$((missing + 1)); done
is "$missing" 0 "  each of the $printed printed ids stored exactly once"
is "$(q "SELECT count(*) FROM (SELECT child_name FROM cases GROUP BY child_name HAVING count(*) > 1)")" 0 \
	"  no report twice (one case per name)"
kill -TERM "$AGENT"
wait "$AGENT"
AGENT=
echo "# $(since) done"
done_testing
