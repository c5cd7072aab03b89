#!/bin/sh
# 03: libraksha as integrators get it: only raksha_* exported, headers and
# raksha.pc installed, and a program built with `pkg-config --cflags --libs
# raksha` against the installed copy runs.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-03.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Each exported symbol carries its version node (NAME@@LIBRAKSHA_0, what
# debian/libraksha0.symbols lists); the node itself is an absolute symbol.
versioned=$(nm -D --defined-only "$LIBRAKSHA" | awk '$2 != "A" {print $3}' | grep -v '^$')
exported=$(printf '%s\n' "$versioned" | sed 's/@.*//')
is "$(printf '%s\n' "$exported" | grep -vc '^raksha_')" 0 "only raksha_* symbols exported"
is "$(printf '%s\n' "$versioned" | grep -vc '@@LIBRAKSHA_0$')" 0 "every symbol in the version node LIBRAKSHA_0"
contains "$(nm -D --defined-only "$LIBRAKSHA" | awk '$2 == "A" {print $3}')" "LIBRAKSHA_0" "the version node is defined"
contains "$exported" "raksha_envelope_decode" "raksha_envelope_decode exported"
contains "$exported" "raksha__v1__envelope__descriptor" "schema descriptors exported"
is "$(printf '%s\n' "$exported" | grep -c '^problem_set$\|^utf8_check$\|^field_count$')" 0 "internal helpers hidden"

meson install -C "$RAKSHA_BUILD_ROOT" --destdir "$W/root" --quiet > "$W/install.log" 2>&1
ok "meson install into a staging root" test -f "$(find "$W/root" -name raksha.pc | head -1)"
pc=$(dirname "$(find "$W/root" -name raksha.pc | head -1)")
prefix=$(sed -n 's/^prefix=//p' "$pc/raksha.pc")
ok "generated header installed" test -f "$W/root$prefix/include/raksha/v1/raksha.pb-c.h"
ok "schema installed for other languages" test -f "$W/root$prefix/share/raksha/schemas/raksha/v1/raksha.proto"

cat > "$W/prog.c" <<'C'
#include <stdio.h>
#include <raksha/raksha.h>
int main(void)
{
	uint8_t id[RAKSHA_UUID_LEN];
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	if (raksha_uuid7(id) < 0)
		return 1;
	raksha_uuid_format(id, text);
	printf("%s %s %d\n", raksha_version(), text,
	       raksha_filter_matches("raksha/v1/mp/#", "raksha/v1/mp/bhopal/grp/report"));
	printf("%d.%d.%d %s %d %d\n", RAKSHA_VERSION_MAJOR, RAKSHA_VERSION_MINOR, RAKSHA_VERSION_PATCH,
	       RAKSHA_VERSION_STRING, RAKSHA_VERSION_AT_LEAST(RAKSHA_VERSION_MAJOR, RAKSHA_VERSION_MINOR, 0),
	       RAKSHA_VERSION_AT_LEAST(RAKSHA_VERSION_MAJOR, RAKSHA_VERSION_MINOR + 1, 0));
#if !RAKSHA_VERSION_AT_LEAST(0, 1, 0)
#error RAKSHA_VERSION_AT_LEAST(0, 1, 0) is false
#endif
	return 0;
}
C
# The units and the sysusers.d file where systemd looks for this prefix:
# systemd.pc's own paths for /usr (Debian 12: /lib/systemd/system), the
# same under any other prefix; /etc/raksha/agent.conf whatever the prefix.
unitdir=$prefix/lib/systemd/system
usersdir=$prefix/lib/sysusers.d
if [ "$prefix" = /usr ]; then
	unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
	usersdir=$(pkg-config --variable=sysusersdir systemd)
fi
for unit in raksha-agent raksha-desk; do
	ok "$unit.service installed in $unitdir" test -f "$W/root$unitdir/$unit.service"
	contains "$(grep '^ExecStart=' "$W/root$unitdir/$unit.service" 2>&1)" "--config /etc/raksha/agent.conf" \
		"  it reads /etc/raksha/agent.conf (prefix $prefix)"
done
ok "the user's sysusers.d file in $usersdir" test -f "$W/root$usersdir/raksha.conf"

san=
[ "${RAKSHA_SANITIZE:-none}" != none ] && san="-fsanitize=$RAKSHA_SANITIZE"
export PKG_CONFIG_SYSROOT_DIR="$W/root" PKG_CONFIG_PATH="$pc"
ok "example compiles with pkg-config raksha" \
	sh -c "cc -std=c11 -Wall -Werror $san -o '$W/prog' '$W/prog.c' \$(pkg-config --cflags --libs raksha) 2>'$W/cc.err'"
[ -s "$W/cc.err" ] && sed 's/^/# /' "$W/cc.err"
out=$(LD_LIBRARY_PATH="$W/root$prefix/$(sed -n 's/^libdir=\${prefix}\///p' "$pc/raksha.pc")" "$W/prog")
v=$RAKSHA_PROJECT_VERSION
is "$(printf '%s\n' "$out" | head -1 | cut -d' ' -f1)" "$v" "installed library runs: raksha_version() is meson's version $v"
is "$(printf '%s\n' "$out" | sed -n 2p)" "$v $v 1 0" \
	"<raksha/version.h>: RAKSHA_VERSION_MAJOR.MINOR.PATCH and RAKSHA_VERSION_STRING are $v; RAKSHA_VERSION_AT_LEAST right"
contains "$out" " 1" "installed library runs: filter match"
done_testing
