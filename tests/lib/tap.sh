# TAP for the integration suites (sh). Source it; call `ok DESCRIPTION CMD...`
# or `check DESCRIPTION CONDITION-EXIT-STATUS`, then `done_testing` at the end.
tap_n=0
tap_failed=0

# ok DESCRIPTION COMMAND [ARGS...]: one check that COMMAND succeeds.
ok() {
	desc=$1; shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		tap_failed=$((tap_failed + 1))
	fi
}

# tap_comment TEXT: TEXT as a diagnostic, each of its lines a comment, so
# that a multi-line value is never read as TAP of its own.
tap_comment() {
	printf '%s\n' "$1" | awk '{ print "#   " $0 }'
}

# is GOT WANT DESCRIPTION: string equality, both shown on failure.
is() {
	tap_n=$((tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		tap_comment "got:  $1"
		tap_comment "want: $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# contains HAYSTACK NEEDLE DESCRIPTION
contains() {
	tap_n=$((tap_n + 1))
	case $1 in
	*"$2"*) echo "ok $tap_n - $3" ;;
	*)	echo "not ok $tap_n - $3"
		tap_comment "$(printf '%s' "$1" | head -c 600)"
		tap_comment "does not contain: $2"
		tap_failed=$((tap_failed + 1)) ;;
	esac
}

# skip DESCRIPTION REASON: a check that cannot run here, and why.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# bail REASON: the suite cannot go on (a broker did not start, ...).
bail() {
	echo "Bail out! $*"
	exit 1
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
