#!/bin/sh
# packaging 02: the Debian packages as an administrator gets them. Takes
# those 01-debian-build.sh built of this same tree (or builds them here when
# there are none of it: run alone), installs them with apt-get, checks the
# user raksha, the files' places and modes, raksha-agent -n on the shipped
# configuration and on it filled in, runs the installed agent as raksha
# against a test mosquitto on loopback until a report published by the
# installed raksha-publish is in its database, then removes (the database
# stays) and purges (nothing else stays) them, and puts the machine back.
# Needs root and dpkg-buildpackage, debhelper, lintian: skipped otherwise,
# and on a machine where Raksha's packages or a user raksha already are.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
SRC=$RAKSHA_SOURCE_ROOT
. "$SRC/tests/packaging/debs.sh"

skip() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root (it installs packages)"
for tool in dpkg-buildpackage dh lintian apt-get runuser; do
	command -v "$tool" > /dev/null || skip "$tool is not installed (scripts/debian-packages)"
done
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'installed' &&
		skip "$p is installed here already: not touching it"
done
getent passwd raksha > /dev/null && skip "a user raksha exists here already: not touching it"
[ -e /var/lib/raksha ] && skip "/var/lib/raksha exists here already: not touching it"

W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-pkg.XXXXXX")
export DEBIAN_FRONTEND=noninteractive
dpkg-query -W -f='${Package}\n' | sort > "$W/packages.before"

# What the machine holds outside the volatile places, before and after.
snapshot() {
	find /etc /lib /usr /var -xdev \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache \
		-o -path /var/log -o -path /var/tmp -o -path /var/lib/systemd/catalog \) -prune -o -print 2> /dev/null |
		grep -v -e '^/etc/\(passwd\|group\|shadow\|gshadow\)-$' -e '^/etc/\.pwd\.lock$' -e '/__pycache__' | sort
}
snapshot > "$W/files.before"

