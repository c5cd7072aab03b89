#!/bin/sh
# run-fuzz.sh EXE NAME FUZZ_DIR [DICT]: one fuzz target as a TAP test (meson
# test --suite fuzz). Check 1 runs the saved reproducers of
# FUZZ_DIR/regressions/NAME/ once each; check 2 fuzzes a copy of the seed
# corpus FUZZ_DIR/corpus/NAME/ in a temporary folder (the repository is never
# written) for FUZZ_SECONDS seconds (default 10: CI's 15 minutes leave no
# more; longer runs by hand, README.md). On a failure the folder is kept and
# named, with the reproducer and the sanitizer's first lines.
# Prints TAP; the exit status is 0 unless the script itself fails.
set -u
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
name=$2 dir=$3 dict=${4:-}
secs=${FUZZ_SECONDS:-10}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/raksha-$name.XXXXXX") || exit 1
mkdir "$tmp/corpus"
if [ -d "$dir/corpus/$name" ]; then
	cp "$dir/corpus/$name"/* "$tmp/corpus/" 2>/dev/null
fi
set -- -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$tmp/"
[ -n "$dict" ] && set -- "$@" -dict="$dict"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS
failed=0

# The sanitizer's or the oracle's own words, as TAP comments.
why() {
	grep -E -m 12 -A 3 'ERROR: |FUZZ ORACLE|runtime error|SUMMARY|Test unit written' "$1" |
		head -n 16 | sed 's/^/#   /'
}

echo "1..2"

regressions=$(find "$dir/regressions/$name" -type f ! -name '*.md' 2>/dev/null | sort)
if [ -z "$regressions" ]; then
	echo "ok 1 - $name: no saved regressions"
else
	n=$(echo "$regressions" | wc -l)
	# shellcheck disable=SC2086 # one argument per file, none with spaces
	if "$exe" "$@" $regressions > "$tmp/regressions.log" 2>&1; then
		echo "ok 1 - $name: $n saved regression input(s) pass"
	else
		failed=1
		bad=$(sed -n 's/^Running: //p' "$tmp/regressions.log" | tail -n 1)
		echo "not ok 1 - $name: saved regression input ${bad:-?} fails (log $tmp/regressions.log)"
		why "$tmp/regressions.log"
		echo "#   reproduce: $exe $bad"
	fi
fi

# Known bugs are pinned by check 1; fuzzing looks past them for new ones
# (a target may relax an oracle for the inputs of a known bug).
"$exe" "$@" -max_total_time="$secs" "$tmp/corpus" > "$tmp/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/fuzz.log" | tail -n 1)
cov=$(grep -E '^#[0-9]+' "$tmp/fuzz.log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, features \2, corpus \3/p')
if [ "$rc" -eq 0 ]; then
	echo "ok 2 - $name: ${runs:-?} runs in ${secs} s, no crash (${cov:-no stats})"
else
	failed=1
	crash=$(ls "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* "$tmp"/oom-* 2>/dev/null | head -n 1)
	echo "not ok 2 - $name: crashed after ${runs:-?} runs (exit $rc); reproducer: ${crash:-none saved}; log $tmp/fuzz.log"
	why "$tmp/fuzz.log"
	echo "#   reproduce: $exe ${crash:-<input>}"
fi
[ "$failed" -eq 0 ] && rm -rf "$tmp"
exit 0
