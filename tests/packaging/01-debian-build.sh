#!/bin/sh
# packaging 01: the Debian packages built. From a clean copy of the tree
# (dpkg-buildpackage -b, nocheck), checked by lintian (no error, no
# warning), into the build folder's packaging/ with the tree's sha256, for
# 02-debian-install.sh. Beside the other suites (it changes nothing outside
# its folders), started first. Needs root, dpkg-buildpackage, debhelper and
# lintian: skipped otherwise.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
SRC=$RAKSHA_SOURCE_ROOT
. "$SRC/tests/packaging/debs.sh"

skip() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg-buildpackage -b as root, as CI is)"
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" > /dev/null || skip "$tool is not installed (scripts/debian-packages)"
done

OUT=$RAKSHA_PKG_DIR
rm -rf "$OUT"
mkdir -p "$OUT"
sha=$(debs_copy "$OUT")
start=$(date +%s)
debs_build "$OUT"
rc=$?
echo "# dpkg-buildpackage: $(( $(date +%s) - start )) s"
is "$rc" 0 "dpkg-buildpackage -us -uc -b builds"
[ "$rc" -eq 0 ] || { tail -n 30 "$OUT/build.log" | sed 's/^/# /'; bail "no packages"; }
for p in $PKGS; do
	ok "$p built" test -f "$(ls "$OUT/src/${p}_"*.deb 2> /dev/null)"
done
lintian --fail-on error,warning "$OUT"/src/raksha_*.changes > "$OUT/lintian.log" 2>&1
rc=$?
is "$rc:$(grep -c '^[EW]:' "$OUT/lintian.log")" "0:0" "lintian: no error, no warning"
grep '^[EW]:' "$OUT/lintian.log" | sed 's/^/# /'
# Last, and only when all is well: what 02 looks for.
rm -rf "$OUT/src/raksha" "$OUT/tree.tar"
[ "$tap_failed" -eq 0 ] && echo "$sha" > "$OUT/tree.sha256"
done_testing