cleanup() {
	[ -n "${AGENT:-}" ] && kill "$AGENT" 2> /dev/null && wait "$AGENT" 2> /dev/null
	broker_stop 2> /dev/null
	dpkg-query -W -f='${Package}\n' | sort > "$W/packages.after"
	# Whatever this suite installed: its packages, and dependencies apt pulled.
	new=$(comm -13 "$W/packages.before" "$W/packages.after" | tr '\n' ' ')
	[ -n "$new" ] && apt-get purge -y -q $new > "$W/restore.log" 2>&1
	rm -rf /var/lib/raksha
	getent passwd raksha > /dev/null && userdel raksha
	getent group raksha > /dev/null && groupdel raksha
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The packages 01 built of this tree, or built here.
sha=$(debs_copy "$W")
if [ -f "$RAKSHA_PKG_DIR/tree.sha256" ] && [ "$(cat "$RAKSHA_PKG_DIR/tree.sha256")" = "$sha" ]; then
	pkgdir=$RAKSHA_PKG_DIR/src
	tap_comment "the packages 01-debian-build built of this tree ($sha)"
else
	tap_comment "no packages of this tree from 01-debian-build: building them here"
	debs_build "$W"
	rc=$?
	is "$rc" 0 "dpkg-buildpackage -us -uc -b builds"
	[ "$rc" -eq 0 ] || { tail -n 30 "$W/build.log" | sed 's/^/# /'; bail "no packages"; }
	pkgdir=$W/src
fi
debs=
for p in $PKGS; do
	deb=$(ls "$pkgdir/${p}_"*.deb 2> /dev/null)
	ok "$p to install" test -f "$deb"
	debs="$debs $deb"
done

apt-get install -y -q $debs > "$W/install.log" 2>&1
rc=$?
is "$rc" 0 "apt-get install ./*.deb"
[ "$rc" -eq 0 ] || { tail -n 20 "$W/install.log" | sed 's/^/# /'; bail "not installed"; }

# The user, the files, their places and modes.
is "$(getent passwd raksha | cut -d: -f6,7)" "/var/lib/raksha:/usr/sbin/nologin" \
	"user raksha made by sysusers.d: home /var/lib/raksha, no login"
is "$(stat -c '%a %U %G' /etc/raksha/agent.conf)" "640 root raksha" "/etc/raksha/agent.conf: 0640 root:raksha"
grep -qx /etc/raksha/agent.conf /var/lib/dpkg/info/raksha-agent.conffiles
is "$?" 0 "  a conffile"
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
for unit in raksha-agent raksha-desk; do
	ok "$unit.service where systemd.pc says ($unitdir)" test -f "$unitdir/$unit.service"
	contains "$(grep '^ExecStart=' "$unitdir/$unit.service")" "--config /etc/raksha/agent.conf" \
		"  reads /etc/raksha/agent.conf"
done
for f in /usr/sbin/raksha-agent /usr/sbin/raksha-desk /usr/bin/raksha-board /usr/bin/raksha-publish \
		/usr/bin/raksha-replay /usr/bin/raksha-inspect /usr/bin/raksha-roster; do
	is "$(stat -c '%a %U' "$f" 2>&1)" "755 root" "$f: 0755 root"
done
ok "libraksha.so.0 in the multiarch folder" test -f "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libraksha.so.0"
ok "raksha.pc for pkg-config" pkg-config --exists raksha
ok "the schema" test -f /usr/share/raksha/schemas/raksha/v1/raksha.proto
ok "the production broker's configuration" test -f /usr/share/raksha/broker-config/production/mosquitto.conf
ok "the client id plugin it loads" test -f /usr/lib/raksha/raksha-clientid.so
ok "the documents the man pages name" test -f /usr/share/doc/raksha/agent.md

# Not configured: -n says what is missing, and the unit's condition holds it.
out=$(runuser -u raksha -- /usr/sbin/raksha-agent -n --config /etc/raksha/agent.conf 2>&1)
rc=$?
is "$rc" 78 "raksha-agent -n on the shipped file: exit 78"
for want in "[agent] id is missing" "[agent] state is missing" "[broker] url is missing"; do
	contains "$out" "$want" "  says: $want"
done
cond=$(sed -n 's/^ExecCondition=//p' "$unitdir/raksha-agent.service")
out=$(runuser -u raksha -- sh -c "$cond" 2>&1)
rc=$?
is "$rc" 1 "the unit's condition: not started on the shipped file (exit 1: skipped, not failed)"
contains "$out" "sets no [agent] id" "  and says why"
dcond=$(sed -n 's/^ExecCondition=//p' "$unitdir/raksha-desk.service")
runuser -u raksha -- sh -c "$dcond" > /dev/null
is "$?" 1 "the desk's condition: not started without a [desk] section"

. "$SRC/tests/lib/broker.sh"
broker_start
trap cleanup EXIT
sed -i -e 's/^;id = .*/id = mp-bhopal-grp-pkg/' -e 's/^;\(state\|region\|agency\) =/\1 =/' \
	-e "s|^;url = .*|url = mqtt://127.0.0.1:$BROKER_PORT|" /etc/raksha/agent.conf
out=$(runuser -u raksha -- /usr/sbin/raksha-agent -n --config /etc/raksha/agent.conf 2>&1)
is "$?:$out" "0:configuration OK" "identity and broker filled in: configuration OK"
runuser -u raksha -- sh -c "$cond"
is "$?" 0 "  the unit's condition lets it start"
sed -i 's/^;\[desk\]/[desk]/' /etc/raksha/agent.conf
runuser -u raksha -- sh -c "$dcond"
is "$?" 0 "  a [desk] section: the desk's condition lets it start"

# What the unit's StateDirectory= makes, then the agent as the unit runs it.
install -d -m 0700 -o raksha -g raksha /var/lib/raksha
# setpriv execs the agent (runuser would stay its parent and exit 143 on the
# SIGTERM the agent answers).
setpriv --reuid=raksha --regid=raksha --init-groups --reset-env \
	/usr/sbin/raksha-agent --config /etc/raksha/agent.conf --foreground > "$W/agent.out" 2>&1 &
AGENT=$!
DB=/var/lib/raksha/agent.db
q() { if [ -s "$DB" ]; then sqlite3 "$DB" "$1" 2> /dev/null || echo 0; else echo 0; fi; }
wait_rows() { for _ in $(seq 150); do [ "$(q "$1")" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
wait_rows "SELECT count(*) FROM messages WHERE kind = 'agent'" 1
is "$?" 0 "the installed agent runs as raksha and logs its presence"
id=$(raksha-publish --url "mqtt://127.0.0.1:$BROKER_PORT" --outbox "$W/outbox" --state mp --region bhopal \
	--agency rpf --unit "RPF Post Bhopal" report --name "Package Test" --age 8 --gender male 2> "$W/pub.err")
ok "the installed raksha-publish publishes a report" test -n "$id"
wait_rows "SELECT count(*) FROM cases WHERE child_name = 'Package Test'" 1
is "$?" 0 "  stored in the agent's database"
is "$(stat -c '%U %a' "$DB")" "raksha 600" "  the database: raksha's, 0600"
kill "$AGENT"
wait "$AGENT"
is "$?" 0 "the agent stops cleanly on SIGTERM"
AGENT=

# Remove: programs gone, configuration and database kept.
apt-get remove -y -q $PKGS > "$W/remove.log" 2>&1
rc=$?
is "$rc" 0 "apt-get remove"
[ "$rc" -eq 0 ] || tail -n 20 "$W/remove.log" | sed 's/^/# /'
ok "  programs gone" test ! -e /usr/sbin/raksha-agent
ok "  the administrator's agent.conf kept" grep -q '^id = mp-bhopal-grp-pkg' /etc/raksha/agent.conf
is "$(q "SELECT count(*) FROM cases WHERE child_name = 'Package Test'")" 1 "  the database kept, its case in it"

# Purge: nothing left but the database (and the user raksha, who owns it).
# What remove left (the packages with conffiles); apt knows the rest no more.
left=$(dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' $PKGS 2> /dev/null | sed -n 's/^rc *//p' | tr '\n' ' ')
is "$left" "raksha-agent " "  only raksha-agent left, with its configuration"
apt-get purge -y -q $left > "$W/purge.log" 2>&1
rc=$?
is "$rc" 0 "apt-get purge"
[ "$rc" -eq 0 ] || tail -n 20 "$W/purge.log" | sed 's/^/# /'
ok "  /etc/raksha gone (the administrator made nothing else there)" test ! -e /etc/raksha
dpkg-statoverride --list /etc/raksha/agent.conf > /dev/null
is "$?" 1 "  its stat override gone"
is "$(q "SELECT count(*) FROM cases WHERE child_name = 'Package Test'")" 1 "  the database still kept"
snapshot > "$W/files.after"
is "$(comm -13 "$W/files.before" "$W/files.after" | grep -v '^/var/lib/raksha\(/\|$\)')" "" \
	"  nothing else left behind"
is "$(comm -23 "$W/files.before" "$W/files.after")" "" "  nothing of the machine's removed"
done_testing
