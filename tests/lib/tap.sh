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

# is GOT WANT DESCRIPTION: string equality, both shown on failure.
is() {
	tap_n=$((tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
		tap_failed=$((tap_failed + 1))
	fi
}

# contains HAYSTACK NEEDLE DESCRIPTION
contains() {
	tap_n=$((tap_n + 1))
	case $1 in
	*"$2"*) echo "ok $tap_n - $3" ;;
	*)	echo "not ok $tap_n - $3"
		printf '#   %s\n#   does not contain: %s\n' "$(printf '%s' "$1" | head -c 600)" "$2"
		tap_failed=$((tap_failed + 1)) ;;
	esac
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
